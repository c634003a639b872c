import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState } from '../support/records.js';

/**
 * Zeebe's job-worker user task (a bpmn:userTask without zeebe:userTask, Camunda docs "User tasks" →
 * "Job worker implementation"): a job of type io.camunda.zeebe:userTask whose assignment, schedule and
 * form arrive as headers, candidate lists JSON-encoded; a zeebe:taskDefinition on it is ignored. Task
 * headers with an empty value are not passed, for any job kind.
 */

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('job-worker-user-task.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function take(type: string, pi: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 20,
    timeout: 30000,
    worker: 'jw',
    requestTimeout: -1,
  } as never);
  const mine = jobs.filter((j) => j.processInstanceKey === pi);
  expect(mine).toHaveLength(1);
  return mine[0];
}

test('the job carries the evaluated assignment, schedule and form as headers; the task definition is ignored', async () => {
  const { processInstanceKey: pi } = await t.client.createProcessInstance({
    processDefinitionId: 'jw-user-task' as never,
    variables: { clerk: 'li', users: ['u1', 'u2'], due: '2031-02-03T04:05:06Z' },
  });
  const job = await take('io.camunda.zeebe:userTask', pi);
  expect(job.kind).toBe('BPMN_ELEMENT');
  expect(job.listenerEventType).toBe('UNSPECIFIED');
  expect(job.retries).toBe(1);
  expect(job.customHeaders).toEqual({
    area: 'east',
    'io.camunda.zeebe:assignee': 'li',
    'io.camunda.zeebe:candidateGroups': '["clerk","cashier"]',
    'io.camunda.zeebe:candidateUsers': '["u1","u2"]',
    'io.camunda.zeebe:dueDate': '2031-02-03T04:05:06Z',
    'io.camunda.zeebe:followUpDate': '2031-01-01T08:00:00Z',
    'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:inspectForm',
  });
  expect((await t.db.knex('engine.job').where({ process_instance_key: pi, type: 'never-used' })).length).toBe(0);
  expect(await t.db.knex('engine.user_task').where({ process_instance_key: pi })).toHaveLength(0);

  // The next jobs: an execution listener and a service task, neither with the empty header.
  await t.client.completeJob({ jobKey: job.jobKey, variables: { inspected: true } });
  const listener = await take('jw-post-start', pi);
  expect(listener.customHeaders).toEqual({ keep: 'x' });
  await t.client.completeJob({ jobKey: listener.jobKey });
  const post = await take('jw-post', pi);
  expect(post.customHeaders).toEqual({ keep: 'x' });
  expect(post.variables).toMatchObject({ inspected: true });
  await t.client.completeJob({ jobKey: post.jobKey });
  expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
});

test('an assignee or candidate list that evaluates to nothing is no header at all', async () => {
  const { processInstanceKey: pi } = await t.client.createProcessInstance({
    processDefinitionId: 'jw-user-task' as never,
    variables: { clerk: null, users: [], due: null },
  });
  const job = await take('io.camunda.zeebe:userTask', pi);
  expect(job.customHeaders).toEqual({
    area: 'east',
    'io.camunda.zeebe:candidateGroups': '["clerk","cashier"]',
    'io.camunda.zeebe:followUpDate': '2031-01-01T08:00:00Z',
    'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:inspectForm',
  });
});
