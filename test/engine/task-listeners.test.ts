import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState, rootVariables } from '../support/records.js';

/**
 * Camunda 8.8 user task listeners (docs: components/concepts/user-task-listeners): each lifecycle
 * transition (creating, assigning, updating, completing, canceling) waits in its -ING state for its
 * listener jobs (kind TASK_LISTENER), run one at a time in model order; a job's `userTask` carries the
 * task's data; completing a job may correct the task or deny assigning, updating and completing.
 */

/** Our reads are consistent at once: no waiting for an exporter. */
const NOW = { consistency: { waitUpToMs: 0 } };

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('task-listener-review.bpmn', 'task-listener-expression.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

type Job = Awaited<ReturnType<TestEngine['client']['activateJobs']>>['jobs'][number];

async function take(type: string, pi: string): Promise<Job> {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 20,
    timeout: 30000,
    worker: 'tl-worker',
    requestTimeout: -1,
  } as never);
  const mine = jobs.filter((j) => j.processInstanceKey === pi);
  expect(mine).toHaveLength(1);
  return mine[0];
}

async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  return (await t.client.createProcessInstance({ processDefinitionId: processId as never, variables }))
    .processInstanceKey;
}

async function taskOf(pi: string) {
  const { items = [] } = await t.client.searchUserTasks({ filter: { processInstanceKey: pi as never } }, NOW);
  expect(items).toHaveLength(1);
  return items[0];
}

async function intents(userTaskKey: string): Promise<string[]> {
  return t.db
    .knex('engine.record')
    .where({ key: userTaskKey, value_type: 'USER_TASK' })
    .orderBy('position')
    .pluck('intent');
}

/** A task of tl-review that went through creation and the model's assignment (assignee li). */
async function createdTask(): Promise<{ pi: string; key: string }> {
  const pi = await start('tl-review', { clerk: 'li' });
  await t.client.completeJob({ jobKey: (await take('tl-creating', pi)).jobKey });
  await t.client.completeJob({ jobKey: (await take('tl-assign-1', pi)).jobKey });
  await t.client.completeJob({ jobKey: (await take('tl-assign-2', pi)).jobKey });
  const task = await taskOf(pi);
  expect(task).toMatchObject({ state: 'CREATED', assignee: 'li' });
  return { pi, key: task.userTaskKey };
}

describe('creating, then the model assignee through assigning', () => {
  test('listener jobs carry the task, corrections apply when the transition ends', async () => {
    const pi = await start('tl-review', { clerk: 'li' });
    expect(await taskOf(pi)).toMatchObject({ state: 'CREATING', priority: 40 });

    const creating = await take('tl-creating', pi);
    expect(creating).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'CREATING', retries: 2 });
    const key = creating.userTask!.userTaskKey!;
    // The task's own headers, its data under Zeebe's reserved names; no empty header, no assignee yet.
    expect(creating.customHeaders).toEqual({
      region: 'north',
      'io.camunda.zeebe:candidateGroups': '["clerk"]',
      'io.camunda.zeebe:priority': '40',
      'io.camunda.zeebe:userTaskKey': key,
    });
    expect(creating.userTask).toMatchObject({ candidateGroups: ['clerk'], changedAttributes: [], priority: 40 });
    expect(creating.userTask!.assignee).toBeUndefined();
    // Not completable while creating.
    const early = await rejection(t.client.completeUserTask({ userTaskKey: key }));
    expect(early.status).toBe(409);
    expect(early.detail).toContain(`Expected to complete user task with key '${key}', but it is in state 'CREATING'`);

    await t.client.completeJob({
      jobKey: creating.jobKey,
      result: { type: 'userTask', corrections: { priority: 70 } },
    });
    expect(await taskOf(pi)).toMatchObject({ state: 'ASSIGNING', priority: 70 });

    const first = await take('tl-assign-1', pi);
    expect(first.listenerEventType).toBe('ASSIGNING');
    expect(first.userTask).toMatchObject({ assignee: 'li', changedAttributes: ['assignee'], priority: 70 });
    expect(first.userTask!.action).toBeUndefined();
    await t.client.completeJob({
      jobKey: first.jobKey,
      result: { type: 'userTask', corrections: { assignee: 'wang' } },
    });

    // The second assigning listener (written with the older name `assignment`) sees the correction.
    const second = await take('tl-assign-2', pi);
    expect(second.userTask).toMatchObject({ assignee: 'wang', changedAttributes: ['assignee'] });
    expect((await taskOf(pi)).assignee).toBeUndefined(); // not applied before the transition ends
    await t.client.completeJob({ jobKey: second.jobKey });

    expect(await taskOf(pi)).toMatchObject({ state: 'CREATED', assignee: 'wang', priority: 70 });
    expect(await intents(key)).toEqual(['CREATING', 'CORRECTED', 'CREATED', 'ASSIGNING', 'CORRECTED', 'ASSIGNED']);
  });
});

describe('assigning, updating and completing commands', () => {
  test('a denied assignment keeps the previous assignee; the task takes no second command meanwhile', async () => {
    const { pi, key } = await createdTask();
    await t.client.assignUserTask({ userTaskKey: key as never, assignee: 'zhao', action: 'reassign' });
    expect((await taskOf(pi)).state).toBe('ASSIGNING');
    const busy = await rejection(t.client.assignUserTask({ userTaskKey: key as never, assignee: 'sun' }));
    expect(busy.status).toBe(409);
    expect(busy.detail).toContain(`but it is in state 'ASSIGNING'`);

    const job = await take('tl-assign-1', pi);
    expect(job.userTask).toMatchObject({ action: 'reassign', assignee: 'zhao', changedAttributes: ['assignee'] });
    await t.client.completeJob({ jobKey: job.jobKey, result: { type: 'userTask', denied: true, deniedReason: 'no' } });
    expect(await taskOf(pi)).toMatchObject({ state: 'CREATED', assignee: 'li' });
    expect((await intents(key)).slice(-2)).toEqual(['ASSIGNING', 'ASSIGNMENT_DENIED']);
    // The second assigning listener never ran.
    const { jobs } = await t.client.activateJobs({
      type: 'tl-assign-2',
      maxJobsToActivate: 5,
      timeout: 1000,
      requestTimeout: -1,
    } as never);
    expect(jobs.filter((j) => j.processInstanceKey === pi)).toHaveLength(0);
  });

  test('an update waits for its listener and names what changed', async () => {
    const { pi, key } = await createdTask();
    await t.client.updateUserTask({ userTaskKey: key as never, changeset: { priority: 90 } });
    expect(await taskOf(pi)).toMatchObject({ state: 'UPDATING', priority: 40 });
    const job = await take('tl-updating', pi);
    expect(job.userTask).toMatchObject({ action: 'update', changedAttributes: ['priority'], priority: 90 });
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await taskOf(pi)).toMatchObject({ state: 'CREATED', priority: 90 });
    expect((await intents(key)).slice(-2)).toEqual(['UPDATING', 'UPDATED']);
  });

  test('a denied completion leaves the task open; a later one completes it across a restart', async () => {
    const { pi, key } = await createdTask();
    await t.client.completeUserTask({ userTaskKey: key as never, variables: { ok: false } });
    expect((await taskOf(pi)).state).toBe('COMPLETING');
    const twice = await rejection(t.client.completeUserTask({ userTaskKey: key as never }));
    expect(twice.status).toBe(409);

    const denied = await take('tl-completing', pi);
    expect(denied.userTask).toMatchObject({ action: 'complete', assignee: 'li' });
    // Variables and corrections on a denial are refused, as Zeebe does.
    const withVars = await rejection(t.client.completeJob({ jobKey: denied.jobKey, variables: { x: 1 } }));
    expect(withVars.status).toBe(400);
    expect(withVars.detail).toContain(
      'Task Listener job completion with variables payload provided is not yet supported',
    );
    const mixed = await rejection(
      t.client.completeJob({
        jobKey: denied.jobKey,
        result: { type: 'userTask', denied: true, corrections: { priority: 1 } },
      }),
    );
    expect(mixed.status).toBe(400);
    await t.client.completeJob({ jobKey: denied.jobKey, result: { type: 'userTask', denied: true } });
    expect(await taskOf(pi)).toMatchObject({ state: 'CREATED' });
    expect(await rootVariables(t.db.knex, pi)).toEqual({ clerk: 'li' });
    expect((await intents(key)).slice(-2)).toEqual(['COMPLETING', 'COMPLETION_DENIED']);

    await t.client.completeUserTask({ userTaskKey: key as never, variables: { ok: true } });
    await t.restart();
    const job = await take('tl-completing', pi);
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ clerk: 'li', ok: true });
    expect((await taskOf(pi)).state).toBe('COMPLETED');
    expect((await intents(key)).slice(-2)).toEqual(['COMPLETING', 'COMPLETED']);
  });
});

describe('variables set on the task element', () => {
  test('are an update: merged when it ends, dropped when a listener denies it', async () => {
    const { pi, key } = await createdTask();
    const el = (await taskOf(pi)).elementInstanceKey!;
    const locals = async () =>
      Object.fromEntries(
        (await t.db.knex('engine.variable').where({ scope_key: el }).select('name', 'value')).map((r) => [
          r.name,
          JSON.parse(r.value),
        ]),
      );
    await t.client.createElementInstanceVariables({
      elementInstanceKey: el,
      variables: { note: 'first' },
      local: true,
    });
    expect((await taskOf(pi)).state).toBe('UPDATING');
    const denied = await take('tl-updating', pi);
    expect(denied.userTask).toMatchObject({ changedAttributes: ['variables'] });
    expect(denied.variables).toMatchObject({ note: 'first' }); // seen by the listener before they are merged
    await t.client.completeJob({ jobKey: denied.jobKey, result: { type: 'userTask', denied: true } });
    expect((await taskOf(pi)).state).toBe('CREATED');
    expect(await locals()).toEqual({});

    await t.client.createElementInstanceVariables({
      elementInstanceKey: el,
      variables: { note: 'second' },
      local: true,
    });
    const busy = await rejection(
      t.client.createElementInstanceVariables({ elementInstanceKey: el, variables: { note: 'third' } }),
    );
    expect(busy.status).toBe(409);
    expect(busy.detail).toContain(`but it is in state 'UPDATING'`);
    await t.client.completeJob({ jobKey: (await take('tl-updating', pi)).jobKey });
    expect(await locals()).toEqual({ note: 'second' });
    expect((await intents(key)).slice(-4)).toEqual(['UPDATING', 'UPDATE_DENIED', 'UPDATING', 'UPDATED']);
    const documents = await t.db
      .knex('engine.record')
      .where({ key: el, value_type: 'VARIABLE_DOCUMENT' })
      .orderBy('position')
      .pluck('intent');
    expect(documents).toEqual(['UPDATING', 'UPDATE_DENIED', 'UPDATING', 'UPDATED']);
  });
});

describe('canceling', () => {
  test('cancelling the instance waits for the canceling listener, which cannot deny', async () => {
    const { pi, key } = await createdTask();
    await t.client.cancelProcessInstance({ processInstanceKey: pi as never });
    expect((await taskOf(pi)).state).toBe('CANCELING');
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    const job = await take('tl-canceling', pi);
    expect(job.listenerEventType).toBe('CANCELING');
    const deny = await rejection(
      t.client.completeJob({ jobKey: job.jobKey, result: { type: 'userTask', denied: true } }),
    );
    expect(deny.status).toBe(400);
    expect(deny.detail).toContain("Denying result is not supported for 'CANCELING' task listener jobs");
    await t.client.completeJob({ jobKey: job.jobKey });
    expect((await taskOf(pi)).state).toBe('CANCELED');
    expect(await instanceState(t.db.knex, pi)).toBe('TERMINATED');
    expect((await intents(key)).slice(-2)).toEqual(['CANCELING', 'CANCELED']);
  });
});

describe('incidents', () => {
  test('a listener job out of retries raises TASK_LISTENER_NO_RETRIES; resolving retries that job', async () => {
    const pi = await start('tl-review', { clerk: null });
    const job = await take('tl-creating', pi);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'directory down' });
    const incident = await eventually(async () => {
      const { items = [] } = await t.client.searchIncidents({ filter: { processInstanceKey: pi as never } }, NOW);
      return items[0];
    });
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', errorMessage: 'directory down' });
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
    const again = await take('tl-creating', pi);
    expect(again.jobKey).toBe(job.jobKey);
    await t.client.completeJob({ jobKey: again.jobKey });
    // No model assignee: no assigning transition after creation.
    expect(await taskOf(pi)).toMatchObject({ state: 'CREATED' });
  });

  test('a listener type that fails to evaluate raises an incident; resolving re-runs every listener', async () => {
    const pi = await start('tl-expression');
    const { userTaskKey } = await taskOf(pi);
    await t.client.completeUserTask({ userTaskKey });
    await t.client.completeJob({ jobKey: (await take('tl-first', pi)).jobKey });
    const incident = await eventually(async () => {
      const { items = [] } = await t.client.searchIncidents({ filter: { processInstanceKey: pi as never } }, NOW);
      return items[0];
    });
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect((await taskOf(pi)).state).toBe('COMPLETING');
    await t.client.createElementInstanceVariables({ elementInstanceKey: pi as never, variables: { kind: 'second' } });
    await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
    await t.client.completeJob({ jobKey: (await take('tl-first', pi)).jobKey });
    await t.client.completeJob({ jobKey: (await take('tl-second', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });
});

test('a listener without a job type is refused at deployment, naming the element', async () => {
  const err = await rejection(t.deploy('task-listener-missing-type.bpmn'));
  expect(err.status).toBe(400);
  expect(err.detail).toContain('untyped');
  expect(err.detail).toContain("Attribute 'type' must be present and not empty");
});
