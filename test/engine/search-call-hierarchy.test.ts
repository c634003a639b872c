import { startTestEngine, type TestEngine } from '../support/engine.js';
import { createTimelineReader } from '../../engine/store/timeline/timeline.js';

// Reads across a call activity: hierarchy, the parent's incidents including the child's, the timeline link.
let t: TestEngine;
let reader: ReturnType<typeof createTimelineReader>;
const now = { consistency: { waitUpToMs: 0 } };

beforeAll(async () => {
  t = await startTestEngine();
  reader = createTimelineReader(t.db.url);
  await t.deploy('call-parent.bpmn', 'call-child.bpmn');
});
afterAll(async () => {
  await reader?.close();
  await t?.stop();
});

test('a child instance with an incident, seen from the parent and from the child', async () => {
  const parent = (
    await t.client.createProcessInstance({ processDefinitionId: 'call-parent' as never, variables: { orderId: 'A-1' } })
  ).processInstanceKey;
  const children = await t.client.searchProcessInstances({ filter: { parentProcessInstanceKey: parent } }, now);
  expect(children.items).toHaveLength(1);
  const child = children.items[0];
  expect(child).toMatchObject({
    processDefinitionId: 'call-child',
    processDefinitionName: 'Call child',
    parentProcessInstanceKey: parent,
    state: 'ACTIVE',
  });

  expect(await t.client.getProcessInstanceCallHierarchy({ processInstanceKey: child.processInstanceKey }, now)).toEqual(
    [{ processInstanceKey: parent, processDefinitionKey: expect.any(String), processDefinitionName: 'Call parent' }],
  );

  const { jobs } = await t.client.activateJobs({
    type: 'child-work',
    maxJobsToActivate: 1,
    timeout: 30000,
    worker: 'w',
    requestTimeout: 2000,
  } as never);
  await t.client.failJob({ jobKey: jobs[0].jobKey, retries: 0, errorMessage: 'no stock' });
  const viaParent = await t.client.searchProcessInstanceIncidents({ processInstanceKey: parent }, now);
  expect(viaParent.items?.map((i) => [i.processInstanceKey, i.elementId, i.errorMessage])).toEqual([
    [child.processInstanceKey, 'child-work', 'no stock'],
  ]);
  const stats = await t.client.getProcessInstanceStatistics({ processInstanceKey: parent }, now);
  expect(stats.items).toEqual(
    expect.arrayContaining([{ elementId: 'call', active: 1, canceled: 0, incidents: 0, completed: 0 }]),
  );
  const childStats = await t.client.getProcessInstanceStatistics({ processInstanceKey: child.processInstanceKey }, now);
  expect(childStats.items).toEqual(
    expect.arrayContaining([{ elementId: 'child-work', active: 0, canceled: 0, incidents: 1, completed: 0 }]),
  );

  const parentTimeline = (await reader.read(parent))!;
  expect(parentTimeline.elements.find((e) => e.elementId === 'call')).toMatchObject({
    outcome: 'ACTIVE',
    calledProcessInstanceKeys: [child.processInstanceKey],
  });
  expect(parentTimeline.parentProcessInstanceKey).toBeUndefined();
  const childTimeline = (await reader.read(child.processInstanceKey))!;
  expect(childTimeline.parentProcessInstanceKey).toBe(parent);
  expect(childTimeline.entries.some((e) => e.kind === 'incident-created' && e.errorMessage === 'no stock')).toBe(true);
});
