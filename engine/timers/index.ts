export {
  parseTimer,
  afterFiring,
  type Timer,
  type TimerKind,
  type TimerResult,
  type TimerEvaluator,
  type Repetitions,
} from './parse.js';
export { parseInterval, addInterval, type Interval } from './interval.js';
export { parseCron, type Cron } from './cron.js';
