import { rejection, startTestEngine, fixtureFile, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

describe('deployments', () => {
  test('topology answers like a one-broker cluster', async () => {
    const topo = await t.client.getTopology();
    expect(topo.brokers[0].partitions[0].role).toBe('leader');
  });

  test('identical XML keeps version and key; changed XML gets version n+1', async () => {
    const first = await t.deploy('service-task.bpmn');
    expect(first.processes[0]).toMatchObject({ processDefinitionId: 'service-task', processDefinitionVersion: 1 });
    const again = await t.deploy('service-task.bpmn');
    expect(again.processes[0].processDefinitionKey).toBe(first.processes[0].processDefinitionKey);
    expect(again.processes[0].processDefinitionVersion).toBe(1);
    const xml = fixtureFile('service-task.bpmn');
    const changed = new File([(await xml.text()).replace('name="Charge"', 'name="Charge fee"')], 'service-task.bpmn');
    const second = await t.client.createDeployment({ resources: [changed] });
    expect(second.processes[0].processDefinitionVersion).toBe(2);
    const xmlBack = await t.client.getProcessDefinitionXml(
      { processDefinitionKey: second.processes[0].processDefinitionKey },
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(String(xmlBack)).toContain('Charge fee');
  });

  test.each([
    ['invalid-no-job-type.bpmn', 'task', 'zeebe:taskDefinition'],
    ['invalid-feel.bpmn', 'task', 'parse expression'],
    ['invalid-unsupported.bpmn', 'cx', 'ComplexGateway'],
  ])('%s is rejected naming file and element; nothing is stored', async (file, elementId, text) => {
    const err = await rejection(t.deploy(file, 'service-task.bpmn'));
    expect(err.status).toBe(400);
    expect(err.detail).toContain(file);
    expect(err.detail).toContain(elementId);
    expect(err.detail).toContain(text);
    const stored = await t.db.knex('engine.process_definition').where({ bpmn_process_id: file.replace('.bpmn', '') });
    expect(stored).toHaveLength(0);
  });
});

describe('service task and jobs', () => {
  beforeAll(async () => {
    await t.deploy('service-task.bpmn');
  });

  test('a job carries type, headers, variables; completion propagates variables and ends the instance', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'service-task' as never,
      variables: { amount: 12 },
    });
    const { jobs } = await t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 5,
      timeout: 30000,
      worker: 'w1',
      requestTimeout: -1,
    } as never);
    const job = jobs.find((j) => j.processInstanceKey === pi.processInstanceKey)!;
    expect(job).toMatchObject({
      elementId: 'charge',
      customHeaders: { channel: 'counter' },
      retries: 2,
      worker: 'w1',
      variables: { amount: 12 },
    });
    await t.client.completeJob({ jobKey: job.jobKey, variables: { receipt: 'R-1' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ amount: 12, receipt: 'R-1' });
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'charge',
      'end',
      'service-task',
    ]);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'SEQUENCE_FLOW_TAKEN')).toEqual(['f1', 'f2']);
    const actor = await t.db.knex('engine.record').where({ key: job.jobKey, intent: 'COMPLETED' }).first('actor');
    expect(actor.actor).toBe('w1');
  });

  test('completing a job twice is a 404 like an unknown job key (Zeebe forgets completed jobs), and neither changes anything', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'service-task' as never, variables: {} });
    const { jobs } = await t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 5,
      timeout: 30000,
      worker: 'w1',
      requestTimeout: -1,
    } as never);
    const job = jobs.find((j) => j.processInstanceKey === pi.processInstanceKey)!;
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    const before = await t.db.knex('engine.record').count('* as n').first();
    const twice = await rejection(t.client.completeJob({ jobKey: job.jobKey, variables: {} }));
    expect(twice).toMatchObject({ status: 404, title: 'NOT_FOUND' });
    expect(twice.detail).toBe(
      `Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete job with key '${job.jobKey}', but no such job was found`,
    );
    expect((await rejection(t.client.completeJob({ jobKey: '2251799813999999' as never, variables: {} }))).status).toBe(
      404,
    );
    const after = await t.db.knex('engine.record').count('* as n').first();
    expect(after).toEqual(before);
  });

  test('an unknown process id is a 404', async () => {
    const err = await rejection(t.client.createProcessInstance({ processDefinitionId: 'no-such-process' as never }));
    expect(err.status).toBe(404);
  });

  test('a long poll answers as soon as a job appears', async () => {
    const poll = t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 30000,
      worker: 'w2',
      requestTimeout: 20000,
    } as never);
    await new Promise((r) => setTimeout(r, 300));
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'service-task' as never });
    const { jobs } = await poll;
    expect(jobs.map((j) => j.processInstanceKey)).toEqual([pi.processInstanceKey]);
  });

  test('fail with retries makes the job activatable again; out of retries raises an incident; resolution retries', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'service-task' as never });
    const take = async () =>
      (
        await t.client.activateJobs({
          type: 'charge',
          maxJobsToActivate: 5,
          timeout: 30000,
          worker: 'w3',
          requestTimeout: 5000,
        } as never)
      ).jobs.find((j) => j.processInstanceKey === pi.processInstanceKey)!;
    let job = await take();
    await t.client.failJob({ jobKey: job.jobKey, retries: 1, errorMessage: 'printer jammed' });
    job = await take();
    expect(job.retries).toBe(1);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'printer on fire' });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({
      error_type: 'JOB_NO_RETRIES',
      error_message: 'printer on fire',
      element_id: 'charge',
    });
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: incident.key });
    job = await take();
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('a BPMN error nobody catches raises UNHANDLED_ERROR_EVENT; resolving makes the job activatable again', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'service-task' as never });
    const take = async () =>
      (
        await t.client.activateJobs({
          type: 'charge',
          maxJobsToActivate: 5,
          timeout: 30000,
          worker: 'w4',
          requestTimeout: 5000,
        } as never)
      ).jobs.find((j) => j.processInstanceKey === pi.processInstanceKey)!;
    const job = await take();
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'CARD_DECLINED', errorMessage: 'card declined' });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({ error_type: 'UNHANDLED_ERROR_EVENT', element_id: 'charge', job_key: job.jobKey });
    expect(incident.error_message).toContain("'CARD_DECLINED'");
    await t.client.resolveIncident({ incidentKey: incident.key });
    const again = await take();
    expect(again.jobKey).toBe(job.jobKey);
    await t.client.completeJob({ jobKey: again.jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('cancel terminates the instance and its job', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'service-task' as never });
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('TERMINATED');
    const job = await t.db.knex('engine.job').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(job.state).toBe('CANCELED');
    expect(
      (await rejection(t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey }))).status,
    ).toBe(404);
  });
});

describe('resources and bad input', () => {
  test('deleting the latest version makes the previous one the latest; a definition with running instances is kept', async () => {
    const xml = await fixtureFile('service-task.bpmn').text();
    const v1 = await t.client.createDeployment({
      resources: [new File([xml.replace(/service-task/g, 'deletable')], 'deletable.bpmn')],
    });
    const v2 = await t.client.createDeployment({
      resources: [
        new File([xml.replace(/service-task/g, 'deletable').replace('name="Charge"', 'name="C2"')], 'deletable.bpmn'),
      ],
    });
    const running = await t.client.createProcessInstance({
      processDefinitionKey: v2.processes[0].processDefinitionKey,
    });
    expect(
      (await rejection(t.client.deleteResource({ resourceKey: v2.processes[0].processDefinitionKey as never }))).status,
    ).toBe(409);
    await t.client.cancelProcessInstance({ processInstanceKey: running.processInstanceKey });
    await t.client.deleteResource({ resourceKey: v2.processes[0].processDefinitionKey as never });
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'deletable' as never });
    expect(pi.processDefinitionKey).toBe(v1.processes[0].processDefinitionKey);
    expect(
      (await rejection(t.client.createProcessInstance({ processDefinitionKey: v2.processes[0].processDefinitionKey })))
        .status,
    ).toBe(404);
    expect(
      (await rejection(t.client.deleteResource({ resourceKey: v2.processes[0].processDefinitionKey as never }))).status,
    ).toBe(404);
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });

  test('malformed requests are 400 problem documents', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${t.url}/v2${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    for (const [path, body] of [
      ['/jobs/activation', { type: 'charge', maxJobsToActivate: 1, timeout: 'soon' }],
      ['/jobs/activation', { maxJobsToActivate: 1, timeout: '1000' }],
      ['/process-instances', { processDefinitionId: 'service-task', variables: [1] }],
      ['/process-instances', '{not json'],
      ['/process-instances', {}],
    ] as const) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { status: number; title: string; detail: string };
      expect(problem.status).toBe(400);
      expect(problem.detail).toBeTruthy();
    }
  });
});
