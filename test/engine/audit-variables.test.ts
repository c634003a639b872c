import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState, rootVariables } from '../support/records.js';
import { activeJob } from '../support/events.js';

// Camunda 8.8 docs, Concepts › Variables: "Variable propagation" (merged variables go to the nearest scope that
// has the name, else the root; job completion and message correlation alike), "Input/output variable mappings"
// (inputs create local variables; with output mappings only the mapped variables propagate; a target may be a
// path `a.b`, merged into the context), BPMN › Call activities (output mappings: only the mapped variables come
// back), REST API › Update element instance variables (`local`).

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-variables.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function scopeVariables(scopeKey: string): Promise<Record<string, unknown>> {
  const rows = await t.db.knex('engine.variable').where({ scope_key: scopeKey }).select('name', 'value');
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}
const elementKey = async (pi: string, elementId: string) =>
  (await t.db.knex('engine.element_instance').where({ process_instance_key: pi, element_id: elementId }).first())
    .key as string;

describe('Camunda 8.8 conformance: variable scopes and mappings', () => {
  test('message variables propagate like job variables: an existing name in the sub-process scope, new names to the root', async () => {
    const pi = (
      await t.client.createProcessInstance({ processDefinitionId: 'audit-var-msg' as never, variables: { k: 'V1' } })
    ).processInstanceKey;
    const sub = await elementKey(pi, 'sub');
    expect(await scopeVariables(sub)).toEqual({ status: 'init' });
    await t.client.correlateMessage({
      name: 'audit-var-go',
      correlationKey: 'V1',
      variables: { status: 'msg', extra: 1 },
    } as never);
    expect(await scopeVariables(sub)).toEqual({ status: 'msg' });
    expect(await rootVariables(t.db.knex, pi)).toEqual({ k: 'V1', extra: 1 });

    // PUT /v2/element-instances/{key}/variables: local stays in the scope; otherwise a new name goes to the root
    // and an existing one is updated where it lives.
    await t.client.createElementInstanceVariables({
      elementInstanceKey: sub,
      variables: { onlyHere: true },
      local: true,
    } as never);
    await t.client.createElementInstanceVariables({
      elementInstanceKey: sub,
      variables: { status: 'api', fromApi: 2 },
    } as never);
    expect(await scopeVariables(sub)).toEqual({ status: 'api', onlyHere: true });
    expect(await rootVariables(t.db.knex, pi)).toEqual({ k: 'V1', extra: 1, fromApi: 2 });

    const job = await activeJob(t, 'audit-var-after', pi);
    expect(job.variables).toMatchObject({ status: 'api', onlyHere: true, extra: 1, fromApi: 2 });
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    await eventually(async () => (await instanceState(t.db.knex, pi)) === 'COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ k: 'V1', extra: 1, fromApi: 2 });
  });

  test('nested input targets build a local context; nested output targets merge into the existing root context; only mapped variables propagate', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-var-nested' as never,
        variables: { order: { id: 'O-1', meta: { source: 'web' } } },
      })
    ).processInstanceKey;
    const job = await activeJob(t, 'audit-var-price', pi);
    expect(job.variables).toEqual({
      order: { id: 'O-1', meta: { source: 'web' } },
      request: { orderId: 'O-1', qty: 5 },
    });
    expect(await scopeVariables(await elementKey(pi, 'price'))).toEqual({ request: { orderId: 'O-1', qty: 5 } });
    await t.client.completeJob({ jobKey: job.jobKey, variables: { result: 10, noise: 'x' } });
    expect(await rootVariables(t.db.knex, pi)).toEqual({
      order: { id: 'O-1', total: 10, meta: { source: 'web', double: 20 } },
    });
    const hold = await activeJob(t, 'audit-var-hold', pi);
    await t.client.completeJob({ jobKey: hold.jobKey, variables: {} });
  });

  test('call activity with output mappings: only the mapped variables come back to the parent', async () => {
    const pi = (
      await t.client.createProcessInstance({ processDefinitionId: 'audit-var-parent' as never, variables: { a: 1 } })
    ).processInstanceKey;
    const child = await eventually(() =>
      t.db
        .knex('engine.process_instance')
        .where({ bpmn_process_id: 'audit-var-child', parent_process_instance_key: pi })
        .first(),
    );
    const work = await activeJob(t, 'audit-var-child-work', child.key);
    expect(work.variables).toEqual({ a: 1 });
    await t.client.completeJob({ jobKey: work.jobKey, variables: { childResult: 'ok', other: 'x' } });
    const hold = await activeJob(t, 'audit-var-hold', pi);
    expect(await rootVariables(t.db.knex, pi)).toEqual({ a: 1, result: 'ok' });
    await t.client.completeJob({ jobKey: hold.jobKey, variables: {} });
  });
});
