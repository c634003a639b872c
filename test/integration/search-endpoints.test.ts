import { freshDatabase, type TestDatabase } from '../support/db.js';
import { BLOB, insertFixture, K, serveQueries } from './search-fixture.js';

// Every /v2 read endpoint, through the official client with CAMUNDA_SDK_VALIDATION=req:strict,res:fanatical:
// a missing, extra or mistyped property in any response fails the call.
let db: TestDatabase;
let api: Awaited<ReturnType<typeof serveQueries>>;
// Strongly consistent: a read never needs to wait for the write it follows.
const now = { consistency: { waitUpToMs: 0 } };
// The client brands keys inside filters even in its loose variant.
const key = (k: string) => k as never;

beforeAll(async () => {
  db = await freshDatabase();
  await insertFixture(db.knex);
  api = await serveQueries(db.url);
});
afterAll(async () => {
  await api.close();
  await db.drop();
});

describe('process definitions', () => {
  it('search, filtered and sorted, with page cursors', async () => {
    const r = await api.client.searchProcessDefinitions(
      { filter: { processDefinitionId: 'repair-ticket' }, sort: [{ field: 'version', order: 'DESC' }] },
      now,
    );
    expect(r.items?.map((d) => [d.processDefinitionKey, d.version])).toEqual([
      [K.repairV2, 2],
      [K.repairV1, 1],
    ]);
    expect(r.page.totalItems).toBe(2);
    expect(r.page.startCursor).toBeDefined();
    expect(r.items?.[0]).toEqual({
      name: 'Repair ticket',
      resourceName: 'repair-ticket.bpmn',
      version: 2,
      versionTag: 'v2',
      processDefinitionId: 'repair-ticket',
      tenantId: '<default>',
      processDefinitionKey: K.repairV2,
      hasStartForm: true,
    });
  });

  it('isLatestVersion and hasStartForm', async () => {
    const latest = await api.client.searchProcessDefinitions(
      { filter: { isLatestVersion: true }, sort: [{ field: 'processDefinitionId' }] },
      now,
    );
    expect(latest.items?.map((d) => d.processDefinitionKey)).toEqual([K.reading, K.repairV2]);
    const noForm = await api.client.searchProcessDefinitions({ filter: { hasStartForm: false } }, now);
    expect(noForm.items).toEqual([
      {
        resourceName: 'meter-reading.bpmn',
        version: 1,
        processDefinitionId: 'meter-reading',
        tenantId: '<default>',
        processDefinitionKey: K.reading,
        hasStartForm: false,
      },
    ]);
  });

  it('get, XML and start form', async () => {
    expect((await api.client.getProcessDefinition({ processDefinitionKey: K.reading }, now)).processDefinitionId).toBe(
      'meter-reading',
    );
    const xml = await api.client.getProcessDefinitionXml({ processDefinitionKey: K.repairV1 }, now);
    expect(xml).toContain('<bpmn:process id="repair-ticket"');
    const form = await api.client.getStartProcessForm({ processDefinitionKey: K.repairV2 }, now);
    expect(form).toMatchObject({
      formId: 'application-form',
      formKey: K.formApplication,
      version: 1,
      tenantId: '<default>',
    });
    expect((form as { schema: { id: string } }).schema.id).toBe('application-form');
    // No start form: 204, which the client hands back as an empty object.
    expect(await api.client.getStartProcessForm({ processDefinitionKey: K.reading }, now)).toEqual({});
  });
});

describe('process instances', () => {
  it('search with advanced filters, $or and variables', async () => {
    const active = await api.client.searchProcessInstances(
      { filter: { state: 'ACTIVE' }, sort: [{ field: 'startDate' }] },
      now,
    );
    expect(active.items.map((p) => p.processInstanceKey)).toEqual([K.pi1, K.pi2]);
    expect(active.items[1]).toEqual({
      processDefinitionId: 'meter-reading',
      processDefinitionName: 'meter-reading',
      processDefinitionVersion: 1,
      startDate: '2026-03-02T09:05:00.000Z',
      state: 'ACTIVE',
      hasIncident: true,
      tenantId: '<default>',
      processInstanceKey: K.pi2,
      processDefinitionKey: K.reading,
      parentProcessInstanceKey: K.pi1,
      parentElementInstanceKey: K.pi1Call,
      tags: [],
    });
    const either = await api.client.searchProcessInstances(
      { filter: { $or: [{ state: 'COMPLETED' }, { hasIncident: true }] } },
      now,
    );
    expect(either.items.map((p) => p.processInstanceKey).sort()).toEqual([K.pi2, K.pi3]);
    const byVar = await api.client.searchProcessInstances(
      { filter: { variables: [{ name: 'customer', value: { $like: '*Zhang*' } }] } },
      now,
    );
    expect(byVar.items.map((p) => p.processInstanceKey)).toEqual([K.pi1]);
    const byElement = await api.client.searchProcessInstances(
      { filter: { elementId: 'read', errorMessage: { $like: 'meter*' } } },
      now,
    );
    expect(byElement.items.map((p) => p.processInstanceKey)).toEqual([K.pi2]);
    const byDate = await api.client.searchProcessInstances(
      { filter: { endDate: { $exists: true }, processDefinitionVersion: { $lt: 2 } } },
      now,
    );
    expect(byDate.items.map((p) => p.processInstanceKey)).toEqual([K.pi3]);
  });

  it('get, sequence flows, call hierarchy', async () => {
    const pi = await api.client.getProcessInstance({ processInstanceKey: K.pi3 }, now);
    expect(pi).toMatchObject({
      state: 'COMPLETED',
      endDate: '2026-03-01T11:00:00.000Z',
      hasIncident: false,
      processDefinitionName: 'Repair ticket',
    });
    const flows = await api.client.getProcessInstanceSequenceFlows({ processInstanceKey: K.pi1 }, now);
    expect(flows.items?.map((f) => f.sequenceFlowId)).toEqual(['flow-to-review', 'flow-to-call']);
    expect(flows.items?.[0]).toEqual({
      sequenceFlowId: 'flow-to-review',
      processInstanceKey: K.pi1,
      processDefinitionKey: K.repairV2,
      processDefinitionId: 'repair-ticket',
      elementId: 'flow-to-review',
      tenantId: '<default>',
    });
    expect(await api.client.getProcessInstanceCallHierarchy({ processInstanceKey: K.pi2 }, now)).toEqual([
      { processInstanceKey: K.pi1, processDefinitionKey: K.repairV2, processDefinitionName: 'Repair ticket' },
    ]);
    expect(await api.client.getProcessInstanceCallHierarchy({ processInstanceKey: K.pi1 }, now)).toEqual([]);
  });

  it('incidents of an instance include those of the instances it called', async () => {
    const r = await api.client.searchProcessInstanceIncidents({ processInstanceKey: K.pi1 }, now);
    expect(r.items?.map((i) => i.incidentKey)).toEqual([K.pi2Incident]);
    const empty = await api.client.searchProcessInstanceIncidents({ processInstanceKey: K.pi3 }, now);
    expect(empty).toEqual({ items: [], page: { totalItems: 0, hasMoreTotalItems: false } });
  });
});

describe('element statistics (diagram overlays)', () => {
  it('per definition, filtered like a process instance search, and per instance', async () => {
    const all = await api.client.getProcessDefinitionStatistics({ processDefinitionKey: K.repairV2 }, now);
    expect(all.items).toEqual([
      { elementId: 'read-meter', active: 1, canceled: 0, incidents: 0, completed: 0 },
      { elementId: 'review', active: 1, canceled: 0, incidents: 0, completed: 0 },
      { elementId: 'start', active: 0, canceled: 0, incidents: 0, completed: 1 },
    ]);
    const none = await api.client.getProcessDefinitionStatistics(
      { processDefinitionKey: K.repairV2, filter: { state: 'COMPLETED' } },
      now,
    );
    expect(none.items).toEqual([]);
    const pi2 = await api.client.getProcessInstanceStatistics({ processInstanceKey: K.pi2 }, now);
    expect(pi2.items).toEqual([{ elementId: 'read', active: 0, canceled: 0, incidents: 1, completed: 0 }]);
  });
});

describe('element instances', () => {
  it('search by instance and state, get', async () => {
    const r = await api.client.searchElementInstances(
      { filter: { processInstanceKey: key(K.pi1), state: 'ACTIVE', type: 'USER_TASK' } },
      now,
    );
    expect(r.items).toEqual([
      {
        processDefinitionId: 'repair-ticket',
        startDate: '2026-03-02T09:00:00.000Z',
        elementId: 'review',
        elementName: 'Review application',
        type: 'USER_TASK',
        state: 'ACTIVE',
        hasIncident: false,
        tenantId: '<default>',
        elementInstanceKey: K.pi1Task,
        processInstanceKey: K.pi1,
        processDefinitionKey: K.repairV2,
      },
    ]);
    const scoped = await api.client.searchElementInstances(
      { filter: { elementInstanceScopeKey: key(K.pi1) }, sort: [{ field: 'elementId' }] },
      now,
    );
    expect(scoped.items?.map((e) => e.elementId)).toEqual(['read-meter', 'review', 'start']);
    const withIncident = await api.client.getElementInstance({ elementInstanceKey: K.pi2Service }, now);
    expect(withIncident).toMatchObject({
      hasIncident: true,
      incidentKey: K.pi2Incident,
      type: 'SERVICE_TASK',
      elementName: 'read',
    });
  });
});

describe('incidents', () => {
  it('search and get', async () => {
    const r = await api.client.searchIncidents({ filter: { errorType: 'JOB_NO_RETRIES', state: 'ACTIVE' } }, now);
    expect(r.items).toEqual([
      {
        processDefinitionId: 'meter-reading',
        errorType: 'JOB_NO_RETRIES',
        errorMessage: 'meter offline',
        elementId: 'read',
        creationTime: '2026-03-02T09:06:00.000Z',
        state: 'ACTIVE',
        tenantId: '<default>',
        incidentKey: K.pi2Incident,
        processDefinitionKey: K.reading,
        processInstanceKey: K.pi2,
        elementInstanceKey: K.pi2Service,
        jobKey: K.pi2Job,
      },
    ]);
    expect((await api.client.getIncident({ incidentKey: K.pi2Incident }, now)).errorMessage).toBe('meter offline');
  });
});

describe('variables', () => {
  it('search truncates long values unless asked not to; get returns the full value', async () => {
    const r = await api.client.searchVariables(
      { filter: { processInstanceKey: key(K.pi1), name: { $in: ['blob', 'customer'] } }, sort: [{ field: 'name' }] },
      now,
    );
    expect(r.items.map((v) => [v.name, v.isTruncated, v.value.length])).toEqual([
      ['blob', true, 8191],
      ['customer', false, 11],
    ]);
    const full = await api.client.searchVariables(
      { filter: { variableKey: key(K.varBlob) }, truncateValues: false },
      now,
    );
    expect(full.items[0].value).toBe(JSON.stringify(BLOB));
    const got = await api.client.getVariable({ variableKey: K.varCustomer }, now);
    expect(got).toEqual({
      name: 'customer',
      tenantId: '<default>',
      variableKey: K.varCustomer,
      scopeKey: K.pi1,
      processInstanceKey: K.pi1,
      value: '"Zhang San"',
    });
    const byValue = await api.client.searchVariables({ filter: { value: '120' } }, now);
    expect(byValue.items.map((v) => v.variableKey)).toEqual([K.varAmount]);
  });
});

describe('user tasks', () => {
  it('search: open tasks of a candidate group, unassigned, by due date', async () => {
    const r = await api.client.searchUserTasks(
      {
        filter: { state: 'CREATED', candidateGroup: { $in: ['clerk', 'cashier'] }, assignee: { $exists: false } },
        sort: [{ field: 'dueDate', order: 'ASC' }],
        page: { limit: 10 },
      },
      now,
    );
    expect(r.items).toEqual([
      {
        name: 'Review application',
        state: 'CREATED',
        elementId: 'review',
        candidateGroups: ['clerk', 'engineer'],
        candidateUsers: ['bob'],
        processDefinitionId: 'repair-ticket',
        creationDate: '2026-03-02T09:00:01.000Z',
        followUpDate: '2026-03-04T09:00:00.000Z',
        dueDate: '2026-03-05T17:00:00.000Z',
        tenantId: '<default>',
        processDefinitionVersion: 2,
        customHeaders: { module: 'M8' },
        priority: 60,
        userTaskKey: K.pi1UserTask,
        elementInstanceKey: K.pi1Task,
        processName: 'Repair ticket',
        processDefinitionKey: K.repairV2,
        processInstanceKey: K.pi1,
        formKey: K.formReview,
      },
    ]);
  });

  it('search by assignee, variables, dates', async () => {
    const mine = await api.client.searchUserTasks({ filter: { assignee: 'alice' } }, now);
    expect(mine.items.map((t) => [t.userTaskKey, t.state, t.completionDate, t.externalFormReference])).toEqual([
      [K.pi3UserTask, 'COMPLETED', '2026-03-01T10:30:00.000Z', 'https://forms.example/review'],
    ]);
    const byVars = await api.client.searchUserTasks(
      {
        filter: {
          processInstanceVariables: [{ name: 'amount', value: '120' }],
          localVariables: [{ name: 'comment', value: { $like: '*urgent*' } }],
        },
      },
      now,
    );
    expect(byVars.items.map((t) => t.userTaskKey)).toEqual([K.pi1UserTask]);
    const due = await api.client.searchUserTasks(
      { filter: { dueDate: { $lt: '2026-03-06T00:00:00Z' }, priority: { $gte: 50 } } },
      now,
    );
    expect(due.items.map((t) => t.userTaskKey)).toEqual([K.pi1UserTask]);
  });

  it('get, form, and the variables the task sees (inner scope wins)', async () => {
    expect((await api.client.getUserTask({ userTaskKey: K.pi3UserTask }, now)).assignee).toBe('alice');
    const form = await api.client.getUserTaskForm({ userTaskKey: K.pi1UserTask }, now);
    expect(form).toMatchObject({ formId: 'review-form', formKey: K.formReview });
    expect(await api.client.getUserTaskForm({ userTaskKey: K.pi3UserTask }, now)).toEqual({});
    expect((await fetch(`${api.base}/v2/user-tasks/${K.pi3UserTask}/form`)).status).toBe(204);
    const vars = await api.client.searchUserTaskVariables(
      { userTaskKey: K.pi1UserTask, sort: [{ field: 'name' }] },
      now,
    );
    expect(vars.items.map((v) => [v.name, v.value.slice(0, 12), v.scopeKey])).toEqual([
      ['amount', '130', K.pi1Task],
      ['blob', '"xxxxxxxxxxx', K.pi1],
      ['comment', '"urgent"', K.pi1Task],
      ['customer', '"Zhang San"', K.pi1],
    ]);
    const named = await api.client.searchUserTaskVariables(
      { userTaskKey: K.pi1UserTask, filter: { name: 'amount' } },
      now,
    );
    expect(named.items.map((v) => v.value)).toEqual(['130']);
  });
});

describe('jobs and message subscriptions', () => {
  it('search jobs', async () => {
    const r = await api.client.searchJobs({ filter: { state: 'FAILED', type: { $like: 'meter-*' } } }, now);
    expect(r.items).toEqual([
      {
        customHeaders: { channel: 'radio' },
        elementId: 'read',
        elementInstanceKey: K.pi2Service,
        errorMessage: 'meter offline',
        hasFailedWithRetriesLeft: false,
        isDenied: false,
        jobKey: K.pi2Job,
        kind: 'BPMN_ELEMENT',
        listenerEventType: 'UNSPECIFIED',
        processDefinitionId: 'meter-reading',
        processDefinitionKey: K.reading,
        processInstanceKey: K.pi2,
        retries: 0,
        state: 'FAILED',
        tenantId: '<default>',
        type: 'meter-read',
        worker: 'reader-1',
      },
    ]);
    const done = await api.client.searchJobs({ filter: { state: 'COMPLETED' } }, now);
    expect(done.items[0]).toMatchObject({ endTime: '2026-03-02T09:00:01.000Z', deadline: '2026-03-02T09:10:00.000Z' });
  });

  it('search message subscriptions of process instances', async () => {
    const r = await api.client.searchMessageSubscriptions({ filter: { messageName: 'payment-received' } }, now);
    expect(r.items).toEqual([
      {
        messageSubscriptionKey: K.pi1Subscription,
        processDefinitionId: 'repair-ticket',
        processDefinitionKey: K.repairV2,
        processInstanceKey: K.pi1,
        elementId: 'paid',
        elementInstanceKey: K.pi1Task,
        messageSubscriptionState: 'CREATED',
        lastUpdatedDate: '2026-03-02T09:00:01.000Z',
        messageName: 'payment-received',
        correlationKey: 'ACC-1',
        tenantId: '<default>',
      },
    ]);
  });
});

describe('bad input is a 400 problem naming the field; unknown keys are 404', () => {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${api.base}/v2${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, string>,
    };
  };

  it.each([
    ['/user-tasks/search', { filter: { candidateGroups: 'clerk' } }, 'filter.candidateGroups'],
    ['/user-tasks/search', { filter: { priority: { $like: '5*' } } }, 'filter.priority.$like'],
    ['/user-tasks/search', { filter: { dueDate: { $gt: 'tomorrow' } } }, 'filter.dueDate.$gt'],
    ['/user-tasks/search', { page: { limit: 100000 } }, 'page.limit'],
    ['/user-tasks/search', { page: { after: '!!' } }, 'page.after'],
    ['/process-instances/search', { sort: [{ field: 'color' }] }, 'sort[0].field'],
    ['/variables/search', { filter: { variableKey: { $gt: '1' } } }, 'filter.variableKey.$gt'],
    ['/jobs/search', { filter: { retries: 'three' } }, 'filter.retries'],
  ])('POST %s %j', async (path, body, field) => {
    const r = await post(path, body);
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({
      type: 'about:blank',
      title: 'INVALID_ARGUMENT',
      status: 400,
      instance: `/v2${path}`,
    });
    expect(r.body.detail).toContain(field);
  });

  it('a malformed JSON body and a malformed path key are 400, an unknown key is 404', async () => {
    const res = await fetch(`${api.base}/v2/incidents/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"filter":',
    });
    expect(res.status).toBe(400);
    const bad = await fetch(`${api.base}/v2/user-tasks/abc`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('userTaskKey');
    const missing = await fetch(`${api.base}/v2/user-tasks/123`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ title: 'NOT_FOUND', status: 404 });
    await expect(api.client.getProcessInstance({ processInstanceKey: '42' }, now)).rejects.toThrow();
  });
});
