import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// Ad-hoc sub-processes as Camunda 8.8 runs them without a job worker: activeElementsCollection on
// entry, one AD_HOC_SUB_PROCESS_INNER_INSTANCE per activated element, output collection, completion
// condition with and without cancelRemainingInstances, the activation API, and a restart mid-flow.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'ad-hoc-bpmn.bpmn',
    'ad-hoc-condition-cancel.bpmn',
    'ad-hoc-condition-wait.bpmn',
    'ad-hoc-multi.bpmn',
    'ad-hoc-boundary.bpmn',
    'service-task.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

const start = async (id: string, variables: Record<string, unknown> = {}) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables })).processInstanceKey;

async function jobs(type: string, piKey: string, expected: number) {
  const { jobs: all } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 50,
    timeout: 30000,
    worker: 'test',
    requestTimeout: expected ? 2000 : -1,
  } as never);
  const mine = all.filter((j) => j.processInstanceKey === piKey);
  if (mine.length !== expected) throw new Error(`expected ${expected} ${type} jobs for ${piKey}, got ${mine.length}`);
  return mine;
}

/** PROCESS_INSTANCE records as `elementId:elementType:intent`, in log order. */
async function log(piKey: string) {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: piKey, value_type: 'PROCESS_INSTANCE' })
    .orderBy('position');
  return rows.map((r) => `${r.element_id}:${r.intent.replace('ELEMENT_', '')}`);
}

const elementRows = (piKey: string) =>
  t.db.knex('engine.element_instance').where({ process_instance_key: piKey }).orderBy('key');

async function localVariables(scopeKey: string) {
  const rows = await t.db.knex('engine.variable').where({ scope_key: scopeKey }).select('name', 'value');
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}

describe('ad-hoc sub-process (BPMN implementation)', () => {
  test('activeElementsCollection: each element in its own inner instance; a flow inside runs on; results collected in completion order; completes when none is left', async () => {
    const pi = await start('ad-hoc-bpmn', { toActivate: ['C', 'A'] });
    const els = await elementRows(pi);
    const adhoc = els.find((e) => e.element_id === 'adhoc')!;
    expect(adhoc).toMatchObject({ element_type: 'AD_HOC_SUB_PROCESS', state: 'ACTIVATED' });
    const inner = els.filter((e) => e.element_type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE');
    expect(inner.map((e) => [e.element_id, e.flow_scope_key, e.state])).toEqual([
      ['adhoc#innerInstance', adhoc.key, 'ACTIVATED'],
      ['adhoc#innerInstance', adhoc.key, 'ACTIVATED'],
    ]);
    // C in the first inner instance, A in the second: the collection's order.
    const c = els.find((e) => e.element_id === 'C')!;
    const a = els.find((e) => e.element_id === 'A')!;
    expect([c.flow_scope_key, a.flow_scope_key]).toEqual([inner[0].key, inner[1].key]);
    expect(els.some((e) => e.element_id === 'B' || e.element_id === 'D')).toBe(false);

    // The activatable elements (D has an incoming flow), with name, documentation and properties.
    const adhocVars = await localVariables(adhoc.key);
    expect(adhocVars).toEqual({
      adHocSubProcessElements: [
        {
          elementId: 'A',
          elementName: 'Check meter',
          documentation: 'Reads the meter on site',
          properties: { team: 'readers' },
        },
        { elementId: 'B', elementName: 'Check seal' },
        { elementId: 'C', elementName: 'Survey' },
      ],
      results: [],
    });
    // outputElement reads `result`: each inner instance holds its own.
    expect(await localVariables(inner[0].key)).toEqual({ result: null });
    // The /v2 element instance search answers them in Camunda's shape (the client validates it).
    const found = await t.client.searchElementInstances(
      { filter: { processInstanceKey: pi }, sort: [{ field: 'elementInstanceKey' }] } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(found.items!.map((e) => [e.elementId, e.type, e.state])).toEqual([
      ['start', 'START_EVENT', 'COMPLETED'],
      ['adhoc', 'AD_HOC_SUB_PROCESS', 'ACTIVE'],
      ['adhoc#innerInstance', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'ACTIVE'],
      ['adhoc#innerInstance', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'ACTIVE'],
      ['C', 'SERVICE_TASK', 'ACTIVE'],
      ['A', 'SERVICE_TASK', 'ACTIVE'],
    ]);

    const [jobA] = await jobs('ah-a', pi, 1);
    expect(jobA.variables.adHocSubProcessElements).toHaveLength(3);
    await t.client.completeJob({ jobKey: jobA.jobKey, variables: { result: 'meter ok' } });
    expect(await localVariables(adhoc.key)).toMatchObject({ results: ['meter ok'] });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');

    const [jobC] = await jobs('ah-c', pi, 1);
    await t.client.completeJob({ jobKey: jobC.jobKey, variables: {} });
    const [jobD] = await jobs('ah-d', pi, 1);
    expect((await elementRows(pi)).find((e) => e.element_id === 'D')!.flow_scope_key).toBe(inner[0].key);
    await t.client.completeJob({ jobKey: jobD.jobKey, variables: { result: 'surveyed' } });

    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    // The collection reaches the process; the inner instances' `result` does not.
    expect(await rootVariables(t.db.knex, pi)).toEqual({
      toActivate: ['C', 'A'],
      results: ['meter ok', 'surveyed'],
    });
    expect(await log(pi)).toEqual([
      'ad-hoc-bpmn:ACTIVATING',
      'ad-hoc-bpmn:ACTIVATED',
      'start:ACTIVATING',
      'start:ACTIVATED',
      'start:COMPLETING',
      'start:COMPLETED',
      'f1:SEQUENCE_FLOW_TAKEN',
      'adhoc:ACTIVATING',
      'adhoc:ACTIVATED',
      'adhoc#innerInstance:ACTIVATING',
      'adhoc#innerInstance:ACTIVATED',
      'adhoc#innerInstance:ACTIVATING',
      'adhoc#innerInstance:ACTIVATED',
      // The engine writes ACTIVATING when it creates an element instance (as for a parallel split).
      'C:ACTIVATING',
      'A:ACTIVATING',
      'C:ACTIVATED',
      'A:ACTIVATED',
      'A:COMPLETING',
      'A:COMPLETED',
      'adhoc#innerInstance:COMPLETING',
      'adhoc#innerInstance:COMPLETED',
      'C:COMPLETING',
      'C:COMPLETED',
      'c1:SEQUENCE_FLOW_TAKEN',
      'D:ACTIVATING',
      'D:ACTIVATED',
      'D:COMPLETING',
      'D:COMPLETED',
      'adhoc#innerInstance:COMPLETING',
      'adhoc#innerInstance:COMPLETED',
      'adhoc:COMPLETING',
      'adhoc:COMPLETED',
      'f2:SEQUENCE_FLOW_TAKEN',
      'end:ACTIVATING',
      'end:ACTIVATED',
      'end:COMPLETING',
      'end:COMPLETED',
      'ad-hoc-bpmn:COMPLETING',
      'ad-hoc-bpmn:COMPLETED',
    ]);
  });

  test('an empty collection leaves it waiting; the activation API adds elements with their variables, and survives a restart', async () => {
    const pi = await start('ad-hoc-bpmn', { toActivate: [] });
    const adhoc = (await elementRows(pi)).find((e) => e.element_id === 'adhoc')!;
    expect(adhoc.state).toBe('ACTIVATED');
    expect((await elementRows(pi)).length).toBe(3); // process, start, adhoc

    await t.client.activateAdHocSubProcessActivities({
      adHocSubProcessInstanceKey: adhoc.key,
      elements: [{ elementId: 'B', variables: { seal: 'S-7' } }, { elementId: 'A' }],
    } as never);
    const instruction = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'AD_HOC_SUB_PROCESS_INSTRUCTION' })
      .first();
    expect(instruction).toMatchObject({ intent: 'ACTIVATED', element_instance_key: adhoc.key });
    expect(instruction.value).toMatchObject({
      adHocSubProcessInstanceKey: adhoc.key,
      activateElements: [
        { elementId: 'B', variables: { seal: 'S-7' } },
        { elementId: 'A', variables: {} },
      ],
    });
    const [jobB] = await jobs('ah-b', pi, 1);
    expect(jobB.variables).toMatchObject({ seal: 'S-7', result: null });
    const innerOfB = (await elementRows(pi)).find((e) => e.element_id === 'B')!.flow_scope_key;
    expect(await localVariables(innerOfB)).toEqual({ seal: 'S-7', result: null });

    await t.restart();

    await t.client.completeJob({ jobKey: jobB.jobKey, variables: { result: 'sealed' } });
    const [jobA] = await jobs('ah-a', pi, 1);
    expect(jobA.variables.seal).toBeUndefined(); // B's variables are local to B's inner instance
    await t.client.completeJob({ jobKey: jobA.jobKey, variables: { result: 'read' } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ toActivate: [], results: ['sealed', 'read'] });
  });

  test('completion condition met: the remaining inner flows are terminated (cancelRemainingInstances default)', async () => {
    const pi = await start('ad-hoc-condition-cancel', { done: false });
    const [a] = await jobs('ahc-cancel-a', pi, 1);
    const [b] = await jobs('ahc-cancel-b', pi, 1);
    await t.client.completeJob({ jobKey: b.jobKey, variables: {} }); // condition false: A still runs
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    await t.client.completeJob({ jobKey: a.jobKey, variables: { done: true } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');

    const pi2 = await start('ad-hoc-condition-cancel', { done: false });
    const [a2] = await jobs('ahc-cancel-a', pi2, 1);
    const [b2] = await jobs('ahc-cancel-b', pi2, 1);
    await t.client.completeJob({ jobKey: a2.jobKey, variables: { done: true } });
    expect(await instanceState(t.db.knex, pi2)).toBe('COMPLETED');
    const b2Row = (await elementRows(pi2)).find((e) => e.element_id === 'B')!;
    expect(b2Row.state).toBe('TERMINATED');
    const job = await t.db.knex('engine.job').where({ key: b2.jobKey }).first();
    expect(job.state).toBe('CANCELED');
    const l = await log(pi2);
    expect(l.slice(l.indexOf('A:COMPLETED'))).toEqual([
      'A:COMPLETED',
      'adhoc#innerInstance:COMPLETING',
      'adhoc#innerInstance:COMPLETED',
      'adhoc#innerInstance:TERMINATING',
      'B:TERMINATING',
      'B:TERMINATED',
      'adhoc#innerInstance:TERMINATED',
      'adhoc:COMPLETING',
      'adhoc:COMPLETED',
      'f2:SEQUENCE_FLOW_TAKEN',
      'end:ACTIVATING',
      'end:ACTIVATED',
      'end:COMPLETING',
      'end:COMPLETED',
      'ad-hoc-condition-cancel:COMPLETING',
      'ad-hoc-condition-cancel:COMPLETED',
    ]);
  });

  test('cancelRemainingInstances="false": met, it waits for the other inner flows; no condition met, it stays active with none left', async () => {
    const pi = await start('ad-hoc-condition-wait', { done: false });
    const [a] = await jobs('ahc-wait-a', pi, 1);
    const [b] = await jobs('ahc-wait-b', pi, 1);
    await t.client.completeJob({ jobKey: a.jobKey, variables: { done: true } });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    expect((await elementRows(pi)).find((e) => e.element_id === 'B')!.state).toBe('ACTIVATED');
    await t.client.completeJob({ jobKey: b.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');

    const pi2 = await start('ad-hoc-condition-wait', { done: false });
    for (const type of ['ahc-wait-a', 'ahc-wait-b']) {
      const [j] = await jobs(type, pi2, 1);
      await t.client.completeJob({ jobKey: j.jobKey, variables: {} });
    }
    const adhoc = (await elementRows(pi2)).find((e) => e.element_id === 'adhoc')!;
    expect(adhoc.state).toBe('ACTIVATED');
    expect(await instanceState(t.db.knex, pi2)).toBe('ACTIVE');
  });

  test('an unknown element id in activeElementsCollection is an incident; resolved after the variable is fixed, it goes on', async () => {
    const pi = await start('ad-hoc-bpmn', { toActivate: ['A', 'Z'] });
    const adhoc = (await elementRows(pi)).find((e) => e.element_id === 'adhoc')!;
    expect(adhoc.state).toBe('ACTIVATING');
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi }).first();
    expect(incident).toMatchObject({ error_type: 'EXTRACT_VALUE_ERROR', element_id: 'adhoc', state: 'ACTIVE' });
    expect(incident.error_message).toBe(
      `Expected to activate activities for ad-hoc sub-process with key '${adhoc.key}', but the given elements [Z] do not exist.`,
    );
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi,
      variables: { toActivate: ['A'] },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    const [a] = await jobs('ah-a', pi, 1);
    await t.client.completeJob({ jobKey: a.jobKey, variables: { result: 1 } });
    expect(await rootVariables(t.db.knex, pi)).toEqual({ toActivate: ['A'], results: [1] });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });

  test('a BPMN error from an inner task is caught by the boundary of the ad-hoc sub-process: the other inner flow is terminated', async () => {
    const pi = await start('ad-hoc-boundary');
    const [a] = await jobs('ahbd-a', pi, 1);
    const [b] = await jobs('ahbd-b', pi, 1);
    await t.client.throwJobError({ jobKey: a.jobKey, errorCode: 'NO_ACCESS', errorMessage: 'locked gate' } as never);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const byId = Object.fromEntries((await elementRows(pi)).map((e) => [`${e.element_id}:${e.element_type}`, e.state]));
    expect(byId).toMatchObject({
      'adhoc:AD_HOC_SUB_PROCESS': 'TERMINATED',
      'A:SERVICE_TASK': 'TERMINATED',
      'B:SERVICE_TASK': 'TERMINATED',
      'noAccess:BOUNDARY_EVENT': 'COMPLETED',
      'endFailed:END_EVENT': 'COMPLETED',
    });
    expect((await t.db.knex('engine.job').where({ key: b.jobKey }).first()).state).toBe('CANCELED');
  });

  test('a multi-instance ad-hoc sub-process: one per item, each with its own output collection', async () => {
    const pi = await start('ad-hoc-multi', { meters: ['m1', 'm2'] });
    const els = await elementRows(pi);
    expect(els.filter((e) => e.element_id === 'adhoc').map((e) => e.element_type)).toEqual([
      'MULTI_INSTANCE_BODY',
      'AD_HOC_SUB_PROCESS',
      'AD_HOC_SUB_PROCESS',
    ]);
    const found = await jobs('ahm-a', pi, 2);
    for (const j of found.reverse())
      await t.client.completeJob({ jobKey: j.jobKey, variables: { reading: `r-${j.variables.meter}` } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await rootVariables(t.db.knex, pi)).allFound).toEqual([['r-m1'], ['r-m2']]);
  });
});

describe('POST /v2/element-instances/ad-hoc-activities/{key}/activation: rejections', () => {
  test('unknown key, not an ad-hoc sub-process, duplicate and unknown elements, a completed one', async () => {
    const activate = (key: string, elements: Array<{ elementId: string }>) =>
      rejection(t.client.activateAdHocSubProcessActivities({ adHocSubProcessInstanceKey: key, elements } as never));
    const pi = await start('ad-hoc-bpmn', { toActivate: [] });
    const adhoc = (await elementRows(pi)).find((e) => e.element_id === 'adhoc')!;

    const unknown = await activate('2251799813999999', [{ elementId: 'A' }]);
    expect(unknown).toMatchObject({ status: 404, title: 'NOT_FOUND' });
    expect(unknown.detail).toContain("no ad-hoc sub-process instance found with key '2251799813999999'");

    const other = await start('service-task');
    const task = (await elementRows(other)).find((e) => e.element_type === 'SERVICE_TASK')!;
    expect(await activate(task.key, [{ elementId: 'A' }])).toMatchObject({ status: 404, title: 'NOT_FOUND' });

    const twice = await activate(adhoc.key, [{ elementId: 'A' }, { elementId: 'A' }]);
    expect(twice).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect(twice.detail).toContain('duplicate activities were given');

    const missing = await activate(adhoc.key, [{ elementId: 'A' }, { elementId: 'D' }, { elementId: 'X' }]);
    expect(missing).toMatchObject({ status: 404, title: 'NOT_FOUND' });
    expect(missing.detail).toContain(
      `Expected to activate activities for ad-hoc sub-process with key '${adhoc.key}', but the given elements [D, X] do not exist.`,
    );
    // Nothing was activated by the rejected calls.
    expect((await elementRows(pi)).length).toBe(3);

    await t.client.cancelProcessInstance({ processInstanceKey: pi } as never);
    expect(await activate(adhoc.key, [{ elementId: 'A' }])).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  });
});

describe('deployment checks of an ad-hoc sub-process', () => {
  const xml = (inner: string, attrs = '', ext = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="ad-hoc-invalid" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="adhoc" />
    <bpmn:adHocSubProcess id="adhoc"${attrs}><bpmn:extensionElements>${ext}</bpmn:extensionElements>${inner}</bpmn:adHocSubProcess>
  </bpmn:process>
</bpmn:definitions>`;
  test.each([
    ['no activity', xml(''), 'Must have at least one activity.'],
    ['a start event', xml('<bpmn:task id="A" /><bpmn:startEvent id="s" />'), 'Must not contain a start event.'],
    ['an end event', xml('<bpmn:task id="A" /><bpmn:endEvent id="e" />'), 'Must not contain an end event.'],
    [
      'an output collection without output element',
      xml('<bpmn:task id="A" />', '', '<zeebe:adHoc outputCollection="out" />'),
      'OutputElement and OutputCollection must both be set, or neither of them set.',
    ],
    [
      'a completion condition with a job worker',
      xml(
        '<bpmn:task id="A" /><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=true</bpmn:completionCondition>',
        '',
        '<zeebe:taskDefinition type="agent" />',
      ),
      'Must not define completionCondition in combination with zeebe:taskDefinition.',
    ],
    [
      'cancelRemainingInstances="false" with a job worker',
      xml('<bpmn:task id="A" />', ' cancelRemainingInstances="false"', '<zeebe:taskDefinition type="agent" />'),
      'Must not define cancelRemainingInstances in combination with zeebe:taskDefinition.',
    ],
  ])('%s is rejected', async (_what, body, text) => {
    const err = await rejection(t.client.createDeployment({ resources: [new File([body], 'ad-hoc-invalid.bpmn')] }));
    expect(err.status).toBe(400);
    expect(err.detail).toContain('Element: adhoc\n');
    expect(err.detail).toContain(text);
  });
});
