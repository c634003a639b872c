import type { CaseRecordEscalation, CaseRecordStep } from '../../../contracts/case-record.js';
import { targetMs, workingMs, type WorkCalendar } from './calendar.js';
import type { EscalationRow } from './escalations.js';
import type { EngineStep } from './steps.js';

/**
 * The escalation rows a step owns: same element, same process instance (when the row knows it), and, when the
 * step ran more than once (redone after a rejection), the run whose time span holds the escalation, else the last
 * run of that element.
 */
function ownerOf(e: EscalationRow, steps: EngineStep[]): EngineStep | undefined {
  const runs = steps.filter(
    (s) => s.elementId === e.step && (!e.processInstanceKey || s.processInstanceKey === e.processInstanceKey),
  );
  const at = Date.parse(e.escalatedAt);
  return runs.find((s) => Date.parse(s.startedAt) <= at && (!s.endedAt || at <= Date.parse(s.endedAt))) ?? runs.at(-1);
}

/**
 * The record's steps and escalations from the engine's steps, the escalation rows and the working calendar. A
 * running step is measured to `now`. A step is overdue when its working time passed its target: the escalation
 * timer runs in calendar time, so it fires at or before that point — an escalated step is not always overdue (a
 * timer that fired over a weekend), an overdue one was always escalated.
 */
export function assembleRecord(
  steps: EngineStep[],
  escalations: EscalationRow[],
  cal: WorkCalendar,
  now: Date,
): { steps: CaseRecordStep[]; escalations: CaseRecordEscalation[] } {
  const owners = escalations.map((e) => ({ e, owner: ownerOf(e, steps) }));
  const escalated = new Set(owners.map((o) => o.owner?.elementInstanceKey).filter(Boolean));
  const out: CaseRecordStep[] = steps.map((s) => {
    const end = s.endedAt ? new Date(s.endedAt) : now;
    const working = workingMs(s.startedAt, end, cal);
    const target = targetMs(s.target, cal);
    return {
      elementId: s.elementId,
      name: s.name,
      elementType: s.elementType,
      processDefinitionId: s.processDefinitionId,
      state: s.state,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      assignee: s.assignee,
      candidateGroups: s.candidateGroups,
      elapsedMs: Math.max(0, end.getTime() - Date.parse(s.startedAt)),
      workingMs: working,
      target: target === null ? null : s.target,
      targetMs: target,
      overdue: target !== null && working > target,
      escalated: escalated.has(s.elementInstanceKey),
    };
  });
  return {
    steps: out,
    escalations: owners.map(({ e, owner }) => ({
      step: e.step,
      stepName: owner?.name ?? e.step,
      assignee: e.assignee ?? owner?.assignee ?? null,
      candidateGroup: e.candidateGroup ?? owner?.candidateGroups[0] ?? null,
      escalatedAt: e.escalatedAt,
    })),
  };
}
