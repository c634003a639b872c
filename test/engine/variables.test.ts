import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('variables.bpmn', 'terminate-end.bpmn', 'script-error.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function activateOne(type: string, piKey: string, fetchVariable?: string[]) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 10,
    timeout: 30000,
    worker: 'test',
    requestTimeout: 5000,
    fetchVariable,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === piKey);
  if (!job) throw new Error(`no ${type} job`);
  return job;
}

describe('variable scoping, io mappings and propagation', () => {
  test('inputs create local variables; job variables go to the nearest scope defining them, else the root; outputs propagate', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'variables' as never,
      variables: { customer: { name: 'Li Lei', meters: ['M-1', 'M-2'] }, lines: 1 },
    });
    const price = await activateOne('price', pi.processInstanceKey);
    expect(price.variables).toEqual({
      customer: { name: 'Li Lei', meters: ['M-1', 'M-2'] },
      lines: 1,
      subtotal: 0,
      holder: 'Li Lei',
      meter: 'M-1',
      tariff: { kind: 'fixed' },
    });
    await t.client.completeJob({ jobKey: price.jobKey, variables: { subtotal: 40, priceNote: 'tiered' } });

    const summarise = await activateOne('summarise', pi.processInstanceKey, ['subtotal', 'lines']);
    expect(summarise.variables).toEqual({ subtotal: 40, lines: 1 });
    await t.client.completeJob({ jobKey: summarise.jobKey, variables: { lines: 3 } });

    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      customer: { name: 'Li Lei', meters: ['M-1', 'M-2'] },
      lines: 1, // the summarise job's `lines` stayed local: the task has output mappings
      priceNote: 'tiered',
      lineCount: 6,
      total: 40,
      invoice: { gross: 45, label: null }, // `holder` was local to the sub-process
    });
    const sub = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi.processInstanceKey, element_id: 'sub' })
      .first();
    const subVars = await t.db.knex('engine.variable').where({ scope_key: sub.key }).orderBy('name');
    expect(subVars.map((v) => [v.name, JSON.parse(v.value)])).toEqual([
      ['holder', 'Li Lei'],
      ['subtotal', 40],
    ]);
  });

  test('variable records carry the changes', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'variables' as never,
      variables: { customer: { name: 'A', meters: [] }, lines: 0 },
    });
    const rows = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi.processInstanceKey, value_type: 'VARIABLE' })
      .orderBy('position');
    expect(rows.map((r) => r.value.name)).toEqual(
      expect.arrayContaining(['customer', 'lines', 'subtotal', 'holder', 'meter', 'tariff']),
    );
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });

  test('a job completion with a wrong variables shape is a 400 and changes nothing', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'variables' as never,
      variables: { customer: { name: 'B', meters: ['X'] }, lines: 0 },
    });
    const job = await activateOne('price', pi.processInstanceKey);
    const res = await fetch(`${t.url}/v2/jobs/${job.jobKey}/completion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: [1, 2, 3] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { title?: string }).title).toBeDefined();
    const res2 = await fetch(`${t.url}/v2/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'variables', variables: 'nope' }),
    });
    expect(res2.status).toBe(400);
    expect(await t.db.knex('engine.job').where({ key: job.jobKey }).first('state')).toEqual({ state: 'ACTIVATED' });
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });
});

describe('terminate end event and milestones', () => {
  test('a terminate end event ends the waiting branch and completes the instance', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'terminate-end' as never });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_TERMINATED')).toEqual(['wait']);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toContain('milestone');
    const job = await t.db.knex('engine.job').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(job.state).toBe('CANCELED');
  });
});

describe('script task and expression incidents', () => {
  test('the script result is propagated; a condition over a missing value raises an incident that resolves after fixing data', async () => {
    const ok = await t.client.createProcessInstance({
      processDefinitionId: 'script-error' as never,
      variables: { x: 7 },
    });
    expect(await instanceState(t.db.knex, ok.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, ok.processInstanceKey)).toEqual({ x: 7, doubled: 14 });

    const pi = await t.client.createProcessInstance({ processDefinitionId: 'script-error' as never, variables: {} });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident.error_type).toBe('CONDITION_ERROR');
    expect(incident.element_id).toBe('check');
    expect(incident.error_message).toContain("to be 'BOOLEAN', but was 'NULL'");
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { doubled: 20 },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });
});
