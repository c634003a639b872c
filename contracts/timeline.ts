// The auditors' timeline of a process instance as GET /api/instances/:key answers it. The engine produces it
// (engine/store/timeline/timeline.ts; the engine imports nothing of the rest of the project), so
// server/api/instances.ts holds a compile-time check that the engine's Timeline and this one are the same type.

/**
 * A process instance's history for auditors, read from the append-only record log (never from the mutable state
 * tables): what happened, when, and who caused it.
 */
export interface Timeline {
  processInstanceKey: string;
  processDefinitionKey: string | null;
  bpmnProcessId: string | null;
  version: number | null;
  /** Set when a call activity started this instance. */
  parentProcessInstanceKey?: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  outcome: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  /** Each element instance once, in the order it was entered. */
  elements: ElementSpan[];
  /** Every event worth an auditor's attention, in log order. */
  entries: TimelineEntry[];
}

export interface ElementSpan {
  elementInstanceKey: string;
  elementId: string;
  elementType: string | null;
  flowScopeKey: string | null;
  enteredAt: string;
  enteredBy: string | null;
  leftAt?: string;
  leftBy?: string | null;
  durationMs?: number;
  outcome: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  /** Call activities: the instances they started (each has a timeline of its own). */
  calledProcessInstanceKeys?: string[];
}

interface EntryBase {
  position: string;
  at: string;
  /** The user (Basic auth name) or worker whose command caused the event; null for the engine itself. */
  actor: string | null;
  elementId: string | null;
  elementInstanceKey: string | null;
}

export type TimelineEntry = EntryBase &
  (
    | { kind: 'element-entered'; elementType: string | null }
    | {
        kind: 'element-left';
        elementType: string | null;
        outcome: 'COMPLETED' | 'TERMINATED';
        durationMs: number | null;
      }
    | { kind: 'sequence-flow-taken' }
    | {
        kind: 'variable-set';
        variableKey: string;
        name: string;
        scopeKey: string | null;
        oldValue: unknown;
        newValue: unknown;
        created: boolean;
      }
    | { kind: 'incident-created'; incidentKey: string; errorType: string; errorMessage: string }
    | {
        kind: 'incident-resolved';
        incidentKey: string;
        errorType: string;
        errorMessage: string;
        openForMs: number | null;
      }
    | {
        kind: 'job';
        intent: string;
        jobKey: string;
        jobType: string | null;
        worker: string | null;
        retries: number | null;
        errorMessage: string | null;
        errorCode: string | null;
      }
    | {
        kind: 'user-task';
        intent: string;
        userTaskKey: string;
        assignee: string | null;
        changes: Record<string, unknown>;
      }
    | {
        kind: 'message-correlated';
        messageName: string | null;
        correlationKey: string | null;
        messageKey: string | null;
      }
    | { kind: 'timer-fired'; timerKey: string; dueDate: string | null }
    | { kind: 'signal-received'; signalName: string | null }
    | { kind: 'other'; valueType: string; intent: string; key: string }
  );
