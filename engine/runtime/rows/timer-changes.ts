import type { ElementInstanceRow } from '../../store/rows.js';
import type { GenericRow } from '../../store/rows.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** Every change of a timer row of an instance, recorded here only (one record value for all intents). */

export function timerRecordValue(t: GenericRow): Record<string, unknown> {
  return {
    targetElementId: t.element_id,
    dueDate: (t.due_date as Date).getTime(),
    repetitions: t.repetitions,
    elementInstanceKey: t.element_instance_key ?? '-1',
    processInstanceKey: t.process_instance_key ?? '-1',
    processDefinitionKey: t.process_definition_key,
  };
}

export function createTimer(ctx: UnitOfWork, timer: GenericRow, holder: ElementInstanceRow): void {
  ctx.timers.set(timer.key, timer);
  ctx.save('timer', timer);
  ctx.record('TIMER', 'CREATED', timer.key, timerRecordValue(timer), holder);
}

export function triggerTimer(ctx: UnitOfWork, timer: GenericRow, holder: ElementInstanceRow | undefined): void {
  timer.state = 'TRIGGERED';
  ctx.save('timer', timer);
  ctx.record('TIMER', 'TRIGGERED', timer.key, timerRecordValue(timer), holder);
}

/** The holder completed or was terminated, or an interrupting event took over its scope. */
export function cancelTimer(ctx: UnitOfWork, timer: GenericRow, holder: ElementInstanceRow): void {
  timer.state = 'CANCELED';
  ctx.save('timer', timer);
  ctx.record('TIMER', 'CANCELED', timer.key, timerRecordValue(timer), holder);
}
