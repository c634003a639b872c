import type pg from 'pg';
import type { Runtime } from '../runtime.js';
import type { ProcessModel, FlowNode } from '../../model/types.js';
import type { ProcessDefinitionRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { processDefinitionById, processDefinitionByKey } from '../../store/definitions.js';
import { insertSql, literal } from '../../store/sql.js';
import { evaluateString } from '../../feel/index.js';
import { parseTimer } from '../../timers/index.js';
import { messageDef, signalName, timerDef } from '../../elements/events/definitions.js';

/** Timer, message and signal start events of the process itself (not of event sub-processes). */
export function eventStartEvents(model: ProcessModel): FlowNode[] {
  return model.root.children
    .map((id) => model.nodes.get(id)!)
    .filter((n) => n.type === 'START_EVENT' && ['TIMER', 'MESSAGE', 'SIGNAL'].includes(n.eventType));
}

/**
 * Deployment of a new version: the previous version's start-event subscriptions (timers, message and
 * signal starts) are removed and the new version's opened, as Zeebe does. Returns SQL for the
 * deployment's own transaction. Start-event expressions see no variables (Zeebe evaluates them at deployment).
 */
export async function startSubscriptionsSql(
  rt: Runtime,
  defs: Array<{ def: Record<string, unknown>; model: ProcessModel }>,
  now: Date,
): Promise<string[]> {
  const sql: string[] = [];
  await rt.keys.ensure(defs.length * 8 + 16);
  for (const { def, model } of defs) {
    sql.push(...closeStartSubscriptionsSql(def.bpmn_process_id as string, def.tenant_id as string, now));
    const base = { process_definition_key: def.key, bpmn_process_id: def.bpmn_process_id, tenant_id: def.tenant_id };
    const rec = (key: string, valueType: string, value: Record<string, unknown>) =>
      insertSql('record', [
        {
          key,
          value_type: valueType,
          intent: 'CREATED',
          bpmn_process_id: def.bpmn_process_id,
          process_definition_key: def.key,
          version: def.version,
          tenant_id: def.tenant_id,
          timestamp: now,
          value,
        },
      ]);
    for (const start of eventStartEvents(model)) {
      const key = rt.keys.take();
      if (start.eventType === 'TIMER') {
        const t = timerDef(start)!;
        const timer = parseTimer(t.kind, t.value, now);
        if (!timer.ok) continue; // static timers were validated; an expression failing without variables opens nothing
        const repetitions = timer.repetitions === 'infinite' ? -1 : timer.repetitions;
        sql.push(
          insertSql('timer', [
            {
              key,
              state: 'CREATED',
              due_date: timer.dueAt,
              repetitions,
              cycle: t.kind === 'timeCycle' ? t.value : null,
              element_id: start.id,
              element_instance_key: null,
              process_instance_key: null,
              ...base,
              created_at: now,
            },
          ]),
        );
        sql.push(
          rec(key, 'TIMER', {
            targetElementId: start.id,
            dueDate: timer.dueAt.getTime(),
            repetitions,
            elementInstanceKey: '-1',
            processInstanceKey: '-1',
            processDefinitionKey: def.key,
          }),
        );
      } else if (start.eventType === 'MESSAGE') {
        const name = evaluateString(messageDef(start)!.name.raw, {}, { now });
        if (!name.ok) continue;
        sql.push(
          insertSql('message_subscription', [
            {
              key,
              state: 'CREATED',
              message_name: name.value,
              correlation_key: null,
              element_id: start.id,
              element_instance_key: null,
              process_instance_key: null,
              ...base,
              interrupting: true,
              created_at: now,
              updated_at: now,
            },
          ]),
        );
        sql.push(
          rec(key, 'MESSAGE_START_EVENT_SUBSCRIPTION', {
            messageName: name.value,
            startEventId: start.id,
            processDefinitionKey: def.key,
          }),
        );
      } else {
        const name = evaluateString(signalName(start)!.raw, {}, { now });
        if (!name.ok) continue;
        sql.push(
          insertSql('signal_subscription', [
            {
              key,
              signal_name: name.value,
              element_id: start.id,
              element_instance_key: null,
              process_instance_key: null,
              ...base,
              interrupting: true,
              tenant_id: def.tenant_id,
              created_at: now,
            },
          ]),
        );
        sql.push(
          rec(key, 'SIGNAL_SUBSCRIPTION', {
            signalName: name.value,
            catchEventId: start.id,
            processDefinitionKey: def.key,
          }),
        );
      }
    }
  }
  return sql;
}

/** SQL closing every start-event subscription (timers, message and signal starts) of a process id. */
function closeStartSubscriptionsSql(bpmnProcessId: string, tenantId: string, now: Date): string[] {
  const sql: string[] = [];
  const id = literal(bpmnProcessId);
  const tenant = literal(tenantId);
  const ts = literal(now);
  sql.push(`WITH c AS (UPDATE engine.timer SET state = 'CANCELED' WHERE bpmn_process_id = ${id} AND tenant_id = ${tenant} AND process_instance_key IS NULL AND state = 'CREATED' RETURNING *)
      INSERT INTO engine.record (key, value_type, intent, bpmn_process_id, process_definition_key, tenant_id, timestamp, value)
      SELECT key, 'TIMER', 'CANCELED', bpmn_process_id, process_definition_key, tenant_id, ${ts}, jsonb_build_object('targetElementId', element_id, 'processDefinitionKey', process_definition_key::text) FROM c`);
  sql.push(`WITH c AS (UPDATE engine.message_subscription SET state = 'DELETED', updated_at = ${ts} WHERE bpmn_process_id = ${id} AND tenant_id = ${tenant} AND element_instance_key IS NULL AND state = 'CREATED' RETURNING *)
      INSERT INTO engine.record (key, value_type, intent, bpmn_process_id, process_definition_key, tenant_id, timestamp, value)
      SELECT key, 'MESSAGE_START_EVENT_SUBSCRIPTION', 'DELETED', bpmn_process_id, process_definition_key, tenant_id, ${ts}, jsonb_build_object('messageName', message_name, 'startEventId', element_id) FROM c`);
  sql.push(
    `DELETE FROM engine.signal_subscription WHERE bpmn_process_id = ${id} AND tenant_id = ${tenant} AND element_instance_key IS NULL`,
  );
  return sql;
}

/**
 * A deleted process definition: if it was the latest version, its start events stop and the
 * previous version's (now the latest) open again, as Zeebe does.
 */
export async function startSubscriptionsAfterDeletionSql(
  rt: Runtime,
  client: pg.PoolClient,
  deleted: ProcessDefinitionRow,
  now: Date,
): Promise<string[]> {
  const latest = await processDefinitionById(client, deleted.bpmn_process_id, -1, deleted.tenant_id);
  if (latest && latest.version > deleted.version) return [];
  if (!latest) return closeStartSubscriptionsSql(deleted.bpmn_process_id, deleted.tenant_id, now);
  return startSubscriptionsSql(
    rt,
    [{ def: latest as unknown as Record<string, unknown>, model: await rt.model(latest) }],
    now,
  );
}

/**
 * For a timer / message / signal start, inside the caller's transaction: looks the definition up by key (a
 * deleted one starts nothing: null), then rt.startInstanceInTransaction at the start event; the event's
 * variables become the instance's variables. Returns the context (flushed by the caller).
 */
export async function startInstanceAtEvent(
  rt: Runtime,
  client: pg.PoolClient,
  processDefinitionKey: string,
  startEventId: string,
  variables: Record<string, unknown>,
): Promise<InstanceContext | null> {
  const def: ProcessDefinitionRow | undefined = await processDefinitionByKey(client, processDefinitionKey);
  if (!def || def.deleted) return null;
  const model = await rt.model(def);
  return rt.startInstanceInTransaction(client, def, model, { variables, actor: null, startElementIds: [startEventId] });
}
