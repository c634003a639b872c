import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// Scenarios taken from Camunda 8.8 docs (FEEL data types, exclusive gateway, job workers, messages) and Zeebe's
// engine tests (record order of a simple flow). Each asserts what Zeebe does for the same model.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'conformance/feel-decimals.bpmn',
    'conformance/exclusive-values.bpmn',
    'conformance/job-fields.bpmn',
    'conformance/message-numeric.bpmn',
    'conformance/simple-flow.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

async function activate(type: string, piKey: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 10,
    timeout: 30000,
    worker: 'conformance',
    requestTimeout: 5000,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === piKey);
  if (!job) throw new Error(`no ${type} job`);
  return job;
}

describe('Camunda 8.8 conformance: basics', () => {
  test('FEEL numbers are decimals: 40 * 1.13 = 45.2, 0.1 + 0.2 = 0.3, in variables, contexts and conditions', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'conf-feel-decimals' as never,
      variables: { net: 40 },
    });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, pi.processInstanceKey);
    expect(vars).toMatchObject({
      gross: 45.2,
      sum: 0.3,
      nested: { a: 1.21, b: [0.8] },
      third: 3.3333333333333335,
      label: 'Total: 45.2',
    });
    const ends = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi.processInstanceKey, intent: 'ELEMENT_COMPLETED' })
      .whereIn('element_id', ['exact', 'other'])
      .pluck('element_id');
    expect(ends).toEqual(['exact']);
  });

  test.each([
    [{ status: null, amount: 5 }, 'isNull'],
    [{ amount: 5 }, 'isNull'], // a missing variable is null in a condition
    [{ status: 'gold', amount: 100 }, 'gold'],
    [{ status: 'gold', amount: 99.5 }, 'fallback'],
    [{ status: 'GOLD', amount: 500 }, 'fallback'], // string comparison is case-sensitive
  ])('exclusive gateway on strings, numbers and null: %j → %s', async (variables, end) => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'conf-exclusive-values' as never,
      variables,
    });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const ends = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi.processInstanceKey, intent: 'ELEMENT_COMPLETED', element_id: end })
      .pluck('element_id');
    expect(ends).toEqual([end]);
  });

  test('activated job carries customHeaders, elementId, version, tenant, deadline; with output mappings job variables stay local', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'conf-job-fields' as never,
      variables: { order: { id: 7, lines: [{ sku: 'A', qty: 2 }] } },
    });
    const job = await activate('conf-work', pi.processInstanceKey);
    expect(job.customHeaders).toEqual({ channel: 'sms', template: 'reminder-2' });
    expect(job.elementId).toBe('work');
    expect(job.processDefinitionId).toBe('conf-job-fields');
    expect(job.processDefinitionVersion).toBe(1);
    expect(job.tenantId).toBe('<default>');
    expect(job.retries).toBe(1);
    expect(job.worker).toBe('conformance');
    expect(Number(job.deadline)).toBeGreaterThan(Date.now() - 60_000);
    expect(job.variables).toEqual({ order: { id: 7, lines: [{ sku: 'A', qty: 2 }] } });

    await t.client.completeJob({ jobKey: job.jobKey, variables: { result: { code: 'OK', detail: 'x' }, extra: 1 } });
    const after = await activate('conf-after', pi.processInstanceKey);
    expect(after.variables).toEqual({ order: { id: 7, lines: [{ sku: 'A', qty: 2 }] }, code: 'OK' });
    await t.client.completeJob({ jobKey: after.jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('a numeric correlation key variable matches the message published with its text', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'conf-message-numeric' as never,
      variables: { orderId: 4711 },
    });
    await t.client.publishMessage({ name: 'conf-paid', correlationKey: '4711', timeToLive: 0 } as never);
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== 'COMPLETED'; i++) {
      state = await instanceState(t.db.knex, pi.processInstanceKey);
      if (state !== 'COMPLETED') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('COMPLETED');
  });

  test('a simple flow writes Zeebe’s element lifecycle and SEQUENCE_FLOW_TAKEN records in order', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'conf-simple-flow' as never });
    const rows = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi.processInstanceKey, value_type: 'PROCESS_INSTANCE' })
      .orderBy('position')
      .select('intent', 'element_id');
    const life = (id: string) => [
      `ELEMENT_ACTIVATING ${id}`,
      `ELEMENT_ACTIVATED ${id}`,
      `ELEMENT_COMPLETING ${id}`,
      `ELEMENT_COMPLETED ${id}`,
    ];
    const proc = life('conf-simple-flow');
    expect(rows.map((r) => `${r.intent} ${r.element_id}`)).toEqual([
      proc[0],
      proc[1],
      ...life('start'),
      'SEQUENCE_FLOW_TAKEN f1',
      ...life('task'),
      'SEQUENCE_FLOW_TAKEN f2',
      ...life('end'),
      proc[2],
      proc[3],
    ]);
  });
});
