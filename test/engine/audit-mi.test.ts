import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

// Camunda 8.8 docs, BPMN › Multi-instance: each inner instance has the local variables `loopCounter` (1-based) and
// the input element; the output collection keeps the order of the input collection, whatever the completion order;
// the completion condition can use numberOfInstances, numberOfActiveInstances, numberOfCompletedInstances; when it
// is fulfilled the other instances are terminated; an empty input collection completes the body at once.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-mi.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function jobsOf(type: string, pi: string, n: number) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 20,
    timeout: 60000,
    worker: 'audit',
    requestTimeout: 2000,
  } as never);
  const mine = jobs.filter((j) => j.processInstanceKey === pi);
  expect(mine).toHaveLength(n);
  return mine;
}

describe('Camunda 8.8 conformance: multi-instance', () => {
  test('parallel: loopCounter per inner instance; output collection in input order although completed in reverse', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-mi' as never,
        variables: { items: ['a', 'b', 'c'] },
      })
    ).processInstanceKey;
    const jobs = await jobsOf('audit-mi-each', pi, 3);
    const seen = jobs.map((j) => [j.variables.item, j.variables.loopCounter]).sort();
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    for (const j of [...jobs].sort((x, y) => Number(y.variables.loopCounter) - Number(x.variables.loopCounter)))
      await t.client.completeJob({ jobKey: j.jobKey, variables: { done: `${j.variables.item}!` } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, pi);
    expect(vars.results).toEqual([
      { item: 'a', n: 1, got: 'a!' },
      { item: 'b', n: 2, got: 'b!' },
      { item: 'c', n: 3, got: 'c!' },
    ]);
    expect(vars).not.toHaveProperty('loopCounter');
    expect(vars).not.toHaveProperty('item');
  });

  test('completion condition over numberOfCompletedInstances / numberOfInstances terminates the rest', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-mi-half' as never,
        variables: { items: [10, 20, 30, 40] },
      })
    ).processInstanceKey;
    const jobs = await jobsOf('audit-mi-half', pi, 4);
    const byItem = new Map(jobs.map((j) => [j.variables.item as number, j]));
    await t.client.completeJob({ jobKey: byItem.get(30)!.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    await t.client.completeJob({ jobKey: byItem.get(10)!.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_TERMINATED')).toEqual(['half', 'half']);
    expect((await rootVariables(t.db.knex, pi)).results).toEqual([10, null, 30, null]);
  });

  test('an empty input collection completes the body at once with an empty output collection', async () => {
    const pi = (
      await t.client.createProcessInstance({ processDefinitionId: 'audit-mi' as never, variables: { items: [] } })
    ).processInstanceKey;
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await rootVariables(t.db.knex, pi)).results).toEqual([]);
  });

  test('an outputElement that only reads a (nested) variable makes it local to each instance; the body holds the collection; not updated → null', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-mi-local' as never,
        variables: { items: ['x', 'y', 'z'] },
      })
    ).processInstanceKey;
    const jobs = await jobsOf('audit-mi-local', pi, 3);
    const byItem = new Map(jobs.map((j) => [j.variables.item as string, j]));
    expect(byItem.get('x')!.variables.res).toBeNull();
    await t.client.completeJob({ jobKey: byItem.get('y')!.jobKey, variables: { res: { value: 'Y' } } });
    const body = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi, element_id: 'calc', element_type: 'MULTI_INSTANCE_BODY' })
      .first();
    const bodyVars = await t.db.knex('engine.variable').where({ scope_key: body.key, name: 'results' }).first();
    expect(JSON.parse(bodyVars.value)).toEqual([null, 'Y', null]);
    expect(await rootVariables(t.db.knex, pi)).toEqual({ items: ['x', 'y', 'z'] });
    await t.client.completeJob({ jobKey: byItem.get('z')!.jobKey, variables: { res: { value: 'Z' } } });
    await t.client.completeJob({ jobKey: byItem.get('x')!.jobKey, variables: { other: 1 } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ items: ['x', 'y', 'z'], other: 1, results: [null, 'Y', 'Z'] });
  });
});
