import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';
import { pinClock } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'call-child.bpmn',
    'call-parent.bpmn',
    'call-parent-mapped.bpmn',
    'call-unknown.bpmn',
    'call-boundary.bpmn',
    'call-timer.bpmn',
  );
});
afterAll(async () => {
  await t?.client.resetClock();
  await t?.stop();
});

async function activateFor(type: string, piKey: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 50,
    timeout: 30000,
    worker: 'test',
    requestTimeout: 2000,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === piKey);
  if (!job) throw new Error(`no ${type} job for ${piKey}`);
  return job;
}

async function childOf(
  parentKey: string,
): Promise<{ key: string; parent_element_instance_key: string; state: string }> {
  return eventually(() =>
    t.db.knex('engine.process_instance').where({ parent_process_instance_key: parentKey }).first(),
  );
}

describe('call activity', () => {
  test('the child gets the parent variables and the input mappings; its variables come back; the hierarchy is recorded', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent' as never,
      variables: { orderId: 'A-1', note: 'keep' },
    });
    const child = await childOf(pi.processInstanceKey);
    const callEl = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi.processInstanceKey, element_id: 'call' })
      .first();
    expect(child.parent_element_instance_key).toBe(callEl.key);
    expect(callEl.element_type).toBe('CALL_ACTIVITY');

    const job = await activateFor('child-work', child.key);
    expect(job.variables).toEqual({ orderId: 'A-1', note: 'keep', childOrder: 'A-1-c' });
    // Records of the child carry the parent keys (the query side reads the call hierarchy from them).
    const rec = await t.db
      .knex('engine.record')
      .where({ process_instance_key: child.key, intent: 'ELEMENT_ACTIVATING', element_id: 'call-child' })
      .first();
    expect(rec.value).toMatchObject({
      parentProcessInstanceKey: pi.processInstanceKey,
      parentElementInstanceKey: callEl.key,
    });

    await t.client.completeJob({ jobKey: job.jobKey, variables: { childResult: 21, note: 'changed by child' } });
    expect(await instanceState(t.db.knex, child.key)).toBe('COMPLETED');
    const after = await activateFor('parent-after', pi.processInstanceKey);
    expect(after.variables).toMatchObject({ orderId: 'A-1', childResult: 21, note: 'changed by child' });
    await t.client.completeJob({ jobKey: after.jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'call',
      'after',
      'end',
      'call-parent',
    ]);
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).not.toHaveProperty('childOrder');
  });

  test('propagateAll…=false: only the input mappings go down, only the output mappings come back; processId by FEEL', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent-mapped' as never,
      variables: { orderId: 'B-2', secret: 's3cret', childProcess: 'call-child' },
    });
    const child = await childOf(pi.processInstanceKey);
    const job = await activateFor('child-work', child.key);
    expect(job.variables).toEqual({ childOrder: 'B-2' });
    await t.client.completeJob({ jobKey: job.jobKey, variables: { childResult: 5, noise: true } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      orderId: 'B-2',
      secret: 's3cret',
      childProcess: 'call-child',
      doubled: 10,
    });
  });

  test('cancelling the parent terminates the child and its job; the child itself cannot be cancelled', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent' as never,
      variables: { orderId: 'C-3' },
    });
    const child = await childOf(pi.processInstanceKey);
    const job = await activateFor('child-work', child.key);
    await expect(t.client.cancelProcessInstance({ processInstanceKey: child.key as never })).rejects.toMatchObject({
      status: 409,
    });
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('TERMINATED');
    expect(await instanceState(t.db.knex, child.key)).toBe('TERMINATED');
    expect(await t.db.knex('engine.job').where({ key: job.jobKey }).first('state')).toEqual({ state: 'CANCELED' });
    expect(await elementsWith(t.db.knex, child.key, 'ELEMENT_TERMINATED')).toEqual(['child-work', 'call-child']);
  });

  test('an incident in the child stays in the child; resolving it lets parent and child finish', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent' as never,
      variables: { orderId: 'D-4' },
    });
    const child = await childOf(pi.processInstanceKey);
    const job = await activateFor('child-work', child.key);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'meter offline' });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: child.key, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({ error_type: 'JOB_NO_RETRIES', element_id: 'child-work' });
    expect(await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey })).toHaveLength(0);
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    const again = await activateFor('child-work', child.key);
    await t.client.completeJob({ jobKey: again.jobKey });
    const after = await activateFor('parent-after', pi.processInstanceKey);
    await t.client.completeJob({ jobKey: after.jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('a BPMN error thrown in the child and caught nowhere is an incident where it was thrown', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent' as never,
      variables: { orderId: 'E-5' },
    });
    const child = await childOf(pi.processInstanceKey);
    const job = await activateFor('child-work', child.key);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'NO_METER', errorMessage: 'no meter at premises' });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: child.key, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({
      error_type: 'UNHANDLED_ERROR_EVENT',
      element_id: 'child-work',
      job_key: job.jobKey,
    });
    expect(incident.error_message).toContain("'NO_METER'");
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect(await instanceState(t.db.knex, child.key)).toBe('TERMINATED');
  });

  test("a BPMN error not caught in the child is caught by the call activity's boundary event; the child is terminated", async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'call-boundary' as never, variables: {} });
    const child = await childOf(pi.processInstanceKey);
    const job = await activateFor('child-work', child.key);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'NO_METER', variables: { reason: 'gone' } } as never);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await instanceState(t.db.knex, child.key)).toBe('TERMINATED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'caught',
      'handled',
      'call-boundary',
    ]);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_TERMINATED')).toEqual(['call']);
    expect(
      await t.db.knex('engine.incident').whereIn('process_instance_key', [pi.processInstanceKey, child.key]),
    ).toHaveLength(0);
  });

  test('an interrupting timer boundary event on the call activity terminates the child', async () => {
    const now = Date.parse('2030-01-02T08:00:00Z');
    await pinClock(t, now);
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'call-timer' as never, variables: {} });
    const child = await childOf(pi.processInstanceKey);
    await pinClock(t, now + 11 * 60_000);
    await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED');
    expect(await instanceState(t.db.knex, child.key)).toBe('TERMINATED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'too-late',
      'escalated',
      'call-timer',
    ]);
    expect(await t.db.knex('engine.job').where({ process_instance_key: child.key }).pluck('state')).toEqual([
      'CANCELED',
    ]);
    await t.client.resetClock();
  });

  test('an unknown called process is a CALLED_ELEMENT_ERROR incident; deploying it and resolving starts the child', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-unknown' as never,
      variables: { x: 1 },
    });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({ error_type: 'CALLED_ELEMENT_ERROR', element_id: 'call' });
    expect(incident.error_message).toBe(
      "Expected process with BPMN process id 'call-late' to be deployed, but not found.",
    );
    const searched = await t.client.searchIncidents(
      { filter: { processInstanceKey: pi.processInstanceKey } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect((searched.items ?? []).map((i) => i.errorType)).toEqual(['CALLED_ELEMENT_ERROR']);

    // Resolving before the deployment raises it again.
    await t.client.resolveIncident({ incidentKey: incident.key });
    const second = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(second).toMatchObject({ error_type: 'CALLED_ELEMENT_ERROR' });

    await t.deploy('call-late.bpmn');
    await t.client.resolveIncident({ incidentKey: second.key });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const child = await t.db
      .knex('engine.process_instance')
      .where({ parent_process_instance_key: pi.processInstanceKey })
      .first();
    expect(child).toMatchObject({ bpmn_process_id: 'call-late', state: 'COMPLETED' });
    expect(await rootVariables(t.db.knex, child.key)).toEqual({ x: 1 });
  });

  test('binding types: versionTag picks the tagged version, deployment the version deployed with the caller', async () => {
    const child = (tag: string, end: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="tariff-check" isExecutable="true">
    <bpmn:extensionElements><zeebe:versionTag value="${tag}" /></bpmn:extensionElements>
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="${end}" /><bpmn:endEvent id="${end}" />
  </bpmn:process>
</bpmn:definitions>`;
    const parent = (id: string, binding: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="tariff-check" ${binding} /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    const file = (name: string, xml: string) => new File([xml], name);
    await t.client.createDeployment({
      resources: [
        file('tariff-check.bpmn', child('2029', 'end-2029')),
        file('by-deployment.bpmn', parent('by-deployment', 'bindingType="deployment"')),
      ],
    });
    await t.client.createDeployment({ resources: [file('tariff-check.bpmn', child('2030', 'end-2030'))] });
    await t.client.createDeployment({
      resources: [
        file('by-tag.bpmn', parent('by-tag', 'bindingType="versionTag" versionTag="2029"')),
        file('by-latest.bpmn', parent('by-latest', '')),
      ],
    });
    const calledVersion = async (processId: string) => {
      const pi = await t.client.createProcessInstance({ processDefinitionId: processId as never });
      expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
      const c = await t.db
        .knex('engine.process_instance')
        .where({ parent_process_instance_key: pi.processInstanceKey })
        .first();
      return [c.version, c.version_tag];
    };
    expect(await calledVersion('by-deployment')).toEqual([1, '2029']);
    expect(await calledVersion('by-tag')).toEqual([1, '2029']);
    expect(await calledVersion('by-latest')).toEqual([2, '2030']);
    const err = await t.client
      .createDeployment({ resources: [file('bad-binding.bpmn', parent('bad-binding', 'bindingType="versionTag"'))] })
      .then(
        () => null,
        (e) => e as { status?: number; detail?: string },
      );
    expect(err).toMatchObject({ status: 400 });
    expect(err?.detail).toContain('versionTag');
  });

  test('restart with the child waiting on a job: both finish afterwards', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'call-parent' as never,
      variables: { orderId: 'F-6' },
    });
    const child = await childOf(pi.processInstanceKey);
    await t.restart();
    const job = await activateFor('child-work', child.key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { childResult: 1 } });
    const after = await activateFor('parent-after', pi.processInstanceKey);
    await t.client.completeJob({ jobKey: after.jobKey });
    expect(await instanceState(t.db.knex, child.key)).toBe('COMPLETED');
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });
});
