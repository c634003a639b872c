import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

/**
 * Camunda 8.6 execution listeners (docs: components/concepts/execution-listeners): blocking jobs of kind
 * EXECUTION_LISTENER, start listeners after the input mappings and before the element's behaviour, end
 * listeners after the output mappings and before COMPLETED, one at a time in model order.
 */

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'execution-listener-service-task.bpmn',
    'execution-listener-process.bpmn',
    'execution-listener-multi-instance.bpmn',
    'execution-listener-entry.bpmn',
    'execution-listener-expression.bpmn',
    'execution-listener-boundary.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

type Job = Awaited<ReturnType<TestEngine['client']['activateJobs']>>['jobs'][number];

async function jobsOf(type: string, pi: string): Promise<Job[]> {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 20,
    timeout: 30000,
    worker: 'el-worker',
    requestTimeout: -1,
  } as never);
  return jobs.filter((j) => j.processInstanceKey === pi);
}

async function take(type: string, pi: string): Promise<Job> {
  const jobs = await jobsOf(type, pi);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

async function start(processId: string, variables: Record<string, unknown> = {}): Promise<string> {
  const created = await t.client.createProcessInstance({ processDefinitionId: processId as never, variables });
  return created.processInstanceKey;
}

async function elementState(pi: string, elementId: string): Promise<string | undefined> {
  const row = await t.db
    .knex('engine.element_instance')
    .where({ process_instance_key: pi, element_id: elementId })
    .orderBy('key', 'desc')
    .first('state');
  return row?.state;
}

async function intentsOf(pi: string, elementId: string): Promise<string[]> {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: pi, element_id: elementId, value_type: 'PROCESS_INSTANCE' })
    .orderBy('position')
    .select('intent');
  return rows.map((r) => r.intent as string);
}

async function createdJobTypes(pi: string): Promise<string[]> {
  const rows = await t.db
    .knex('engine.job')
    .where({ process_instance_key: pi })
    .orderBy('key')
    .select('type', 'kind', 'listener_event_type');
  return rows.map((r) => `${r.type}:${r.kind}:${r.listener_event_type}`);
}

describe('execution listeners on a service task', () => {
  test('start listeners in model order, then the task job, then the end listener; kinds, headers, variables', async () => {
    const pi = await start('el-service', { amount: 21 });

    // Start listener 1: after the input mappings, before the task's own job; the element is ACTIVATING.
    const first = await take('el-start-1', pi);
    expect(first).toMatchObject({
      kind: 'EXECUTION_LISTENER',
      listenerEventType: 'START',
      elementId: 'charge',
      retries: 2,
      customHeaders: { channel: 'counter', step: 'first' },
      variables: { amount: 21, doubled: 42 },
    });
    expect(await jobsOf('el-start-2', pi)).toHaveLength(0);
    expect(await jobsOf('el-charge', pi)).toHaveLength(0);
    expect(await elementState(pi, 'charge')).toBe('ACTIVATING');
    await t.client.completeJob({ jobKey: first.jobKey, variables: { fromStart: 'S' } });

    // Start listener 2 sees the first one's variables (local to the element).
    const second = await take('el-start-2', pi);
    expect(second).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'START', retries: 3 });
    expect(second.variables).toMatchObject({ fromStart: 'S', doubled: 42 });
    expect(await jobsOf('el-charge', pi)).toHaveLength(0);
    await t.client.completeJob({ jobKey: second.jobKey });

    // The task's job: the element is ACTIVATED, its headers without the listener's.
    const task = await take('el-charge', pi);
    expect(task).toMatchObject({
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
      customHeaders: { channel: 'counter', step: 'task' },
    });
    expect(task.variables).toMatchObject({ fromStart: 'S', doubled: 42 });
    expect(await elementState(pi, 'charge')).toBe('ACTIVATED');
    await t.client.completeJob({ jobKey: task.jobKey, variables: { receipt: 'R-1' } });

    // End listener (type and retries are FEEL): after the output mappings, the element is COMPLETING.
    const end = await take('el-end', pi);
    expect(end).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'END', retries: 2 });
    expect(end.variables).toMatchObject({ receiptOut: 'R-1' });
    expect(await elementState(pi, 'charge')).toBe('COMPLETING');
    expect(await jobsOf('el-after', pi)).toHaveLength(0);
    await t.client.completeJob({ jobKey: end.jobKey, variables: { fromEnd: 'E' } });

    // End listener variables propagate to the parent scope; start listener variables stayed local.
    const after = await take('el-after', pi);
    expect(after.variables).toMatchObject({ fromEnd: 'E', receiptOut: 'R-1' });
    expect(after.variables).not.toHaveProperty('fromStart');
    await t.client.completeJob({ jobKey: after.jobKey });

    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ amount: 21, receiptOut: 'R-1', fromEnd: 'E' });
    expect(await createdJobTypes(pi)).toEqual([
      'el-start-1:EXECUTION_LISTENER:START',
      'el-start-2:EXECUTION_LISTENER:START',
      'el-charge:BPMN_ELEMENT:UNSPECIFIED',
      'el-end:EXECUTION_LISTENER:END',
      'el-after:BPMN_ELEMENT:UNSPECIFIED',
    ]);
    expect(await intentsOf(pi, 'charge')).toEqual([
      'ELEMENT_ACTIVATING',
      'COMPLETE_EXECUTION_LISTENER',
      'COMPLETE_EXECUTION_LISTENER',
      'ELEMENT_ACTIVATED',
      'ELEMENT_COMPLETING',
      'COMPLETE_EXECUTION_LISTENER',
      'ELEMENT_COMPLETED',
    ]);
  });

  test('a listener job out of retries raises EXECUTION_LISTENER_NO_RETRIES; resolving runs that listener again', async () => {
    const pi = await start('el-service', { amount: 1 });
    await t.client.completeJob({ jobKey: (await take('el-start-1', pi)).jobKey });
    let job = await take('el-start-2', pi);
    await t.client.failJob({ jobKey: job.jobKey, retries: 1, errorMessage: 'ledger busy' });
    job = await take('el-start-2', pi);
    expect(job.retries).toBe(1);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'ledger down' });

    const found = await t.client.searchIncidents(
      { filter: { processInstanceKey: pi as never } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    const incidents = found.items ?? [];
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      errorType: 'EXECUTION_LISTENER_NO_RETRIES',
      errorMessage: 'ledger down',
      elementId: 'charge',
      jobKey: job.jobKey,
    });
    expect(await elementState(pi, 'charge')).toBe('ACTIVATING');
    expect(await jobsOf('el-start-2', pi)).toHaveLength(0);

    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await t.client.resolveIncident({ incidentKey: incidents[0].incidentKey! });
    // Only the failed listener runs again: the first one is not repeated.
    expect(await jobsOf('el-start-1', pi)).toHaveLength(0);
    const again = await take('el-start-2', pi);
    expect(again.jobKey).toBe(job.jobKey);
    await t.client.completeJob({ jobKey: again.jobKey });
    await t.client.completeJob({ jobKey: (await take('el-charge', pi)).jobKey });
    await t.client.completeJob({ jobKey: (await take('el-end', pi)).jobKey });
    await t.client.completeJob({ jobKey: (await take('el-after', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });

  test('throwing a BPMN error from a listener job is rejected (409) and changes nothing', async () => {
    const pi = await start('el-service', { amount: 1 });
    const job = await take('el-start-1', pi);
    const err = await rejection(t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'NOPE' }));
    expect(err.status).toBe(409);
    expect(err.detail).toContain(
      `Cannot throw BPMN error from EXECUTION_LISTENER job with key '${job.jobKey}', type 'el-start-1'`,
    );
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await jobsOf('el-start-2', pi)).toHaveLength(1);
    await t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('cancelling the instance while a listener job is open cancels the job', async () => {
    const pi = await start('el-service', { amount: 1 });
    const job = await take('el-start-1', pi);
    await t.client.cancelProcessInstance({ processInstanceKey: pi as never });
    expect(await instanceState(t.db.knex, pi)).toBe('TERMINATED');
    expect(await elementState(pi, 'charge')).toBe('TERMINATED');
    const row = await t.db.knex('engine.job').where({ key: job.jobKey }).first('state');
    expect(row.state).toBe('CANCELED');
    const canceled = await t.db.knex('engine.record').where({ key: job.jobKey, value_type: 'JOB', intent: 'CANCELED' });
    expect(canceled).toHaveLength(1);
    expect(await jobsOf('el-start-1', pi)).toHaveLength(0);
    // This engine keeps cancelled job rows and answers 409 where Zeebe, having deleted the job, answers 404.
    expect([404, 409]).toContain((await rejection(t.client.completeJob({ jobKey: job.jobKey }))).status);
  });

  test('a restart while an end listener job waits: the instance carries on afterwards', async () => {
    const pi = await start('el-service', { amount: 5 });
    await t.client.completeJob({ jobKey: (await take('el-start-1', pi)).jobKey });
    await t.client.completeJob({ jobKey: (await take('el-start-2', pi)).jobKey });
    await t.client.completeJob({ jobKey: (await take('el-charge', pi)).jobKey, variables: { receipt: 'R-9' } });
    const end = await take('el-end', pi);

    await t.restart();

    expect(await elementState(pi, 'charge')).toBe('COMPLETING');
    await t.client.completeJob({ jobKey: end.jobKey, variables: { fromEnd: 'after restart' } });
    const after = await take('el-after', pi);
    expect(after.variables).toMatchObject({ fromEnd: 'after restart', receiptOut: 'R-9' });
    await t.client.completeJob({ jobKey: after.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });
});

describe('execution listeners on the process, a start event, a gateway and catch/end events', () => {
  test('each listener runs where Camunda documents it; listener variables steer the gateway and the message', async () => {
    const pi = await start('el-process', { input: 1 });

    // Process start listener: the process is ACTIVATING and nothing inside it has started.
    const procStart = await take('el-proc-start', pi);
    expect(procStart).toMatchObject({ listenerEventType: 'START', elementId: 'el-process' });
    expect(await elementState(pi, 'el-process')).toBe('ACTIVATING');
    expect(await elementState(pi, 'start')).toBeUndefined();
    await t.client.completeJob({ jobKey: procStart.jobKey, variables: { fromProcess: 1 } });

    // Start event: end listeners only.
    const startEnd = await take('el-start-end', pi);
    expect(startEnd).toMatchObject({ listenerEventType: 'END', elementId: 'start', variables: { fromProcess: 1 } });
    expect(await elementState(pi, 'start')).toBe('COMPLETING');
    await t.client.completeJob({ jobKey: startEnd.jobKey });

    // Gateway start listener decides the route before the conditions are evaluated.
    const decide = await take('el-decide', pi);
    expect(await elementState(pi, 'decide')).toBe('ACTIVATING');
    await t.client.completeJob({ jobKey: decide.jobKey, variables: { route: 'a' } });

    // Catch event start listener sets the correlation key before the subscription opens.
    const wait = await take('el-wait-start', pi);
    expect(await elementState(pi, 'wait')).toBe('ACTIVATING');
    expect(await t.db.knex('engine.message_subscription').where({ process_instance_key: pi })).toHaveLength(0);
    await t.client.completeJob({ jobKey: wait.jobKey, variables: { orderId: 'O-7' } });
    const subs = await t.db
      .knex('engine.message_subscription')
      .where({ process_instance_key: pi, state: 'CREATED' })
      .select('correlation_key');
    expect(subs).toEqual([{ correlation_key: 'O-7' }]);
    await t.client.publishMessage({ name: 'el-go', correlationKey: 'O-7', timeToLive: 0 } as never);

    // End event end listener, then the process end listener.
    const endA = await take('el-enda-end', pi);
    expect(await elementState(pi, 'endA')).toBe('COMPLETING');
    expect(await jobsOf('el-proc-end', pi)).toHaveLength(0);
    await t.client.completeJob({ jobKey: endA.jobKey });
    const procEnd = await take('el-proc-end', pi);
    expect(await elementState(pi, 'el-process')).toBe('COMPLETING');
    await t.client.completeJob({ jobKey: procEnd.jobKey, variables: { done: true } });

    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    // route and orderId were local to the gateway and the catch event.
    expect(await rootVariables(t.db.knex, pi)).toEqual({ input: 1, fromProcess: 1, done: true });
    expect(await intentsOf(pi, 'el-process')).toEqual([
      'ELEMENT_ACTIVATING',
      'COMPLETE_EXECUTION_LISTENER',
      'ELEMENT_ACTIVATED',
      'ELEMENT_COMPLETING',
      'COMPLETE_EXECUTION_LISTENER',
      'ELEMENT_COMPLETED',
    ]);
    expect(await intentsOf(pi, 'decide')).toEqual([
      'ELEMENT_ACTIVATING',
      'COMPLETE_EXECUTION_LISTENER',
      'ELEMENT_ACTIVATED',
      'ELEMENT_COMPLETING',
      'ELEMENT_COMPLETED',
    ]);
  });
});

describe('execution listeners with multi-instance, message start and expressions', () => {
  test('a multi-instance activity runs its listeners on each inner instance, not on the body', async () => {
    const pi = await start('el-mi', { items: ['a', 'b'] });
    const starts = await jobsOf('el-mi-start', pi);
    expect(starts).toHaveLength(2);
    expect(starts.map((j) => j.variables.item).sort()).toEqual(['a', 'b']);
    const inner = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: pi, element_id: 'each', element_type: 'SERVICE_TASK' })
      .pluck('key');
    expect(starts.map((j) => j.elementInstanceKey).sort()).toEqual([...inner].sort());
    expect(await jobsOf('el-mi-task', pi)).toHaveLength(0);
    for (const j of starts) await t.client.completeJob({ jobKey: j.jobKey });
    for (const j of await jobsOf('el-mi-task', pi)) await t.client.completeJob({ jobKey: j.jobKey });
    const ends = await jobsOf('el-mi-end', pi);
    expect(ends).toHaveLength(2);
    expect(ends.every((j) => j.listenerEventType === 'END')).toBe(true);
    for (const j of ends) await t.client.completeJob({ jobKey: j.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const body = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, element_type: 'MULTI_INSTANCE_BODY', intent: 'COMPLETE_EXECUTION_LISTENER' });
    expect(body).toHaveLength(0);
  });

  test('a process started by a message runs its start listener first, then enters at that message start event', async () => {
    await t.client.publishMessage({ name: 'el-entry-begin', correlationKey: '', timeToLive: 0 } as never);
    const pi = (await t.db.knex('engine.process_instance').where({ bpmn_process_id: 'el-entry' }).first('key'))
      .key as string;
    const job = await take('el-entry-start', pi);
    expect(await elementState(pi, 'msgStart')).toBeUndefined();
    await t.client.completeJob({ jobKey: job.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const completed = await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, intent: 'ELEMENT_COMPLETED' })
      .orderBy('position')
      .pluck('element_id');
    expect(completed).toEqual(['msgStart', 'viaMessage', 'el-entry']);
  });

  test('a failing listener type expression raises an incident; resolving re-runs every start listener', async () => {
    const pi = await start('el-expression');
    const first = await take('el-expr-first', pi);
    await t.client.completeJob({ jobKey: first.jobKey });
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi, state: 'ACTIVE' }).first();
    expect(incident).toMatchObject({ error_type: 'EXTRACT_VALUE_ERROR', element_id: 'work' });
    expect(incident.error_message).toContain("'nextType'");
    expect(await elementState(pi, 'work')).toBe('ACTIVATING');

    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi,
      variables: { nextType: 'el-expr-second' },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    // Documented: after an expression failure, the listeners of that event type that had completed run again.
    const rerun = await take('el-expr-first', pi);
    expect(rerun.jobKey).not.toBe(first.jobKey);
    await t.client.completeJob({ jobKey: rerun.jobKey });
    await t.client.completeJob({ jobKey: (await take('el-expr-second', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });
});

describe('execution listeners and boundary events', () => {
  test('boundary subscriptions open after the start listeners; a boundary event runs its end listener', async () => {
    const pi = await start('el-boundary', { key: 'K-1' });
    const startJob = await take('el-b-start', pi);
    const subscriptions = () =>
      t.db.knex('engine.message_subscription').where({ process_instance_key: pi, state: 'CREATED' });
    expect(await subscriptions()).toHaveLength(0);
    await t.client.completeJob({ jobKey: startJob.jobKey });
    expect(await subscriptions()).toHaveLength(1);
    expect(await jobsOf('el-b-work', pi)).toHaveLength(1);

    await t.client.publishMessage({ name: 'el-b-stop', correlationKey: 'K-1', timeToLive: 0 } as never);
    expect(await elementState(pi, 'work')).toBe('TERMINATED');
    expect(await elementState(pi, 'stop')).toBe('COMPLETING');
    const stopEnd = await take('el-b-stop-end', pi);
    expect(stopEnd).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'END', elementId: 'stop' });
    await t.client.completeJob({ jobKey: stopEnd.jobKey, variables: { stoppedBy: 'listener' } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ key: 'K-1', stoppedBy: 'listener' });
  });
});

describe('deployment checks', () => {
  test.each([
    [
      'execution-listener-invalid-start-event.bpmn',
      'begin',
      "Execution listeners of type 'start' are not supported by start events",
    ],
    [
      'execution-listener-invalid-gateway-end.bpmn',
      'fork',
      "Execution listeners of type 'end' are not supported by gateway element",
    ],
    [
      'execution-listener-invalid-boundary-start.bpmn',
      'late',
      "Execution listeners of type 'start' are not supported by boundary events",
    ],
    [
      'execution-listener-invalid-duplicate.bpmn',
      'twice',
      "Found '2' duplicates based on eventType[start] and type[el-x], these combinations should be unique.",
    ],
    [
      'execution-listener-invalid-task-listener.bpmn',
      'review',
      // Task listeners run on Camunda user tasks (test/engine/task-listeners.test.ts), not on job-worker ones.
      "Task listeners (zeebe:taskListeners) are only supported on user tasks with 'zeebe:userTask'",
    ],
  ])('%s is rejected with a problem naming the element', async (file, elementId, message) => {
    const err = await rejection(t.deploy(file));
    expect(err.status).toBe(400);
    expect(err.detail).toContain(file);
    expect(err.detail).toContain(elementId);
    expect(err.detail).toContain(message);
    const stored = await t.db.knex('engine.process_definition').where({ resource_name: file });
    expect(stored).toHaveLength(0);
  });
});
