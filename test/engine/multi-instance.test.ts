import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'mi-parallel.bpmn',
    'mi-sequential.bpmn',
    'mi-condition.bpmn',
    'mi-nested.bpmn',
    'mi-call.bpmn',
    'call-child.bpmn',
    'mi-boundary.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

async function jobsFor(type: string, piKey: string, expected: number) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 50,
    timeout: 30000,
    worker: 'test',
    requestTimeout: 2000,
  } as never);
  const mine = jobs.filter((j) => j.processInstanceKey === piKey);
  if (mine.length !== expected) throw new Error(`expected ${expected} ${type} jobs for ${piKey}, got ${mine.length}`);
  return mine;
}

/** The process-instance records of one element, as (intent, element type) pairs in log order. */
async function lifecycle(piKey: string, elementId: string) {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: piKey, element_id: elementId, value_type: 'PROCESS_INSTANCE' })
    .orderBy('position');
  return rows.map((r) => `${r.element_type}:${r.intent}`);
}

function elements(piKey: string, elementId: string) {
  return t.db
    .knex('engine.element_instance')
    .where({ process_instance_key: piKey, element_id: elementId })
    .orderBy('key');
}

describe('multi-instance', () => {
  test('parallel: the body and every inner instance at once; output collection in loopCounter order whatever the completion order', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-parallel' as never,
      variables: { items: ['a', 'b', 'c'] },
    });
    const jobs = await jobsFor('mi-par', pi.processInstanceKey, 3);
    expect(jobs.map((j) => [j.variables.item, j.variables.loopCounter])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const els = await elements(pi.processInstanceKey, 'work');
    const body = els.find((e) => e.element_type === 'MULTI_INSTANCE_BODY')!;
    const inner = els.filter((e) => e.element_type === 'SERVICE_TASK');
    expect(inner.map((e) => [e.flow_scope_key, e.loop_counter])).toEqual([
      [body.key, 1],
      [body.key, 2],
      [body.key, 3],
    ]);
    // Completed in reverse; the second one sets no result → null at its index.
    await t.client.completeJob({ jobKey: jobs[2].jobKey, variables: { result: 'C' } });
    await t.client.completeJob({ jobKey: jobs[1].jobKey });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await t.client.completeJob({ jobKey: jobs[0].jobKey, variables: { result: 'A' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      items: ['a', 'b', 'c'],
      results: ['A', null, 'C'],
    });
    const log = await lifecycle(pi.processInstanceKey, 'work');
    expect(log.slice(0, 2)).toEqual([
      'MULTI_INSTANCE_BODY:ELEMENT_ACTIVATING',
      'MULTI_INSTANCE_BODY:ELEMENT_ACTIVATED',
    ]);
    expect(log.filter((l) => l === 'SERVICE_TASK:ELEMENT_ACTIVATED')).toHaveLength(3);
    expect(log.indexOf('SERVICE_TASK:ELEMENT_ACTIVATED')).toBeLessThan(log.indexOf('SERVICE_TASK:ELEMENT_COMPLETED'));
    expect(log.at(-1)).toBe('MULTI_INSTANCE_BODY:ELEMENT_COMPLETED');
    // The official client reads the body and its inner instances (fanatical response validation).
    const found = await t.client.searchElementInstances(
      { filter: { processInstanceKey: pi.processInstanceKey, elementId: 'work' } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect((found.items ?? []).map((e) => e.type).sort()).toEqual([
      'MULTI_INSTANCE_BODY',
      'SERVICE_TASK',
      'SERVICE_TASK',
      'SERVICE_TASK',
    ]);
  });

  test('sequential: one inner instance after the other, over the collection as evaluated on activation', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-sequential' as never,
      variables: { items: [10, 20] },
    });
    const [first] = await jobsFor('mi-seq', pi.processInstanceKey, 1);
    expect(first.variables).toMatchObject({ item: 10, loopCounter: 1 });
    // Changing the variable does not change the iteration (Zeebe 8.8 keeps the evaluated collection).
    await t.client.completeJob({ jobKey: first.jobKey, variables: { result: 11, items: [99, 98, 97] } });
    const [second] = await jobsFor('mi-seq', pi.processInstanceKey, 1);
    expect(second.variables).toMatchObject({ item: 20, loopCounter: 2 });
    await t.client.completeJob({ jobKey: second.jobKey, variables: { result: 21 } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ items: [99, 98, 97], results: [11, 21] });
    const log = (await lifecycle(pi.processInstanceKey, 'work')).filter((l) => l.startsWith('SERVICE_TASK'));
    expect(log).toEqual([
      'SERVICE_TASK:ELEMENT_ACTIVATING',
      'SERVICE_TASK:ELEMENT_ACTIVATED',
      'SERVICE_TASK:ELEMENT_COMPLETING',
      'SERVICE_TASK:ELEMENT_COMPLETED',
      'SERVICE_TASK:ELEMENT_ACTIVATING',
      'SERVICE_TASK:ELEMENT_ACTIVATED',
      'SERVICE_TASK:ELEMENT_COMPLETING',
      'SERVICE_TASK:ELEMENT_COMPLETED',
    ]);
  });

  test('an empty collection completes the body at once with an empty output collection', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-parallel' as never,
      variables: { items: [] },
    });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ items: [], results: [] });
  });

  test('an input collection that is not a list is an incident; fixing the variable and resolving runs the loop', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-parallel' as never,
      variables: { items: 'a,b' },
    });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({ error_type: 'EXTRACT_VALUE_ERROR', element_id: 'work' });
    expect(incident.error_message).toBe("Expected result of the expression 'items' to be 'ARRAY', but was 'STRING'.");
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { items: ['x'] },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    const [job] = await jobsFor('mi-par', pi.processInstanceKey, 1);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { result: 'X' } });
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ items: ['x'], results: ['X'] });
  });

  test('completion condition: once two are done the third is terminated and the body completes', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-condition' as never,
      variables: { items: [1, 2, 3] },
    });
    const jobs = await jobsFor('mi-cond', pi.processInstanceKey, 3);
    await t.client.completeJob({ jobKey: jobs[0].jobKey, variables: { result: 'one' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await t.client.completeJob({ jobKey: jobs[2].jobKey, variables: { result: 'three' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      items: [1, 2, 3],
      results: ['one', null, 'three'],
    });
    const inner = (await elements(pi.processInstanceKey, 'work')).filter((e) => e.element_type === 'SERVICE_TASK');
    expect(inner.map((e) => [e.loop_counter, e.state])).toEqual([
      [1, 'COMPLETED'],
      [2, 'TERMINATED'],
      [3, 'COMPLETED'],
    ]);
    expect(await t.db.knex('engine.job').where({ key: jobs[1].jobKey }).first('state')).toEqual({ state: 'CANCELED' });
  });

  test("sequential completion condition: evaluated after each instance, with the instance's variables; no further instances", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="mi-first-match" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="try" />
    <bpmn:userTask id="try" name="Try a meter reader">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition assignee="=reader" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="= readers" inputElement="reader" outputCollection="answers" outputElement="= accepted" /></bpmn:extensionElements>
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">= accepted or numberOfCompletedInstances = numberOfInstances</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="try" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    await t.client.createDeployment({ resources: [new File([xml], 'mi-first-match.bpmn')] });
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-first-match' as never,
      variables: { readers: ['wang', 'li', 'zhao'] },
    });
    const open = () =>
      t.db.knex('engine.user_task').where({ process_instance_key: pi.processInstanceKey, state: 'CREATED' });
    let [task] = await open();
    expect(task.assignee).toBe('wang');
    await t.client.completeUserTask({ userTaskKey: task.key, variables: { accepted: false } } as never);
    [task] = await open();
    expect(task.assignee).toBe('li');
    await t.client.completeUserTask({ userTaskKey: task.key, variables: { accepted: true } } as never);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await open()).toHaveLength(0);
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      readers: ['wang', 'li', 'zhao'],
      answers: [false, true, null],
    });
    const inner = (await elements(pi.processInstanceKey, 'try')).filter((e) => e.element_type === 'USER_TASK');
    expect(inner.map((e) => e.loop_counter)).toEqual([1, 2]);
  });

  test('a completion condition that is not a boolean is an incident on the inner instance; resolving re-evaluates it', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="mi-bad-condition" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="w" />
    <bpmn:serviceTask id="w"><bpmn:extensionElements><zeebe:taskDefinition type="mi-badcond" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="= [1, 2]" /></bpmn:extensionElements>
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">= enough</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="w" targetRef="e" /><bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    await t.client.createDeployment({ resources: [new File([xml], 'mi-bad-condition.bpmn')] });
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'mi-bad-condition' as never });
    const [job] = await jobsFor('mi-badcond', pi.processInstanceKey, 1);
    await t.client.completeJob({ jobKey: job.jobKey });
    const incident = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(incident).toMatchObject({ error_type: 'EXTRACT_VALUE_ERROR', element_instance_key: job.elementInstanceKey });
    expect(incident.error_message).toContain(
      "Expected result of the expression 'enough' to be 'BOOLEAN', but was 'NULL'.",
    );
    expect((await t.db.knex('engine.element_instance').where({ key: job.elementInstanceKey }).first()).state).toBe(
      'COMPLETING',
    );
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { enough: true },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const inner = (await elements(pi.processInstanceKey, 'w')).filter((e) => e.element_type === 'SERVICE_TASK');
    expect(inner.map((e) => [e.loop_counter, e.state])).toEqual([[1, 'COMPLETED']]);
  });

  test('nested: a sequential multi-instance task inside a parallel multi-instance sub-process, across a restart', async () => {
    const books = [
      { id: 'B1', meters: ['m1', 'm2'] },
      { id: 'B2', meters: ['m3'] },
    ];
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-nested' as never,
      variables: { books },
    });
    let round = await jobsFor('mi-read', pi.processInstanceKey, 2);
    expect(round.map((j) => [j.variables.bookId, j.variables.meter]).sort()).toEqual([
      ['B1', 'm1'],
      ['B2', 'm3'],
    ]);
    await t.restart();
    for (const j of round)
      await t.client.completeJob({ jobKey: j.jobKey, variables: { value: `${j.variables.meter}=1` } });
    round = await jobsFor('mi-read', pi.processInstanceKey, 1);
    expect(round[0].variables).toMatchObject({ bookId: 'B1', meter: 'm2', loopCounter: 2 });
    await t.client.completeJob({ jobKey: round[0].jobKey, variables: { value: 'm2=7' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect((await rootVariables(t.db.knex, pi.processInstanceKey)).bookTotals).toEqual([
      { book: 'B1', readings: ['m1=1', 'm2=7'] },
      { book: 'B2', readings: ['m3=1'] },
    ]);
    const bodies = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi.processInstanceKey, element_type: 'MULTI_INSTANCE_BODY' });
    expect(bodies.map((b) => b.element_id).sort()).toEqual(['per-book', 'read', 'read']);
    expect(
      await t.db.knex('engine.multi_instance_body').where({ process_instance_key: pi.processInstanceKey }),
    ).toHaveLength(0);
  });

  test('parallel call activity: one child per item, outputs collected by loopCounter; cancel cascades to every child', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-call' as never,
      variables: { items: ['p', 'q'] },
    });
    const children = await t.db
      .knex('engine.process_instance')
      .where({ parent_process_instance_key: pi.processInstanceKey })
      .orderBy('key');
    expect(children).toHaveLength(2);
    // The jobs belong to the children, not to the parent.
    const { jobs } = await t.client.activateJobs({
      type: 'child-work',
      maxJobsToActivate: 50,
      timeout: 30000,
      worker: 'test',
      requestTimeout: 2000,
    } as never);
    expect(jobs.filter((j) => j.processInstanceKey === pi.processInstanceKey)).toHaveLength(0);
    const childJobs = children.map((c) => jobs.find((j) => j.processInstanceKey === c.key)!);
    // propagateAllParentVariables (default true): the child sees the inner instance's variables too.
    expect(childJobs.map((j) => j.variables)).toEqual([
      expect.objectContaining({ childOrder: 'p', item: 'p', loopCounter: 1 }),
      expect.objectContaining({ childOrder: 'q', item: 'q', loopCounter: 2 }),
    ]);
    await t.client.completeJob({ jobKey: childJobs[1].jobKey, variables: { childResult: 'Q!' } });
    await t.client.completeJob({ jobKey: childJobs[0].jobKey, variables: { childResult: 'P!' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ items: ['p', 'q'], outs: ['P!', 'Q!'] });

    const pi2 = await t.client.createProcessInstance({
      processDefinitionId: 'mi-call' as never,
      variables: { items: [1, 2, 3] },
    });
    await t.client.cancelProcessInstance({ processInstanceKey: pi2.processInstanceKey });
    const states = await t.db
      .knex('engine.process_instance')
      .where({ parent_process_instance_key: pi2.processInstanceKey })
      .pluck('state');
    expect(states).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED']);
  });

  test('boundary events attach to the body: an error from one inner instance terminates them all, with no partial output', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'mi-boundary' as never,
      variables: { items: [1, 2] },
    });
    const jobs = await jobsFor('mi-bnd', pi.processInstanceKey, 2);
    await t.client.completeJob({ jobKey: jobs[0].jobKey, variables: { result: 'one' } });
    await t.client.throwJobError({ jobKey: jobs[1].jobKey, errorCode: 'NO_METER' } as never);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const els = await elements(pi.processInstanceKey, 'work');
    expect(els.map((e) => [e.element_type, e.loop_counter, e.state])).toEqual([
      ['MULTI_INSTANCE_BODY', null, 'TERMINATED'],
      ['SERVICE_TASK', 1, 'COMPLETED'],
      ['SERVICE_TASK', 2, 'TERMINATED'],
    ]);
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ items: [1, 2] });
    expect(
      await t.db
        .knex('engine.record')
        .where({ process_instance_key: pi.processInstanceKey, element_id: 'handled', intent: 'ELEMENT_COMPLETED' }),
    ).toHaveLength(1);
  });

  test('deployment rejects a multi-instance activity without an input collection', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="mi-broken" isExecutable="true">
    <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="w" />
    <bpmn:serviceTask id="w"><bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputElement="i" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>`;
    const err = await t.client.createDeployment({ resources: [new File([xml], 'mi-broken.bpmn')] }).then(
      () => null,
      (e) => e as { status?: number; detail?: string },
    );
    expect(err?.status).toBe(400);
    expect(err?.detail).toContain('inputCollection');
    expect(err?.detail).toContain('Element: w');
  });
});
