import pg from 'pg';
import type { Queryable } from '../search/builder.js';

/**
 * A process instance's history for auditors, read from the append-only record log (never from
 * the mutable state tables): what happened, when, and who caused it.
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

interface Base {
  position: string;
  at: string;
  /** The user (Basic auth name) or worker whose command caused the event; null for the engine itself. */
  actor: string | null;
  elementId: string | null;
  elementInstanceKey: string | null;
}

export type TimelineEntry = Base &
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

interface RecordRow {
  position: string;
  key: string;
  value_type: string;
  intent: string;
  element_instance_key: string | null;
  flow_scope_key: string | null;
  element_id: string | null;
  element_type: string | null;
  process_definition_key: string | null;
  bpmn_process_id: string | null;
  version: number | null;
  actor: string | null;
  timestamp: Date;
  value: Record<string, unknown> | null;
}

// Intermediate steps of one command: the entries keep their outcome only.
const SKIPPED = new Set([
  'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
  'PROCESS_INSTANCE:ELEMENT_COMPLETING',
  'PROCESS_INSTANCE:ELEMENT_TERMINATING',
  'USER_TASK:CREATING',
  'USER_TASK:ASSIGNING',
  'USER_TASK:UPDATING',
  'USER_TASK:COMPLETING',
  'USER_TASK:CANCELING',
  'VARIABLE_DOCUMENT:UPDATED',
  'VARIABLE_DOCUMENT:UPDATING',
  'PROCESS_INSTANCE_CREATION:CREATED',
  'PROCESS_MESSAGE_SUBSCRIPTION:CREATING',
  'PROCESS_MESSAGE_SUBSCRIPTION:CORRELATING',
  'PROCESS_MESSAGE_SUBSCRIPTION:DELETING',
]);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== '-1' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const json = (text: unknown): unknown => {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The timeline of one process instance, or null when the log has no record of it. */
export async function readTimeline(db: Queryable, processInstanceKey: string): Promise<Timeline | null> {
  if (!/^-?\d{1,19}$/.test(processInstanceKey)) return null;
  const { rows } = (await db.query(
    `SELECT position, key, value_type, intent, element_instance_key, flow_scope_key, element_id, element_type,
            process_definition_key, bpmn_process_id, version, actor, timestamp, value
       FROM engine.record WHERE process_instance_key = $1 ORDER BY position`,
    [processInstanceKey],
  )) as unknown as { rows: RecordRow[] };
  if (rows.length === 0) return null;

  const spans = new Map<string, ElementSpan>();
  const variables = new Map<string, unknown>();
  const incidentsOpened = new Map<string, number>();
  const entries: TimelineEntry[] = [];
  const root = rows[0];
  let outcome: Timeline['outcome'] = 'ACTIVE';
  let endedAt: Date | undefined;

  for (const r of rows) {
    const v = r.value ?? {};
    const at = r.timestamp.toISOString();
    const base: Base = {
      position: String(r.position),
      at,
      actor: r.actor,
      elementId: r.element_id,
      elementInstanceKey: r.element_instance_key,
    };
    const id = `${r.value_type}:${r.intent}`;
    if (SKIPPED.has(id)) continue;
    switch (id) {
      case 'PROCESS_INSTANCE:ELEMENT_ACTIVATING': {
        const key = r.element_instance_key ?? r.key;
        spans.set(key, {
          elementInstanceKey: key,
          elementId: r.element_id ?? '',
          elementType: r.element_type,
          flowScopeKey: r.flow_scope_key,
          enteredAt: at,
          enteredBy: r.actor,
          outcome: 'ACTIVE',
        });
        entries.push({ ...base, kind: 'element-entered', elementType: r.element_type });
        break;
      }
      case 'PROCESS_INSTANCE:ELEMENT_COMPLETED':
      case 'PROCESS_INSTANCE:ELEMENT_TERMINATED': {
        const left = r.intent === 'ELEMENT_COMPLETED' ? 'COMPLETED' : 'TERMINATED';
        const span = spans.get(r.element_instance_key ?? r.key);
        const durationMs = span ? r.timestamp.getTime() - Date.parse(span.enteredAt) : null;
        if (span) Object.assign(span, { leftAt: at, leftBy: r.actor, durationMs, outcome: left });
        entries.push({ ...base, kind: 'element-left', elementType: r.element_type, outcome: left, durationMs });
        if (r.element_type === 'PROCESS' && (r.element_instance_key ?? r.key) === processInstanceKey) {
          outcome = left;
          endedAt = r.timestamp;
        }
        break;
      }
      case 'PROCESS_INSTANCE:SEQUENCE_FLOW_TAKEN':
        entries.push({ ...base, kind: 'sequence-flow-taken' });
        break;
      case 'VARIABLE:CREATED':
      case 'VARIABLE:UPDATED': {
        const newValue = json(v.value);
        const had = variables.has(r.key);
        entries.push({
          ...base,
          kind: 'variable-set',
          variableKey: r.key,
          name: String(v.name ?? ''),
          scopeKey: str(v.scopeKey),
          oldValue: had ? variables.get(r.key) : null,
          newValue,
          created: r.intent === 'CREATED',
        });
        variables.set(r.key, newValue);
        break;
      }
      case 'INCIDENT:CREATED':
        incidentsOpened.set(r.key, r.timestamp.getTime());
        entries.push({
          ...base,
          kind: 'incident-created',
          incidentKey: r.key,
          errorType: String(v.errorType ?? ''),
          errorMessage: String(v.errorMessage ?? ''),
        });
        break;
      case 'INCIDENT:RESOLVED': {
        const opened = incidentsOpened.get(r.key);
        entries.push({
          ...base,
          kind: 'incident-resolved',
          incidentKey: r.key,
          errorType: String(v.errorType ?? ''),
          errorMessage: String(v.errorMessage ?? ''),
          openForMs: opened === undefined ? null : r.timestamp.getTime() - opened,
        });
        break;
      }
      case 'PROCESS_MESSAGE_SUBSCRIPTION:CORRELATED':
      case 'MESSAGE_START_EVENT_SUBSCRIPTION:CORRELATED':
        entries.push({
          ...base,
          elementId: r.element_id ?? str(v.elementId) ?? str(v.startEventId),
          kind: 'message-correlated',
          messageName: str(v.messageName),
          correlationKey: str(v.correlationKey),
          messageKey: str(v.messageKey),
        });
        break;
      case 'TIMER:TRIGGERED':
        entries.push({
          ...base,
          elementId: r.element_id ?? str(v.targetElementId),
          kind: 'timer-fired',
          timerKey: r.key,
          dueDate: typeof v.dueDate === 'number' ? new Date(v.dueDate).toISOString() : str(v.dueDate),
        });
        break;
      case 'SIGNAL_SUBSCRIPTION:TRIGGERED':
        entries.push({
          ...base,
          elementId: r.element_id ?? str(v.catchEventId),
          kind: 'signal-received',
          signalName: str(v.signalName),
        });
        break;
      default:
        if (r.value_type === 'JOB') {
          entries.push({
            ...base,
            kind: 'job',
            intent: r.intent,
            jobKey: r.key,
            jobType: str(v.type),
            worker: str(v.worker),
            retries: num(v.retries),
            errorMessage: str(v.errorMessage),
            errorCode: str(v.errorCode),
          });
        } else if (r.value_type === 'USER_TASK') {
          const { assignee, ...changes } = v;
          entries.push({
            ...base,
            kind: 'user-task',
            intent: r.intent,
            userTaskKey: r.key,
            assignee: str(assignee),
            changes,
          });
        } else if (r.value_type !== 'PROCESS_INSTANCE') {
          entries.push({ ...base, kind: 'other', valueType: r.value_type, intent: r.intent, key: r.key });
        }
    }
  }

  // Which instances each call activity started: their own logs carry the link, the state row indexes it.
  const { rows: called } = (await db.query(
    `SELECT key, parent_element_instance_key FROM engine.process_instance WHERE parent_process_instance_key = $1 ORDER BY key`,
    [processInstanceKey],
  )) as unknown as { rows: Array<{ key: string; parent_element_instance_key: string | null }> };
  for (const c of called) {
    const span = c.parent_element_instance_key ? spans.get(c.parent_element_instance_key) : undefined;
    if (span) (span.calledProcessInstanceKeys ??= []).push(c.key);
  }
  const rootValue = spans.get(processInstanceKey) ? (rows.find((r) => r.element_type === 'PROCESS')?.value ?? {}) : {};

  const process = spans.get(processInstanceKey);
  const startedAt = process?.enteredAt ?? root.timestamp.toISOString();
  return {
    processInstanceKey,
    processDefinitionKey: root.process_definition_key,
    bpmnProcessId: root.bpmn_process_id,
    version: root.version,
    ...(str(rootValue.parentProcessInstanceKey)
      ? { parentProcessInstanceKey: str(rootValue.parentProcessInstanceKey)! }
      : {}),
    startedAt,
    ...(endedAt ? { endedAt: endedAt.toISOString(), durationMs: endedAt.getTime() - Date.parse(startedAt) } : {}),
    outcome,
    elements: [...spans.values()].filter((s) => s.elementInstanceKey !== processInstanceKey),
    entries,
  };
}

/** For callers outside the engine (the server's /api): a small pool of its own on the engine database. */
export function createTimelineReader(databaseUrl: string, poolSize = 2) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  pool.on('error', () => {});
  return {
    read: (processInstanceKey: string) => readTimeline(pool, processInstanceKey),
    close: () => pool.end(),
  };
}
