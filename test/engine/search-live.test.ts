import { startTestEngine, type TestEngine } from '../support/engine.js';
import { repairResources } from './search-model.js';

// The /v2 read side against the live embedded engine, through the official client in fanatical
// validation: every search right after a command already shows the command's effect.
let t: TestEngine;
const now = { consistency: { waitUpToMs: 0 } };
const key = (k: string) => k as never;
const DUE = '2026-06-30T08:00:00.000Z';

beforeAll(async () => {
  t = await startTestEngine();
  await t.client.createDeployment({ resources: repairResources() });
});
afterAll(async () => {
  await t?.stop();
});

async function activateOne(type: string, worker: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 1,
    timeout: 30000,
    worker,
    requestTimeout: 2000,
  } as never);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

test('a repair from start to end, read back after every step', async () => {
  const defs = await t.client.searchProcessDefinitions(
    { filter: { processDefinitionId: 'search-repair', isLatestVersion: true } },
    now,
  );
  expect(defs.items).toHaveLength(1);
  const def = defs.items![0];
  expect(def).toMatchObject({
    name: 'Search repair',
    version: 1,
    hasStartForm: true,
    resourceName: 'search-repair.bpmn',
  });
  const startForm = await t.client.getStartProcessForm({ processDefinitionKey: def.processDefinitionKey! }, now);
  expect(startForm).toMatchObject({ formId: 'search-intake', version: 1 });

  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'search-repair' as never,
    variables: { amount: 100, due: DUE },
  });
  const piKey = pi.processInstanceKey;

  // Read-your-writes: the instance, its waiting element and its job are searchable at once.
  const instances = await t.client.searchProcessInstances(
    { filter: { processInstanceKey: piKey, state: 'ACTIVE' } },
    now,
  );
  expect(instances.items.map((p) => p.processInstanceKey)).toEqual([piKey]);
  expect(instances.items[0]).toMatchObject({ processDefinitionName: 'Search repair', hasIncident: false });
  const waiting = await t.client.searchElementInstances(
    { filter: { processInstanceKey: key(piKey), state: 'ACTIVE', type: 'SERVICE_TASK' } },
    now,
  );
  expect(waiting.items?.map((e) => e.elementId)).toEqual(['check']);
  expect(
    (await t.client.searchJobs({ filter: { processInstanceKey: piKey, type: 'search-check' } }, now)).items.map(
      (j) => j.state,
    ),
  ).toEqual(['CREATED']);

  // The job fails without retries: an incident, visible in every search that shows incidents.
  const job = await activateOne('search-check', 'meter-bot');
  await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'meter unreachable' });
  const incidents = await t.client.searchIncidents(
    { filter: { processInstanceKey: key(piKey), state: 'ACTIVE' } },
    now,
  );
  expect(incidents.items).toHaveLength(1);
  const incident = incidents.items![0];
  expect(incident).toMatchObject({
    errorType: 'JOB_NO_RETRIES',
    errorMessage: 'meter unreachable',
    elementId: 'check',
    jobKey: job.jobKey,
  });
  expect(await t.client.getIncident({ incidentKey: incident.incidentKey! }, now)).toEqual(incident);
  expect((await t.client.searchProcessInstanceIncidents({ processInstanceKey: piKey }, now)).items).toEqual([incident]);
  expect((await t.client.getProcessInstance({ processInstanceKey: piKey }, now)).hasIncident).toBe(true);
  expect((await t.client.searchJobs({ filter: { jobKey: job.jobKey } }, now)).items[0]).toMatchObject({
    state: 'FAILED',
    retries: 0,
    worker: 'meter-bot',
    errorMessage: 'meter unreachable',
  });

  await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
  await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
  expect((await t.client.getIncident({ incidentKey: incident.incidentKey! }, now)).state).toBe('RESOLVED');
  const retried = await activateOne('search-check', 'meter-bot');
  await t.client.completeJob({ jobKey: retried.jobKey, variables: { amount: 150, checked: true } });

  // The user task is in the clerks' inbox immediately, with its form and the variables it sees.
  const inbox = await t.client.searchUserTasks(
    {
      filter: { state: 'CREATED', candidateGroup: 'clerk', assignee: { $exists: false } },
      sort: [{ field: 'dueDate', order: 'ASC' }],
    },
    now,
  );
  expect(inbox.items).toHaveLength(1);
  const task = inbox.items[0];
  expect(task).toMatchObject({
    name: 'Approve repair',
    elementId: 'approve',
    candidateGroups: ['clerk', 'engineer'],
    dueDate: DUE,
    priority: 70,
    processName: 'Search repair',
    processInstanceKey: piKey,
  });
  expect(await t.client.getUserTask({ userTaskKey: task.userTaskKey }, now)).toEqual(task);
  expect(await t.client.getUserTaskForm({ userTaskKey: task.userTaskKey }, now)).toMatchObject({
    formId: 'search-approval',
    formKey: task.formKey,
  });
  const seen = await t.client.searchUserTaskVariables(
    { userTaskKey: task.userTaskKey, sort: [{ field: 'name' }] },
    now,
  );
  expect(seen.items.map((v) => [v.name, v.value])).toEqual([
    ['amount', '150'],
    ['checked', 'true'],
    ['due', JSON.stringify(DUE)],
  ]);
  const amount = (await t.client.searchVariables({ filter: { processInstanceKey: key(piKey), name: 'amount' } }, now))
    .items[0];
  expect(await t.client.getVariable({ variableKey: amount.variableKey }, now)).toMatchObject({
    name: 'amount',
    value: '150',
    scopeKey: piKey,
  });
  const byVariable = await t.client.searchUserTasks(
    { filter: { processInstanceVariables: [{ name: 'checked', value: 'true' }] } },
    now,
  );
  expect(byVariable.items.map((u) => u.userTaskKey)).toEqual([task.userTaskKey]);

  await t.client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
  expect(
    (await t.client.searchUserTasks({ filter: { assignee: 'bob', state: 'CREATED' } }, now)).items.map(
      (u) => u.userTaskKey,
    ),
  ).toEqual([task.userTaskKey]);
  await t.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });

  const done = await t.client.getUserTask({ userTaskKey: task.userTaskKey }, now);
  expect(done.state).toBe('COMPLETED');
  expect(done.completionDate).toBeDefined();
  const finished = await t.client.getProcessInstance({ processInstanceKey: piKey }, now);
  expect(finished).toMatchObject({ state: 'COMPLETED', hasIncident: false });
  expect(finished.endDate).toBeDefined();
  const flows = await t.client.getProcessInstanceSequenceFlows({ processInstanceKey: piKey }, now);
  expect(flows.items?.map((f) => f.sequenceFlowId).sort()).toEqual(['to-approve', 'to-check', 'to-end']);
  const elements = await t.client.searchElementInstances(
    { filter: { processInstanceKey: key(piKey) }, sort: [{ field: 'startDate' }, { field: 'elementInstanceKey' }] },
    now,
  );
  // The process itself is no element instance in Camunda (it is the process instance).
  expect(elements.items?.map((e) => [e.elementId, e.state])).toEqual([
    ['start', 'COMPLETED'],
    ['check', 'COMPLETED'],
    ['approve', 'COMPLETED'],
    ['end', 'COMPLETED'],
  ]);
  expect(await t.client.getProcessInstanceCallHierarchy({ processInstanceKey: piKey }, now)).toEqual([]);
});

test('searches page through many instances with stable order', async () => {
  const keys: string[] = [];
  for (let i = 0; i < 7; i++)
    keys.push(
      (
        await t.client.createProcessInstance({
          processDefinitionId: 'search-repair' as never,
          variables: { amount: i, due: DUE },
        })
      ).processInstanceKey,
    );
  const seen: string[] = [];
  for (let from = 0; from < 7; from += 3) {
    const page = await t.client.searchProcessInstances(
      {
        filter: { processInstanceKey: { $in: keys as never[] } },
        sort: [{ field: 'processInstanceKey', order: 'DESC' }],
        page: { from, limit: 3 },
      },
      now,
    );
    expect(page.page.totalItems).toBe(7);
    seen.push(...page.items.map((p) => p.processInstanceKey));
  }
  expect(seen).toEqual([...keys].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
});
