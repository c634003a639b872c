import {
  evaluateDateTime,
  evaluateInterval,
  evaluateString,
  parseZonedDateTime,
  type RawEvaluation,
  type Typed,
} from '../feel/index.js';
import { parseCron } from './cron.js';
import { addInterval, parseInterval, type Interval } from './interval.js';

export type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';

/** How often a timer fires in total, the first time included (`R5/…` fires five times). */
export type Repetitions = number | 'infinite';

export interface Timer {
  ok: true;
  kind: TimerKind;
  /** When the timer fires first. */
  dueAt: Date;
  repetitions: Repetitions;
  /**
   * The occurrence after the one due at `lastDueAt`; null for durations and dates. With `now`, an occurrence
   * that is already overdue (timers missed while the engine was down) is re-anchored to `now` + interval, as
   * Zeebe does, so a cycle never fires in a burst.
   */
  next(lastDueAt: Date, now?: Date): Date | null;
}

export type TimerResult = Timer | { ok: false; message: string };

/** Evaluates the FEEL text of an `=expression` timer; the engine binds the scope's variables and its clock. */
export type TimerEvaluator = (expression: string) => RawEvaluation;

/**
 * Reads a timer definition the way Zeebe does. `value` is the text of `timeDuration`, `timeDate` or `timeCycle`,
 * static or `=FEEL`. Pure: `now` is the engine clock. Without `evaluate`, expressions see no variables (as
 * Zeebe evaluates timer start events at deployment).
 */
export function parseTimer(kind: TimerKind, value: string, now: Date, evaluate?: TimerEvaluator): TimerResult {
  const options = { now, evaluate };
  switch (kind) {
    case 'timeDuration':
      return duration(evaluateInterval(value, {}, options), value, now);
    case 'timeDate':
      return date(evaluateDateTime(value, {}, options));
    case 'timeCycle':
      return cycle(evaluateString(value, {}, options), now);
    default:
      return { ok: false, message: `Unknown timer definition '${String(kind)}'.` };
  }
}

/** The repetitions left after a firing, or null when the timer is done. */
export function afterFiring(repetitions: Repetitions): Repetitions | null {
  if (repetitions === 'infinite') return 'infinite';
  return repetitions > 1 ? repetitions - 1 : null;
}

const once = (kind: TimerKind, dueAt: Date): Timer => ({ ok: true, kind, dueAt, repetitions: 1, next: () => null });

function duration(text: Typed<string>, source: string, now: Date): TimerResult {
  if (!text.ok) return text;
  const interval = parseInterval(text.value);
  if (!interval) return { ok: false, message: `Invalid duration format '${text.value}' for expression '${source}'.` };
  return once('timeDuration', addInterval(now, interval));
}

function date(dueAt: Typed<Date | null>): TimerResult {
  if (!dueAt.ok) return dueAt;
  return dueAt.value ? once('timeDate', dueAt.value) : { ok: false, message: 'A timer date is required.' };
}

function cycle(text: Typed<string>, now: Date): TimerResult {
  if (!text.ok) return text;
  const value = text.value.trim();
  return value.startsWith('R') ? repeating(value, now) : cron(value, now);
}

/** `R[n]/[start/]interval` — Zeebe's RepeatingInterval: without n it repeats for ever. */
function repeating(text: string, now: Date): TimerResult {
  const invalid = (reason: string) => ({ ok: false as const, message: `Invalid time cycle '${text}': ${reason}.` });
  const slash = text.indexOf('/');
  if (slash === -1) return invalid('no interval given');
  const count = text.slice(1, slash);
  if (count !== '' && !/^\d+$/.test(count)) return invalid('cannot parse the repetitions count');
  const repetitions: Repetitions = count === '' ? 'infinite' : Number.parseInt(count, 10);
  const rest = text.slice(slash + 1);
  const lastSlash = rest.lastIndexOf('/');
  const interval = parseInterval(rest.slice(lastSlash + 1));
  if (!interval) return invalid(`invalid interval '${rest.slice(lastSlash + 1)}'`);
  if (addInterval(now, interval).getTime() <= now.getTime()) return invalid('the interval must be positive');
  let start: Date | null = null;
  let zone = 'UTC';
  if (lastSlash !== -1) {
    const startText = rest.slice(0, lastSlash);
    start = parseZonedDateTime(startText);
    if (!start) return invalid(`invalid start '${startText}'`);
    zone = /\[([^\]]+)\]$/.exec(startText)?.[1] ?? /@([^@]+)$/.exec(startText)?.[1] ?? 'UTC';
  }
  const dueAt = start ? new Date(Math.max(start.getTime(), now.getTime())) : addInterval(now, interval, zone);
  return { ok: true, kind: 'timeCycle', dueAt, repetitions, next: nextOfInterval(interval, zone) };
}

function nextOfInterval(interval: Interval, zone: string) {
  return (lastDueAt: Date, now?: Date): Date => {
    const natural = addInterval(lastDueAt, interval, zone);
    return now && natural.getTime() <= now.getTime() ? addInterval(now, interval, zone) : natural;
  };
}

function cron(text: string, now: Date): TimerResult {
  const parsed = parseCron(text);
  if (!parsed.ok) return parsed;
  const dueAt = parsed.cron.next(now);
  if (!dueAt) return { ok: false, message: `Invalid cron expression '${text}': it never fires.` };
  const next = (lastDueAt: Date, at?: Date) =>
    parsed.cron.next(at && at.getTime() > lastDueAt.getTime() ? at : lastDueAt);
  return { ok: true, kind: 'timeCycle', dueAt, repetitions: 'infinite', next };
}
