import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';
import { activeJob, elementState, recordsOf } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'compensation-throw.bpmn',
    'compensation-ref.bpmn',
    'compensation-sub.bpmn',
    'compensation-mi.bpmn',
    'compensation-esp.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

async function start(id: string): Promise<string> {
  return (await t.client.createProcessInstance({ processDefinitionId: id as never, variables: {} })).processInstanceKey;
}

async function complete(type: string, pi: string): Promise<void> {
  const job = await activeJob(t, type, pi);
  await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
}

/** `elementId elementType bpmnEventType intent` of the instance's element records for some elements. */
async function lifecycle(pi: string, ids: string[]): Promise<string[]> {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: pi, value_type: 'PROCESS_INSTANCE' })
    .whereIn('element_id', ids)
    .orderBy('position')
    .select('intent', 'element_id', 'element_type', 'value');
  return rows.map((r) => `${r.element_id} ${r.element_type} ${r.value.bpmnEventType} ${r.intent}`);
}

async function subscriptions(pi: string): Promise<string[]> {
  return (await recordsOf(t.db.knex, pi, 'COMPENSATION_SUBSCRIPTION')).map(
    (r) => `${r.intent} ${r.value.compensableActivityId}${r.value.throwEventId ? ' by ' + r.value.throwEventId : ''}`,
  );
}

describe('compensation (Camunda 8 compensation events)', () => {
  test('a throw event invokes the handlers of the completed activities (last completed first) and waits for all of them', async () => {
    const pi = await start('comp-throw');
    await complete('comp-a', pi);
    await complete('comp-b', pi);
    expect(await elementState(t.db.knex, pi, 'throw')).toEqual(['ACTIVATED']);
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_ACTIVATED')).toEqual([
      'comp-throw',
      'start',
      'A',
      'B',
      'throw',
      'compB',
      'compA',
      'undoB',
      'undoA',
    ]);
    await complete('undo-b', pi);
    expect(await elementState(t.db.knex, pi, 'throw')).toEqual(['ACTIVATED']);
    await complete('undo-a', pi);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await lifecycle(pi, ['throw', 'compA', 'undoA'])).toEqual([
      'throw INTERMEDIATE_THROW_EVENT COMPENSATION ELEMENT_ACTIVATING',
      'throw INTERMEDIATE_THROW_EVENT COMPENSATION ELEMENT_ACTIVATED',
      'compA BOUNDARY_EVENT COMPENSATION ELEMENT_ACTIVATING',
      'compA BOUNDARY_EVENT COMPENSATION ELEMENT_ACTIVATED',
      'compA BOUNDARY_EVENT COMPENSATION ELEMENT_COMPLETING',
      'compA BOUNDARY_EVENT COMPENSATION ELEMENT_COMPLETED',
      'undoA SERVICE_TASK COMPENSATION ELEMENT_ACTIVATING',
      'undoA SERVICE_TASK COMPENSATION ELEMENT_ACTIVATED',
      'undoA SERVICE_TASK COMPENSATION ELEMENT_COMPLETING',
      'undoA SERVICE_TASK COMPENSATION ELEMENT_COMPLETED',
      'throw INTERMEDIATE_THROW_EVENT COMPENSATION ELEMENT_COMPLETING',
      'throw INTERMEDIATE_THROW_EVENT COMPENSATION ELEMENT_COMPLETED',
    ]);
    expect(await subscriptions(pi)).toEqual([
      'CREATED A',
      'CREATED B',
      'TRIGGERED B by throw',
      'TRIGGERED A by throw',
      'COMPLETED B by throw',
      'COMPLETED A by throw',
    ]);
    // The boundary events take no sequence flow; the handlers run once each.
    expect(await elementsWith(t.db.knex, pi, 'SEQUENCE_FLOW_TAKEN')).toEqual(['f1', 'f2', 'f3', 'f4']);
  });

  test('activityRef compensates that activity only; what is left is DELETED when the instance ends', async () => {
    const pi = await start('comp-ref');
    await complete('comp-a', pi);
    await complete('comp-b', pi);
    await complete('undo-a', pi);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, pi, 'undoB')).toEqual([]);
    expect(await subscriptions(pi)).toEqual([
      'CREATED A',
      'CREATED B',
      'TRIGGERED A by throwA',
      'COMPLETED A by throwA',
      'DELETED B',
    ]);
  });

  test('inside a sub-process only its own activities are compensated; from outside, those of completed sub-processes', async () => {
    const pi = await start('comp-sub');
    await complete('comp-a', pi);
    await complete('comp-b', pi);
    // throwInner (in sp2) compensates B only: A lies outside its scope.
    expect(await elementState(t.db.knex, pi, 'undoA')).toEqual([]);
    await complete('undo-b', pi);
    expect(await elementState(t.db.knex, pi, 'sp2')).toEqual(['COMPLETED']);
    await complete('comp-c', pi);
    // The compensation end event at the process level reaches A in the completed sp1; B was compensated already.
    expect(await elementState(t.db.knex, pi, 'endComp')).toEqual(['ACTIVATED']);
    await complete('undo-a', pi);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, pi, 'undoB')).toEqual(['COMPLETED']);
    expect(await subscriptions(pi)).toEqual([
      'CREATED A',
      'CREATED B',
      'TRIGGERED B by throwInner',
      'COMPLETED B by throwInner',
      'TRIGGERED A by endComp',
      'COMPLETED A by endComp',
    ]);
  });

  test('a multi-instance activity is compensated once, after all its instances completed', async () => {
    const pi = await start('comp-mi');
    const { jobs } = await t.client.activateJobs({
      type: 'comp-mi',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 'test',
      requestTimeout: -1,
    } as never);
    expect(jobs.length).toBe(3);
    for (const job of jobs.slice(0, 2)) await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    // Not all instances completed: nothing to compensate yet, and the body has no subscription.
    expect(await subscriptions(pi)).toEqual([]);
    await t.client.completeJob({ jobKey: jobs[2].jobKey, variables: {} });
    await complete('undo-mi', pi);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, pi, 'undoA')).toEqual(['COMPLETED']);
    expect(await subscriptions(pi)).toEqual(['CREATED A', 'TRIGGERED A by throw', 'COMPLETED A by throw']);
  });

  test('an error event sub-process compensates the outer scope with a compensation end event', async () => {
    const pi = await start('comp-esp');
    await complete('comp-a', pi);
    const job = await activeJob(t, 'comp-fail', pi);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'broken' } as never);
    expect(await elementState(t.db.knex, pi, 'undoAll')).toEqual(['ACTIVATED']);
    await complete('undo-a', pi);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'A',
      'errStart',
      'compA',
      'undoA',
      'undoAll',
      'onError',
      'comp-esp',
    ]);
  });

  test('cancelling while a handler runs terminates it; its subscription is DELETED', async () => {
    const pi = await start('comp-throw');
    await complete('comp-a', pi);
    await complete('comp-b', pi);
    await t.client.cancelProcessInstance({ processInstanceKey: pi as never });
    expect(await instanceState(t.db.knex, pi)).toBe('TERMINATED');
    expect(await elementState(t.db.knex, pi, 'undoA')).toEqual(['TERMINATED']);
    expect(await elementState(t.db.knex, pi, 'throw')).toEqual(['TERMINATED']);
    expect((await subscriptions(pi)).slice(-2)).toEqual(['DELETED B by throw', 'DELETED A by throw']);
  });
});

describe('deployment validation of compensation', () => {
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="bad-comp" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="A" />
    <bpmn:task id="A" />
    <bpmn:sequenceFlow id="f2" sourceRef="A" targetRef="end" />
    <bpmn:endEvent id="end" />
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
  const handler = '<bpmn:task id="undo" isForCompensation="true" />';
  const boundary =
    '<bpmn:boundaryEvent id="cb" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>';
  const assoc = '<bpmn:association id="as" sourceRef="cb" targetRef="undo" />';

  test.each([
    ['a compensation boundary without association', boundary + handler, 'cb', 'must have a compensation association'],
    [
      'a handler with an incoming flow',
      boundary + handler + assoc + '<bpmn:sequenceFlow id="x" sourceRef="start" targetRef="undo" />',
      'undo',
      'A compensation handler should have no incoming sequence flows',
    ],
    [
      'waitForCompletion="false" on a throw event',
      boundary +
        handler +
        assoc +
        '<bpmn:intermediateThrowEvent id="th"><bpmn:compensateEventDefinition waitForCompletion="false" /></bpmn:intermediateThrowEvent>',
      'th',
      'waitForCompletion attribute must be true or not present',
    ],
    [
      'an activityRef to an activity without compensation boundary',
      '<bpmn:task id="B" /><bpmn:endEvent id="th"><bpmn:compensateEventDefinition activityRef="B" /></bpmn:endEvent>',
      'th',
      "'B' must have a compensation boundary event",
    ],
    [
      'a compensation start event in an event sub-process',
      '<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="cs"><bpmn:compensateEventDefinition /></bpmn:startEvent><bpmn:sequenceFlow id="e1" sourceRef="cs" targetRef="ee" /><bpmn:endEvent id="ee" /></bpmn:subProcess>',
      'cs',
      'not supported',
    ],
  ])('%s is rejected naming the element', async (_what, body, elementId, text) => {
    let err: { status?: number; detail?: string } | undefined;
    try {
      await t.client.createDeployment({ resources: [new File([xml(body)], 'bad-comp.bpmn')] });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.status).toBe(400);
    expect(err?.detail).toContain(`Element: ${elementId}\n`);
    expect(err?.detail).toContain(text);
  });
});
