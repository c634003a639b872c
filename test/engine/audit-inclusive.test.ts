import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith } from '../support/records.js';
import { activeJob } from '../support/events.js';

// Camunda 8.8 docs, BPMN › Inclusive gateway (joining): the gateway waits for the tokens of the incoming flows that
// can still be reached; it activates once no further token can arrive on the other incoming flows.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-inclusive.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const start = async () =>
  (await t.client.createProcessInstance({ processDefinitionId: 'audit-or-join' as never, variables: {} }))
    .processInstanceKey;
const joins = async (pi: string) =>
  (await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).filter((e) => e === 'join').length;

describe('Camunda 8.8 conformance: inclusive join', () => {
  test('waits while a token can still arrive; fires once the other branch turned away', async () => {
    const pi = await start();
    const a = await activeJob(t, 'audit-or-a', pi);
    await t.client.completeJob({ jobKey: a.jobKey, variables: {} });
    expect(await joins(pi)).toBe(0);
    const b = await activeJob(t, 'audit-or-b', pi);
    await t.client.completeJob({ jobKey: b.jobKey, variables: { goJoin: false } });
    expect(await joins(pi)).toBe(1);
    const after = await activeJob(t, 'audit-or-after', pi);
    await t.client.completeJob({ jobKey: after.jobKey, variables: {} });
  });

  test('the branch that turns away first does not block the join; the other token passes alone', async () => {
    const pi = await start();
    const b = await activeJob(t, 'audit-or-b', pi);
    await t.client.completeJob({ jobKey: b.jobKey, variables: { goJoin: false } });
    expect(await joins(pi)).toBe(0);
    const a = await activeJob(t, 'audit-or-a', pi);
    await t.client.completeJob({ jobKey: a.jobKey, variables: {} });
    expect(await joins(pi)).toBe(1);
  });

  test('both tokens arriving join once', async () => {
    const pi = await start();
    const b = await activeJob(t, 'audit-or-b', pi);
    await t.client.completeJob({ jobKey: b.jobKey, variables: { goJoin: true } });
    expect(await joins(pi)).toBe(0);
    const a = await activeJob(t, 'audit-or-a', pi);
    await t.client.completeJob({ jobKey: a.jobKey, variables: {} });
    expect(await joins(pi)).toBe(1);
    const after = await activeJob(t, 'audit-or-after', pi);
    await t.client.completeJob({ jobKey: after.jobKey, variables: {} });
  });
});
