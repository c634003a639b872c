import type { FlowNode } from './types.js';
import { checkSyntax } from '../feel/index.js';

export type TaskListenerEventType = 'creating' | 'assigning' | 'updating' | 'completing' | 'canceling';

/** The older names Zeebe still accepts in the model (8.6/8.7), as aliases of the 8.8 ones. */
const ALIASES: Record<string, TaskListenerEventType> = {
  create: 'creating',
  assignment: 'assigning',
  update: 'updating',
  complete: 'completing',
  cancel: 'canceling',
};
export const TASK_LISTENER_EVENT_TYPES: readonly TaskListenerEventType[] = [
  'creating',
  'assigning',
  'updating',
  'completing',
  'canceling',
];

export function eventTypeOf(written: string): TaskListenerEventType | null {
  if ((TASK_LISTENER_EVENT_TYPES as readonly string[]).includes(written)) return written as TaskListenerEventType;
  return ALIASES[written] ?? null;
}

/**
 * Deployment checks for zeebe:taskListeners on a zeebe:userTask (Zeebe's task listener validation):
 * a known event type, a job type, FEEL that parses. Anywhere else they are rejected
 * (execution-listener-rules.ts).
 */
export function taskListenerErrors(node: FlowNode): string[] {
  const errors: string[] = [];
  for (const l of node.taskListeners ?? []) {
    if (!eventTypeOf(l.eventType))
      errors.push(
        `Attribute 'eventType' must be one of: creating, assigning, updating, completing, canceling (was '${l.eventType}')`,
      );
    if (!l.type.raw.trim()) errors.push("Attribute 'type' must be present and not empty");
    for (const e of [l.type, l.retries]) {
      if (!('feel' in e)) continue;
      const err = e.feel ? checkSyntax(e.feel) : `Expected expression but found empty expression '${e.raw}'`;
      if (err) errors.push(err);
    }
  }
  return errors;
}
