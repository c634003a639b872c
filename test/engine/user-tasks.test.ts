import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
let formKey: string;
beforeAll(async () => {
  t = await startTestEngine();
  const d = await t.deploy('review-form.form', 'user-task.bpmn');
  formKey = d.forms[0].formKey as string;
});
afterAll(async () => {
  await t?.stop();
});

async function taskOf(piKey: string) {
  return t.db.knex('engine.user_task').where({ process_instance_key: piKey }).first();
}

describe('user tasks', () => {
  test('created with assignee, candidates, dates, priority and the linked form', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'user-task' as never,
      variables: { clerk: 'li' },
    });
    const task = await taskOf(pi.processInstanceKey);
    expect(task).toMatchObject({
      state: 'CREATED',
      element_id: 'review',
      name: 'Review application',
      assignee: 'li',
      candidate_groups: ['clerk', 'manager'],
      candidate_users: ['wang'],
      priority: 70,
      form_key: formKey,
    });
    expect(task.due_date.toISOString()).toBe('2030-01-31T17:00:00.000Z');
    expect(task.follow_up_date.toISOString()).toBe('2030-01-20T09:00:00.000Z');
  });

  test('assign, unassign, update and complete with variables', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'user-task' as never,
      variables: { clerk: null },
    });
    const { key } = await taskOf(pi.processInstanceKey);
    expect((await taskOf(pi.processInstanceKey)).assignee).toBeNull();
    await t.client.assignUserTask({ userTaskKey: key, assignee: 'zhang' });
    expect((await taskOf(pi.processInstanceKey)).assignee).toBe('zhang');
    expect(
      (await rejection(t.client.assignUserTask({ userTaskKey: key, assignee: 'wang', allowOverride: false }))).status,
    ).toBe(409);
    await t.client.unassignUserTask({ userTaskKey: key });
    expect((await taskOf(pi.processInstanceKey)).assignee).toBeNull();
    await t.client.updateUserTask({
      userTaskKey: key,
      changeset: { priority: 90, candidateGroups: ['engineer'], dueDate: '2031-05-01T00:00:00Z' },
    });
    const updated = await taskOf(pi.processInstanceKey);
    expect(updated).toMatchObject({ priority: 90, candidate_groups: ['engineer'] });
    expect(updated.due_date.toISOString()).toBe('2031-05-01T00:00:00.000Z');
    await t.client.completeUserTask({ userTaskKey: key, variables: { approved: true, comment: 'ok' } });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({
      clerk: null,
      approved: true,
      comment: 'ok',
    });
    // Zeebe forgets completed user tasks: a second completion is NOT_FOUND, as Camunda answers it.
    expect((await rejection(t.client.completeUserTask({ userTaskKey: key }))).status).toBe(404);
    expect((await rejection(t.client.completeUserTask({ userTaskKey: '2251799813000001' as never }))).status).toBe(404);
    const intents = await t.db
      .knex('engine.record')
      .where({ key, value_type: 'USER_TASK' })
      .orderBy('position')
      .pluck('intent');
    expect(intents).toEqual([
      'CREATING',
      'CREATED',
      'ASSIGNING',
      'ASSIGNED',
      'ASSIGNING',
      'ASSIGNED',
      'UPDATING',
      'UPDATED',
      'COMPLETING',
      'COMPLETED',
    ]);
  });

  test('cancelled when the instance is cancelled', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'user-task' as never,
      variables: { clerk: 'li' },
    });
    await t.client.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect((await taskOf(pi.processInstanceKey)).state).toBe('CANCELED');
  });

  test('a referenced form that was never deployed raises an incident', async () => {
    const xml = (await import('node:fs')).readFileSync(
      new URL('../processes/fixtures/user-task.bpmn', import.meta.url),
      'utf8',
    );
    const other = xml
      .replace('id="user-task"', 'id="user-task-no-form"')
      .replace('formId="review-form"', 'formId="missing-form"');
    await t.client.createDeployment({ resources: [new File([other], 'user-task-no-form.bpmn')] });
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'user-task-no-form' as never,
      variables: { clerk: 'li' },
    });
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(incident).toMatchObject({ error_type: 'FORM_NOT_FOUND', element_id: 'review' });
  });
});
