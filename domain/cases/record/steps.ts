import type { ElementFacts } from './model-facts.js';

/** An element instance as the engine's search returns it (the fields the record reads). */
export interface ElementRow {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  elementName?: string | null;
  type: string;
  state: string;
  startDate: string;
  endDate?: string | null;
}

/** A user task as the engine's search returns it. */
export interface UserTaskRow {
  elementInstanceKey: string;
  assignee?: string | null;
  candidateGroups?: string[] | null;
  state?: string;
}

/** When a case's process instance started and ended (null while it runs). */
export interface InstanceSpan {
  startedAt: string;
  endedAt: string | null;
}

/** One step of a case as the engine recorded it, with the model's name and target. */
export interface EngineStep {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  elementType: string;
  name: string;
  startedAt: string;
  endedAt: string | null;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  assignee: string | null;
  candidateGroups: string[];
  target: string | null;
}

const STEP_TYPES = new Set([
  'USER_TASK',
  'SERVICE_TASK',
  'SEND_TASK',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'RECEIVE_TASK',
  'CALL_ACTIVITY',
  'INTERMEDIATE_CATCH_EVENT',
  'MANUAL_TASK',
  'TASK',
]);
// Job types that run beside a step (escalations) or only close the case: not steps of their own.
const NOT_STEPS = new Set(['case-escalate', 'case-close']);

/**
 * The steps among a process instance's element instances: user tasks always; other tasks, waits and call
 * activities when the model names them (an unnamed element is plumbing), never the escalation steps. Ordered as
 * the case moved (start time, then key).
 */
export function stepsOf(
  elements: ElementRow[],
  tasks: UserTaskRow[],
  facts: (processInstanceKey: string) => Map<string, ElementFacts> | undefined,
): EngineStep[] {
  const byElement = new Map(tasks.map((t) => [String(t.elementInstanceKey), t]));
  const steps: EngineStep[] = [];
  for (const e of elements) {
    if (!STEP_TYPES.has(e.type)) continue;
    const f = facts(String(e.processInstanceKey))?.get(e.elementId);
    if (f?.jobType && NOT_STEPS.has(f.jobType)) continue;
    const name = f?.name ?? null;
    if (e.type !== 'USER_TASK' && !name) continue;
    const task = byElement.get(String(e.elementInstanceKey));
    steps.push({
      elementInstanceKey: String(e.elementInstanceKey),
      processInstanceKey: String(e.processInstanceKey),
      processDefinitionId: String(e.processDefinitionId),
      elementId: e.elementId,
      elementType: e.type,
      name: name ?? e.elementName ?? e.elementId,
      startedAt: e.startDate,
      endedAt: e.endDate ?? null,
      state: e.state === 'ACTIVE' ? 'ACTIVE' : e.state === 'COMPLETED' ? 'COMPLETED' : 'TERMINATED',
      assignee: task?.assignee ?? null,
      candidateGroups: task?.candidateGroups ?? [],
      target: f?.target ?? null,
    });
  }
  return steps.sort(
    (a, b) =>
      Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
      (BigInt(a.elementInstanceKey) < BigInt(b.elementInstanceKey) ? -1 : 1),
  );
}
