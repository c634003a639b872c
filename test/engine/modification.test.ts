import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

/**
 * Process instance modification as Camunda 8.8 does it (POST /v2/process-instances/{key}/modification): tokens
 * moved by terminate + activate, flow scopes created on the way (without their start event), variables set on
 * the given scopes before the element activates, the process terminated when its last element goes, and every
 * rejection leaving the instance untouched.
 */
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('modify-order.bpmn', 'modify-items.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const knex = () => t.db.knex;

async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const pi = await t.client.createProcessInstance({ processDefinitionId: processId as never, variables });
  return pi.processInstanceKey;
}

/** Active element instances of an element (key order = creation order). */
async function active(pi: string, elementId: string): Promise<Array<{ key: string; flow_scope_key: string }>> {
  return knex()('engine.element_instance')
    .where({ process_instance_key: pi, element_id: elementId })
    .whereIn('state', ['ACTIVATING', 'ACTIVATED'])
    .orderBy('key');
}

async function jobFor(type: string, pi: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 20,
    timeout: 60000,
    worker: 'test',
    requestTimeout: 2000,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === pi);
  if (!job) throw new Error(`no ${type} job for ${pi}`);
  return job;
}

const recordCount = async (pi: string) =>
  Number((await knex()('engine.record').where({ process_instance_key: pi }).count({ n: '*' }))[0].n);

describe('process instance modification', () => {
  test('a token moves from review to pack: review terminated, its job cancelled, pack runs with the new variable; after a restart the instance carries on to the end', async () => {
    const pi = await start('modify-order', { orderId: 'O-1' });
    const [review] = await active(pi, 'review');

    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [{ elementId: 'pack' as never, variableInstructions: [{ variables: { packer: 'ann' } }] }],
      terminateInstructions: [{ elementInstanceKey: review.key as never }],
    });

    const reviewRow = await knex()('engine.element_instance').where({ key: review.key }).first();
    expect(reviewRow.state).toBe('TERMINATED');
    const reviewJob = await knex()('engine.job').where({ element_instance_key: review.key }).first();
    expect(reviewJob.state).toBe('CANCELED');
    expect(await rootVariables(knex(), pi)).toEqual({ orderId: 'O-1', packer: 'ann' });
    const modified = await knex()('engine.record')
      .where({ process_instance_key: pi, value_type: 'PROCESS_INSTANCE_MODIFICATION' })
      .select('intent', 'key', 'value');
    expect(modified).toHaveLength(1);
    expect(modified[0].intent).toBe('MODIFIED');
    expect(modified[0].key).toBe(pi);
    expect(modified[0].value).toMatchObject({
      processInstanceKey: pi,
      terminateInstructions: [{ elementInstanceKey: review.key }],
      activateInstructions: [{ elementId: 'pack', ancestorScopeKey: '-1', ancestorScopeKeys: [pi] }],
    });
    expect(await elementsWith(knex(), pi, 'ELEMENT_TERMINATED')).toEqual(['review']);
    // No flow was taken into pack: the modification put the token there.
    expect(await elementsWith(knex(), pi, 'SEQUENCE_FLOW_TAKEN')).toEqual(['f1']);

    await t.restart();
    const pack = await jobFor('mod-pack', pi);
    expect(pack.variables).toEqual({ orderId: 'O-1', packer: 'ann' });
    await t.client.completeJob({ jobKey: pack.jobKey });
    const label = await jobFor('mod-label', pi);
    await t.client.completeJob({ jobKey: label.jobKey });
    expect(await instanceState(knex(), pi)).toBe('COMPLETED');
    expect(await elementsWith(knex(), pi, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'pack',
      'shipStart',
      'label',
      'shipEnd',
      'ship',
      'end',
      'modify-order',
    ]);
  });

  test('activating a task inside an inactive sub-process creates the sub-process without its start event, opens its boundary timer and sets the scopes’ variables before the input mappings', async () => {
    const pi = await start('modify-order', { orderId: 'O-2' });
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [
        {
          elementId: 'label' as never,
          variableInstructions: [
            { scopeId: 'ship', variables: { carrier: 'DHL' } },
            { scopeId: 'label', variables: { rush: true } },
          ],
        },
      ],
    });
    const [ship] = await active(pi, 'ship');
    const [label] = await active(pi, 'label');
    expect(label.flow_scope_key).toBe(ship.key);
    expect(await elementsWith(knex(), pi, 'ELEMENT_ACTIVATED')).toEqual([
      'modify-order',
      'start',
      'review',
      'ship',
      'label',
    ]);
    expect(await elementsWith(knex(), pi, 'ELEMENT_ACTIVATING')).not.toContain('shipStart');
    const timer = await knex()('engine.timer').where({ process_instance_key: pi, element_id: 'late' }).first();
    expect(timer).toMatchObject({ element_instance_key: ship.key, state: 'CREATED' });
    const shipVars = await knex()('engine.variable').where({ scope_key: ship.key }).select('name', 'value');
    expect(shipVars).toEqual([{ name: 'carrier', value: '"DHL"' }]);

    const job = await jobFor('mod-label', pi);
    expect(job.variables).toEqual({ orderId: 'O-2', carrier: 'DHL', rush: true, labelCarrier: 'DHL' });
    // review still waits beside it: the instance has two tokens now.
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await instanceState(knex(), pi)).toBe('ACTIVE');
    const timerAfter = await knex()('engine.timer').where({ key: timer.key }).first();
    expect(timerAfter?.state ?? 'DELETED').not.toBe('CREATED');
    const [review] = await active(pi, 'review');
    expect(review).toBeDefined();
  });

  test('terminating the last element terminates the process instance (it does not complete)', async () => {
    const pi = await start('modify-order');
    const [review] = await active(pi, 'review');
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      terminateInstructions: [{ elementInstanceKey: review.key as never }],
    });
    expect(await instanceState(knex(), pi)).toBe('TERMINATED');
    expect(await elementsWith(knex(), pi, 'ELEMENT_TERMINATED')).toEqual(['review', 'modify-order']);
    expect(await elementsWith(knex(), pi, 'ELEMENT_COMPLETED')).toEqual(['start']);
  });

  test('the last task of a sub-process terminated: the sub-process is terminated, its timer cancelled, then the process', async () => {
    const pi = await start('modify-order');
    const [review] = await active(pi, 'review');
    // Activation and termination in one command: ship is needed by the activation, so the process stays.
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [{ elementId: 'label' as never }],
      terminateInstructions: [{ elementInstanceKey: review.key as never }],
    });
    expect(await instanceState(knex(), pi)).toBe('ACTIVE');
    const [label] = await active(pi, 'label');
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      terminateInstructions: [{ elementInstanceKey: label.key as never }],
    });
    expect(await instanceState(knex(), pi)).toBe('TERMINATED');
    expect(await elementsWith(knex(), pi, 'ELEMENT_TERMINATED')).toEqual(['review', 'label', 'ship', 'modify-order']);
    expect(await elementsWith(knex(), pi, 'ELEMENT_COMPLETED')).toEqual(['start']);
    const timer = await knex()('engine.timer').where({ process_instance_key: pi, element_id: 'late' }).first();
    expect(timer?.state ?? 'DELETED').not.toBe('CREATED');
  });

  test('ancestor selection: a second sub-process instance under the process; with two, an activation must name its ancestor', async () => {
    const pi = await start('modify-order');
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [
        { elementId: 'label' as never },
        { elementId: 'label' as never, ancestorElementInstanceKey: pi as never },
      ],
    });
    const ships = await active(pi, 'ship');
    expect(ships).toHaveLength(2);
    expect((await active(pi, 'label')).map((l) => l.flow_scope_key)).toEqual(ships.map((s) => s.key));

    const before = await recordCount(pi);
    const err = await rejection(
      t.client.modifyProcessInstance({
        processInstanceKey: pi as never,
        activateInstructions: [{ elementId: 'label' as never }],
      }),
    );
    expect(err).toMatchObject({
      status: 400,
      title: 'INVALID_ARGUMENT',
      detail: `Command 'MODIFY' rejected with code 'INVALID_ARGUMENT': Expected to modify instance of process 'modify-order' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: 'ship'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`,
    });
    expect(await recordCount(pi)).toBe(before);

    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [{ elementId: 'label' as never, ancestorElementInstanceKey: ships[0].key as never }],
    });
    expect((await active(pi, 'label')).map((l) => l.flow_scope_key)).toEqual([
      ships[0].key,
      ships[1].key,
      ships[0].key,
    ]);
    expect(await active(pi, 'ship')).toHaveLength(2);
  });

  describe('rejections change nothing', () => {
    const prefix = `Command 'MODIFY' rejected with code 'INVALID_ARGUMENT': Expected to modify instance of process`;
    let order: string;
    let items: string;
    let reviewKey: string;
    beforeAll(async () => {
      order = await start('modify-order');
      reviewKey = (await active(order, 'review'))[0].key;
      items = await start('modify-items', { items: [1, 2], orderId: 'I-1' });
    });

    const cases: Array<[string, () => Record<string, unknown>, string]> = [
      [
        'an unknown element',
        () => ({ activateInstructions: [{ elementId: 'nope' }, { elementId: 'pack' }] }),
        `${prefix} 'modify-order' but it contains one or more activate instructions with an element that could not be found: 'nope'`,
      ],
      [
        'a start event',
        () => ({ activateInstructions: [{ elementId: 'shipStart' }] }),
        `${prefix} 'modify-order' but it contains one or more activate instructions for elements that are unsupported: 'shipStart'. The activation of elements with type 'START_EVENT' is not supported.`,
      ],
      [
        'a boundary event',
        () => ({ activateInstructions: [{ elementId: 'late' }] }),
        `${prefix} 'modify-order' but it contains one or more activate instructions for elements that are unsupported: 'late'. The activation of elements with type 'BOUNDARY_EVENT' is not supported.`,
      ],
      [
        'an unknown element instance to terminate (with a valid activation beside it)',
        () => ({
          activateInstructions: [{ elementId: 'pack' }],
          terminateInstructions: [{ elementInstanceKey: '123' }],
        }),
        `${prefix} 'modify-order' but it contains one or more terminate instructions with an element instance that could not be found: '123'`,
      ],
      [
        'a variable scope that is not a flow scope of the element',
        () => ({
          activateInstructions: [
            { elementId: 'pack', variableInstructions: [{ scopeId: 'review', variables: { a: 1 } }] },
          ],
        }),
        `${prefix} 'modify-order' but it contains one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
      ],
      [
        'an unknown variable scope',
        () => ({
          activateInstructions: [{ elementId: 'pack', variableInstructions: [{ scopeId: 'ghost', variables: {} }] }],
        }),
        `${prefix} 'modify-order' but it contains one or more variable instructions with a scope element id that could not be found: 'ghost'`,
      ],
      [
        'an ancestor that is not an ancestor of the element',
        () => ({ activateInstructions: [{ elementId: 'pack', ancestorElementInstanceKey: reviewKey }] }),
        `${prefix} 'modify-order' but it contains one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate:\n- instance 'REVIEW' of element 'review' is not an ancestor of element 'pack'`,
      ],
      [
        'an ancestor that is not active',
        () => ({ activateInstructions: [{ elementId: 'pack', ancestorElementInstanceKey: '999' }] }),
        `${prefix} 'modify-order' but it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '999'`,
      ],
      [
        'activating inside a flow scope that is terminated by the same command',
        () => ({
          activateInstructions: [{ elementId: 'pack', ancestorElementInstanceKey: order }],
          terminateInstructions: [{ elementInstanceKey: order }],
        }),
        `${prefix} 'modify-order' but it contains one or more activate instructions for elements whose required flow scope instance is also being terminated: element 'pack' requires flow scope instance 'ORDER' which is being terminated. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`,
      ],
    ];
    test.each(cases)('%s', async (_name, body, detail) => {
      const before = await recordCount(order);
      const err = await rejection(
        t.client.modifyProcessInstance({ processInstanceKey: order as never, ...body() } as never),
      );
      expect(err).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
      // Unsupported types are followed by Zeebe's list of the supported ones.
      const expected = detail.replace('ORDER', order).replace('REVIEW', reviewKey);
      expect(err.detail?.slice(0, expected.length)).toBe(expected);
      expect(await recordCount(order)).toBe(before);
      expect((await active(order, 'review')).map((r) => r.key)).toEqual([reviewKey]);
    });

    test('an element inside a multi-instance sub-process that is not active', async () => {
      const before = await recordCount(items);
      const err = await rejection(
        t.client.modifyProcessInstance({
          processInstanceKey: items as never,
          activateInstructions: [{ elementId: 'check' as never }],
        }),
      );
      expect(err).toMatchObject({
        status: 400,
        detail: `${prefix} 'modify-items' but it contains one or more activate instructions that would result in the activation of multi-instance element 'perItem', which is currently unsupported.`,
      });
      expect(await recordCount(items)).toBe(before);
    });

    test('a catch event after an event-based gateway', async () => {
      const err = await rejection(
        t.client.modifyProcessInstance({
          processInstanceKey: items as never,
          activateInstructions: [{ elementId: 'paid' as never }],
        }),
      );
      expect(err).toMatchObject({
        status: 400,
        detail: `${prefix} 'modify-items' but it contains one or more activate instructions for elements that are unsupported: 'paid'. The activation of events belonging to an event-based gateway is not supported.`,
      });
    });

    test('an unknown or ended process instance is 404', async () => {
      const err = await rejection(
        t.client.modifyProcessInstance({
          processInstanceKey: '4242' as never,
          activateInstructions: [{ elementId: 'pack' as never }],
        }),
      );
      expect(err).toMatchObject({
        status: 404,
        title: 'NOT_FOUND',
        detail: `Command 'MODIFY' rejected with code 'NOT_FOUND': Expected to modify process instance but no process instance found with key '4242'`,
      });
      const ended = await start('modify-order');
      await t.client.cancelProcessInstance({ processInstanceKey: ended as never });
      expect(
        await rejection(
          t.client.modifyProcessInstance({
            processInstanceKey: ended as never,
            activateInstructions: [{ elementId: 'pack' as never }],
          }),
        ),
      ).toMatchObject({ status: 404 });
    });
  });

  test('inside a running multi-instance sub-process, the inner instance is named as the ancestor', async () => {
    const pi = await start('modify-items', { items: ['a', 'b'], orderId: 'I-2' });
    const prepare = await jobFor('mod-prepare', pi);
    await t.client.completeJob({ jobKey: prepare.jobKey });
    const inner = await knex()('engine.element_instance')
      .where({ process_instance_key: pi, element_id: 'perItem', element_type: 'SUB_PROCESS' })
      .orderBy('key');
    expect(inner).toHaveLength(2);
    // Two inner instances: without an ancestor the scope is ambiguous.
    expect(
      await rejection(
        t.client.modifyProcessInstance({
          processInstanceKey: pi as never,
          activateInstructions: [{ elementId: 'check' as never }],
        }),
      ),
    ).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    await t.client.modifyProcessInstance({
      processInstanceKey: pi as never,
      activateInstructions: [
        {
          elementId: 'check' as never,
          ancestorElementInstanceKey: inner[1].key as never,
          variableInstructions: [{ scopeId: 'check', variables: { again: true } }],
        },
      ],
    });
    const checks = await active(pi, 'check');
    expect(checks.map((c) => c.flow_scope_key)).toEqual([inner[0].key, inner[1].key, inner[1].key]);
    // The second inner instance completes only once both of its checks are done, then the body.
    const { jobs } = await t.client.activateJobs({
      type: 'mod-check',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 't',
    } as never);
    const mine = jobs.filter((j) => j.processInstanceKey === pi);
    expect(mine).toHaveLength(3);
    expect(mine.filter((j) => (j.variables as { again?: boolean }).again === true)).toHaveLength(1);
    for (const j of mine) await t.client.completeJob({ jobKey: j.jobKey });
    expect(await elementsWith(knex(), pi, 'ELEMENT_COMPLETED')).toContain('perItem');
    expect((await active(pi, 'gw')).length).toBe(1);
  });
});
