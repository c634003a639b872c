import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// An ad-hoc sub-process with zeebe:taskDefinition (Camunda 8.8, "Job worker implementation"): a job of
// kind AD_HOC_SUB_PROCESS decides, through its completion result, what to activate and when it is done;
// each inner flow that ends replaces the open job with a new one.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('ad-hoc-job.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const start = async () =>
  (await t.client.createProcessInstance({ processDefinitionId: 'ad-hoc-job' as never, variables: { account: 'A-1' } }))
    .processInstanceKey;

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

const jobRows = (piKey: string) =>
  t.db.knex('engine.job').where({ process_instance_key: piKey, type: 'ah-planner' }).orderBy('key');

const complete = (jobKey: string, result: Record<string, unknown>, variables: Record<string, unknown> = {}) =>
  t.client.completeJob({ jobKey, variables, result: { type: 'adHocSubProcess', ...result } } as never);

describe('ad-hoc sub-process (job worker implementation)', () => {
  test('the planner job activates elements with variables; each finished inner flow brings a new planner job; fulfilling the condition completes it', async () => {
    const pi = await start();
    const [planner] = await jobs('ah-planner', pi, 1);
    expect(planner).toMatchObject({ kind: 'AD_HOC_SUB_PROCESS', elementId: 'agent', retries: 2 });
    expect(planner.variables).toEqual({
      account: 'A-1',
      toolResults: [],
      adHocSubProcessElements: [
        { elementId: 'A', elementName: 'Look up account' },
        { elementId: 'B', elementName: 'Book crew' },
      ],
    });

    await complete(
      planner.jobKey,
      { activateElements: [{ elementId: 'A', variables: { query: 'A-1' } }, { elementId: 'B' }] },
      { plan: 'look up, then book' },
    );
    // The job's variables are propagated from the ad-hoc sub-process's scope (to the process: nobody defines them).
    expect((await rootVariables(t.db.knex, pi)).plan).toBe('look up, then book');
    const [a] = await jobs('ahj-a', pi, 1);
    expect(a.variables).toMatchObject({ query: 'A-1', toolResult: null });
    const [b] = await jobs('ahj-b', pi, 1);
    expect(b.variables.query).toBeUndefined();
    await jobs('ah-planner', pi, 0); // no planner job while both run

    await t.client.completeJob({ jobKey: a.jobKey, variables: { toolResult: { owner: 'Wang' } } });
    const [second] = await jobs('ah-planner', pi, 1);
    expect(second.variables.toolResults).toEqual([{ owner: 'Wang' }]);

    // B ends while the second planner job is still activated: it is cancelled, a third one replaces it.
    await t.client.completeJob({ jobKey: b.jobKey, variables: { toolResult: 'crew 3' } });
    expect((await jobRows(pi)).map((j) => j.state)).toEqual(['COMPLETED', 'CANCELED', 'ACTIVATABLE']);
    const late = await rejection(complete(second.jobKey, { isCompletionConditionFulfilled: true }));
    expect(late).toMatchObject({ status: 404, title: 'NOT_FOUND' });

    const [third] = await jobs('ah-planner', pi, 1);
    expect(third.variables.toolResults).toEqual([{ owner: 'Wang' }, 'crew 3']);
    await complete(third.jobKey, { isCompletionConditionFulfilled: true });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({
      account: 'A-1',
      plan: 'look up, then book',
      toolResults: [{ owner: 'Wang' }, 'crew 3'],
    });
    const instructions = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'AD_HOC_SUB_PROCESS_INSTRUCTION' })
      .orderBy('position');
    expect(instructions.map((r) => r.intent)).toEqual(['ACTIVATED', 'COMPLETED']);
    const kinds = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'JOB', intent: 'CREATED' })
      .orderBy('position');
    expect(kinds.map((r) => `${r.element_id}:${r.value.jobKind}`)).toEqual([
      'agent:AD_HOC_SUB_PROCESS',
      'A:BPMN_ELEMENT',
      'B:BPMN_ELEMENT',
      'agent:AD_HOC_SUB_PROCESS',
      'agent:AD_HOC_SUB_PROCESS',
    ]);
  });

  test('fulfilled with isCancelRemainingInstances: the running inner flows are terminated', async () => {
    const pi = await start();
    const [planner] = await jobs('ah-planner', pi, 1);
    await complete(planner.jobKey, { activateElements: [{ elementId: 'A' }, { elementId: 'B' }] });
    const [a] = await jobs('ahj-a', pi, 1);
    await t.client.completeJob({ jobKey: a.jobKey, variables: { toolResult: 1 } });
    const [next] = await jobs('ah-planner', pi, 1);
    await complete(next.jobKey, { isCompletionConditionFulfilled: true, isCancelRemainingInstances: true });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const b = await t.db.knex('engine.element_instance').where({ process_instance_key: pi, element_id: 'B' }).first();
    expect(b.state).toBe('TERMINATED');
    expect((await rootVariables(t.db.knex, pi)).toolResults).toEqual([1]);
  });

  test('fulfilled without cancelling: it waits for the running inner flow (no new planner job), across a restart', async () => {
    const pi = await start();
    const [planner] = await jobs('ah-planner', pi, 1);
    await complete(planner.jobKey, { activateElements: [{ elementId: 'A' }, { elementId: 'B' }] });
    const [a] = await jobs('ahj-a', pi, 1);
    const [b] = await jobs('ahj-b', pi, 1);
    await t.client.completeJob({ jobKey: a.jobKey, variables: { toolResult: 'a' } });
    const [next] = await jobs('ah-planner', pi, 1);
    await complete(next.jobKey, { isCompletionConditionFulfilled: true });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');

    await t.restart();

    await t.client.completeJob({ jobKey: b.jobKey, variables: { toolResult: 'b' } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await jobRows(pi)).map((j) => j.state)).toEqual(['COMPLETED', 'COMPLETED']);
    expect((await rootVariables(t.db.knex, pi)).toolResults).toEqual(['a', 'b']);
  });

  test('results Zeebe refuses: an element it does not have, activating while fulfilling; nothing is written', async () => {
    const pi = await start();
    const [planner] = await jobs('ah-planner', pi, 1);
    const agent = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi, element_id: 'agent' })
      .first();
    const before = Number(
      (await t.db.knex('engine.record').where({ process_instance_key: pi }).count({ n: '*' }))[0].n,
    );

    const unknown = await rejection(complete(planner.jobKey, { activateElements: [{ elementId: 'C' }] }));
    expect(unknown).toMatchObject({ status: 404, title: 'NOT_FOUND' });
    expect(unknown.detail).toContain(
      `Expected to activate activities for ad-hoc sub-process with key '${agent.key}', but the given elements [C] do not exist.`,
    );
    const both = await rejection(
      complete(planner.jobKey, { activateElements: [{ elementId: 'A' }], isCompletionConditionFulfilled: true }),
    );
    expect(both).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    const after = Number((await t.db.knex('engine.record').where({ process_instance_key: pi }).count({ n: '*' }))[0].n);
    expect(after).toBe(before);

    // The job is still there to be completed properly.
    await complete(planner.jobKey, { isCompletionConditionFulfilled: true });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });

  test('the planner job out of retries raises AD_HOC_SUB_PROCESS_NO_RETRIES', async () => {
    const pi = await start();
    const [planner] = await jobs('ah-planner', pi, 1);
    await t.client.failJob({ jobKey: planner.jobKey, retries: 0, errorMessage: 'model down' } as never);
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi }).first();
    expect(incident).toMatchObject({ error_type: 'AD_HOC_SUB_PROCESS_NO_RETRIES', element_id: 'agent' });
  });
});
