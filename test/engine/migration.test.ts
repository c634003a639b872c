import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';

/**
 * Process instance migration as Camunda 8.8 does it (POST /v2/process-instances/{key}/migration): active elements
 * move to the mapped elements of another version and keep their keys (jobs, user tasks too), catch events of the
 * source that are not mapped close, new ones of the target open, and the instance carries on in the target
 * version — also after a restart. Rejections change nothing.
 */
let t: TestEngine;
let v1: string;
let v2: string;
beforeAll(async () => {
  t = await startTestEngine();
  v1 = (await t.deploy('migrate-order-v1.bpmn')).processes[0].processDefinitionKey;
  v2 = (await t.deploy('migrate-order-v2.bpmn')).processes[0].processDefinitionKey;
});
afterAll(async () => {
  await t?.stop();
});

const knex = () => t.db.knex;

const MAPPING = [
  { sourceElementId: 'check', targetElementId: 'check2' },
  { sourceElementId: 'approval', targetElementId: 'approval' },
  { sourceElementId: 'approve', targetElementId: 'approve2' },
];

async function startV1(orderId: string): Promise<string> {
  const pi = await t.client.createProcessInstance({ processDefinitionKey: v1 as never, variables: { orderId } });
  return pi.processInstanceKey;
}

async function row(table: string, where: Record<string, unknown>) {
  return knex()(`engine.${table}`).where(where).first();
}

const recordCount = async (pi: string) =>
  Number((await knex()('engine.record').where({ process_instance_key: pi }).count({ n: '*' }))[0].n);

async function migrate(pi: string, mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>) {
  return t.client.migrateProcessInstance({
    processInstanceKey: pi as never,
    targetProcessDefinitionKey: v2 as never,
    mappingInstructions: mappingInstructions as never,
  });
}

describe('process instance migration', () => {
  test('the instance moves to v2: same job and user task keys, the unmapped message boundary closes, the new timer boundary opens; after a restart it runs v2’s flow to the end', async () => {
    const pi = await startV1('M-1');
    const checkEl = await row('element_instance', { process_instance_key: pi, element_id: 'check' });
    const job = await row('job', { process_instance_key: pi, element_id: 'check' });
    const task = await row('user_task', { process_instance_key: pi, element_id: 'approve' });
    const sub = await row('message_subscription', { process_instance_key: pi, element_id: 'withdrawn' });
    expect(sub.state).toBe('CREATED');

    await migrate(pi, MAPPING);

    const pir = await row('process_instance', { key: pi });
    expect(pir).toMatchObject({ process_definition_key: v2, version: 2, bpmn_process_id: 'migrate-order' });
    expect(await row('element_instance', { key: checkEl.key })).toMatchObject({
      element_id: 'check2',
      process_definition_key: v2,
      state: 'ACTIVATED',
    });
    expect(await row('job', { key: job.key })).toMatchObject({
      element_id: 'check2',
      process_definition_key: v2,
      version: 2,
      state: 'ACTIVATABLE',
    });
    expect(await row('user_task', { key: task.key })).toMatchObject({
      element_id: 'approve2',
      process_definition_key: v2,
      state: 'CREATED',
    });
    // withdrawn was not mapped: closed. withdrawn2 and overdue are new to check2: opened for the same element instance.
    expect((await row('message_subscription', { key: sub.key })).state).not.toBe('CREATED');
    const opened = await row('message_subscription', { process_instance_key: pi, element_id: 'withdrawn2' });
    expect(opened).toMatchObject({
      state: 'CREATED',
      element_instance_key: checkEl.key,
      message_name: 'mig-withdrawn',
      correlation_key: 'M-1',
    });
    expect(await row('timer', { process_instance_key: pi, element_id: 'overdue' })).toMatchObject({
      state: 'CREATED',
      element_instance_key: checkEl.key,
    });
    const migrated = await knex()('engine.record')
      .where({ process_instance_key: pi, intent: 'ELEMENT_MIGRATED' })
      .orderBy('position')
      .select('element_id', 'process_definition_key');
    expect(migrated.map((r) => r.element_id)).toEqual(['migrate-order', 'check2', 'approval', 'approve2']);
    expect(migrated.every((r) => r.process_definition_key === v2)).toBe(true);
    const done = await knex()('engine.record')
      .where({ process_instance_key: pi, value_type: 'PROCESS_INSTANCE_MIGRATION' })
      .select('intent', 'value');
    expect(done).toEqual([
      {
        intent: 'MIGRATED',
        value: expect.objectContaining({
          processInstanceKey: pi,
          targetProcessDefinitionKey: v2,
          mappingInstructions: MAPPING,
        }),
      },
    ]);
    for (const valueType of ['JOB', 'USER_TASK'])
      expect(
        await row('record', { process_instance_key: pi, value_type: valueType, intent: 'MIGRATED' }),
      ).toBeDefined();

    await t.restart();
    const { jobs } = await t.client.activateJobs({
      type: 'mig-check',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 't',
    } as never);
    const mine = jobs.find((j) => j.processInstanceKey === pi)!;
    expect(mine.jobKey).toBe(job.key);
    expect(mine.elementId).toBe('check2');
    expect(mine.processDefinitionKey).toBe(v2);
    await t.client.completeJob({ jobKey: mine.jobKey });
    // v2 goes on to notify after check2 (v1 went straight to the join).
    const notify = (
      await t.client.activateJobs({ type: 'mig-notify', maxJobsToActivate: 10, timeout: 60000, worker: 't' } as never)
    ).jobs.find((j) => j.processInstanceKey === pi)!;
    await t.client.completeJob({ jobKey: notify.jobKey });
    await t.client.completeUserTask({ userTaskKey: task.key });
    expect(await instanceState(knex(), pi)).toBe('COMPLETED');
    expect(await elementsWith(knex(), pi, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'fork',
      'aStart',
      'check2',
      'notify',
      'approve2',
      'aEnd',
      'approval',
      'join',
      'end',
      'migrate-order',
    ]);
    // The timer of check2 went with it.
    expect((await row('timer', { process_instance_key: pi, element_id: 'overdue' })).state).not.toBe('CREATED');
  });

  test('a mapped message boundary keeps its subscription (same key) and still interrupts in the target', async () => {
    const pi = await startV1('M-2');
    const sub = await row('message_subscription', { process_instance_key: pi, element_id: 'withdrawn' });
    await migrate(pi, [...MAPPING, { sourceElementId: 'withdrawn', targetElementId: 'withdrawn2' }]);
    expect(await row('message_subscription', { key: sub.key })).toMatchObject({
      state: 'CREATED',
      element_id: 'withdrawn2',
    });
    expect(
      await knex()('engine.message_subscription').where({ process_instance_key: pi, state: 'CREATED' }),
    ).toHaveLength(1);

    await t.client.publishMessage({ name: 'mig-withdrawn', correlationKey: 'M-2', timeToLive: 0 } as never);
    const withdrawn = await row('element_instance', { process_instance_key: pi, element_id: 'withdrawn2' });
    expect(withdrawn).toBeDefined();
    expect((await row('element_instance', { process_instance_key: pi, element_id: 'check2' })).state).toBe(
      'TERMINATED',
    );
  });

  describe('rejections change nothing', () => {
    let pi: string;
    beforeAll(async () => {
      pi = await startV1('M-3');
    });
    const prefix = () => `Expected to migrate process instance '${pi}' but`;
    const cases: Array<
      [string, () => Array<{ sourceElementId: string; targetElementId: string }>, number, string, () => string]
    > = [
      [
        'an active element without a mapping',
        () => MAPPING.slice(1),
        409,
        'INVALID_STATE',
        () =>
          `${prefix()} no mapping instruction defined for active element with id 'check'. Elements cannot be migrated without a mapping.`,
      ],
      [
        'a type change',
        () => [{ sourceElementId: 'check', targetElementId: 'escalate' }, ...MAPPING.slice(1)],
        409,
        'INVALID_STATE',
        () =>
          `${prefix()} active element with id 'check' and type 'SERVICE_TASK' is mapped to an element with id 'escalate' and different type 'USER_TASK'. Elements must be mapped to elements of the same type.`,
      ],
      [
        'a flow scope change',
        () => [...MAPPING.slice(0, 2), { sourceElementId: 'approve', targetElementId: 'escalate' }],
        409,
        'INVALID_STATE',
        () =>
          `${prefix()} the flow scope of active element with id 'approve' is changed. The flow scope of the active element is expected to be 'approval' but was 'migrate-order'. The flow scope of an element cannot be changed during migration yet.`,
      ],
      [
        'an unknown target element',
        () => [...MAPPING, { sourceElementId: 'end', targetElementId: 'nowhere' }],
        400,
        'INVALID_ARGUMENT',
        () =>
          `${prefix()} mapping instructions contain a non-existing target element id 'nowhere'. Elements provided in mapping instructions must exist in the target process definition.`,
      ],
      [
        'an unknown source element',
        () => [...MAPPING, { sourceElementId: 'nothing', targetElementId: 'end' }],
        400,
        'INVALID_ARGUMENT',
        () =>
          `${prefix()} mapping instructions contain a non-existing source element id 'nothing'. Elements provided in mapping instructions must exist in the source process definition.`,
      ],
      [
        'duplicate source elements',
        () => [...MAPPING, { sourceElementId: 'check', targetElementId: 'notify' }],
        400,
        'INVALID_ARGUMENT',
        () => `${prefix()} the mapping instructions contain duplicate source element ids '[check]'.`,
      ],
    ];
    test.each(cases)('%s', async (_name, mapping, status, code, detail) => {
      const before = await recordCount(pi);
      const err = await rejection(migrate(pi, mapping()));
      expect(err).toMatchObject({
        status,
        title: code,
        detail: `Command 'MIGRATE' rejected with code '${code}': ${detail()}`,
      });
      expect(await recordCount(pi)).toBe(before);
      expect((await row('process_instance', { key: pi })).process_definition_key).toBe(v1);
    });

    test('an unknown target definition or instance is 404', async () => {
      const err = await rejection(
        t.client.migrateProcessInstance({
          processInstanceKey: pi as never,
          targetProcessDefinitionKey: '4711' as never,
          mappingInstructions: MAPPING as never,
        }),
      );
      expect(err).toMatchObject({
        status: 404,
        detail: `Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process instance to process definition but no process definition found with key '4711'`,
      });
      expect(await rejection(migrate('4242', MAPPING))).toMatchObject({
        status: 404,
        detail: `Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process instance but no process instance found with key '4242'`,
      });
    });
  });
});
