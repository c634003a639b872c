import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';

/**
 * Camunda 8.8's element instances are flow nodes: the process instance's own row and the sequence flows taken are
 * not among them (ElementInstanceResult lists PROCESS and SEQUENCE_FLOW as types only because the enum is shared
 * with the record protocol). Searches and gets here must answer the same, also after a restart mid-flow.
 */
let t: TestEngine;
const now = { consistency: { waitUpToMs: 0 } } as never;

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.test">
  <bpmn:process id="ei-flow" name="Element instances" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:parallelGateway id="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="work" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="inner" />
    <bpmn:serviceTask id="work" name="Work">
      <bpmn:extensionElements><zeebe:taskDefinition type="ei-work" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:subProcess id="inner">
      <bpmn:startEvent id="inner-start" />
      <bpmn:sequenceFlow id="f4" sourceRef="inner-start" targetRef="inner-end" />
      <bpmn:endEvent id="inner-end" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="f5" sourceRef="work" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="inner" targetRef="join" />
    <bpmn:parallelGateway id="join" />
    <bpmn:sequenceFlow id="f7" sourceRef="join" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

beforeAll(async () => {
  t = await startTestEngine();
  await t.client.createDeployment({ resources: [new File([XML], 'ei-flow.bpmn')] });
});
afterAll(() => t?.stop());

async function elementsOf(processInstanceKey: string) {
  const found = await t.client.searchElementInstances(
    { filter: { processInstanceKey }, sort: [{ field: 'elementInstanceKey' }] } as never,
    now,
  );
  return found;
}

test('a search lists flow nodes only: neither the process nor its sequence flows, before and after a restart', async () => {
  const { processInstanceKey } = await t.client.createProcessInstance({ processDefinitionId: 'ei-flow' as never });

  // Waiting at the job: start, split, work (active), inner, inner-start, inner-end; join waits for a token.
  const waiting = await elementsOf(processInstanceKey);
  expect(waiting.items!.map((e) => [e.elementId, e.type, e.state])).toEqual([
    ['start', 'START_EVENT', 'COMPLETED'],
    ['split', 'PARALLEL_GATEWAY', 'COMPLETED'],
    ['work', 'SERVICE_TASK', 'ACTIVE'],
    ['inner', 'SUB_PROCESS', 'COMPLETED'],
    ['inner-start', 'START_EVENT', 'COMPLETED'],
    ['inner-end', 'END_EVENT', 'COMPLETED'],
  ]);
  expect(waiting.page.totalItems).toBe(6);
  // Five flows were taken: the record log has them, the element instances do not.
  expect((await elementsWith(t.db.knex, processInstanceKey, 'SEQUENCE_FLOW_TAKEN')).sort()).toEqual([
    'f1',
    'f2',
    'f3',
    'f4',
    'f6',
  ]);

  await t.restart();

  const { jobs } = await t.client.activateJobs({
    type: 'ei-work',
    maxJobsToActivate: 1,
    timeout: 30000,
    worker: 'ei',
    requestTimeout: 2000,
  } as never);
  expect(jobs).toHaveLength(1);
  await t.client.completeJob({ jobKey: jobs[0].jobKey });
  expect(await instanceState(t.db.knex, processInstanceKey)).toBe('COMPLETED');

  const done = await elementsOf(processInstanceKey);
  expect(done.items!.map((e) => e.elementId)).toEqual([
    'start',
    'split',
    'work',
    'inner',
    'inner-start',
    'inner-end',
    'join',
    'end',
  ]);
  expect(done.items!.every((e) => e.state === 'COMPLETED')).toBe(true);

  // Filtering by the types Camunda never stores finds nothing.
  for (const type of ['PROCESS', 'SEQUENCE_FLOW'])
    expect(
      (await t.client.searchElementInstances({ filter: { processInstanceKey, type } } as never, now)).items,
    ).toEqual([]);
  // Children of the process instance as a scope: the top-level flow nodes.
  const top = await t.client.searchElementInstances(
    { filter: { elementInstanceScopeKey: processInstanceKey }, sort: [{ field: 'elementInstanceKey' }] } as never,
    now,
  );
  expect(top.items!.map((e) => e.elementId)).toEqual(['start', 'split', 'work', 'inner', 'join', 'end']);
});

test('a get by the process instance key is 404, a flow node is found', async () => {
  const { processInstanceKey } = await t.client.createProcessInstance({ processDefinitionId: 'ei-flow' as never });
  const problem = await rejection(
    t.client.getElementInstance({ elementInstanceKey: processInstanceKey } as never, now),
  );
  expect(problem).toMatchObject({ status: 404, title: 'NOT_FOUND' });
  expect(problem.detail).toBe(`Element instance with key '${processInstanceKey}' not found`);

  const [work] = (
    await t.client.searchElementInstances({ filter: { processInstanceKey, elementId: 'work' } } as never, now)
  ).items!;
  const got = await t.client.getElementInstance({ elementInstanceKey: work.elementInstanceKey }, now);
  expect(got).toMatchObject({ elementId: 'work', type: 'SERVICE_TASK', state: 'ACTIVE', processInstanceKey });
  await t.client.cancelProcessInstance({ processInstanceKey });
});
