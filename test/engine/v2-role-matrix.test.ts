import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { fixtureFile } from '../support/engine.js';
import { createUser } from '../../server/auth/users.js';

/**
 * Every /v2 command route against every role (DESIGN §5), straight to the engine with HTTP Basic as a script or
 * a Camunda tool would call it: a forbidden call is 403 FORBIDDEN and writes nothing (the record log does not
 * grow); an allowed one gets the route's ordinary answer. The web app's /api reaches /v2 as the signed-in user
 * through the official client, so these rules are the ones it meets too.
 */
const PEOPLE = ['admin', 'manager', 'clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'auditor'];
const USERS = [...PEOPLE, 'svc'];
const PASSWORDS: Record<string, string> = { svc: 'service-secret' };

let t: TestAquaflow;
let definitionKey: string;

const auth = (user: string) => 'Basic ' + Buffer.from(`${user}:${PASSWORDS[user] ?? 'demo'}`).toString('base64');

async function call(user: string, method: string, path: string, body?: unknown): Promise<Response> {
  const form = body instanceof FormData;
  return fetch(`${t.app.url}${path}`, {
    method,
    headers: {
      Authorization: auth(user),
      ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
}

async function json(user: string, method: string, path: string, body?: unknown) {
  const res = await call(user, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} as ${user}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
}

const records = async () => Number((await t.db.knex('engine.record').count({ n: '*' }))[0].n);

async function startMatrix(): Promise<string> {
  return (await json('admin', 'POST', '/v2/process-instances', { processDefinitionId: 'matrix' }))
    .processInstanceKey as string;
}

async function jobOf(pi: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const { jobs } = (await json('svc', 'POST', '/v2/jobs/activation', {
      type: 'matrix-work',
      maxJobsToActivate: 10,
      timeout: 600000,
      worker: 'matrix',
      requestTimeout: -1,
    })) as { jobs: Array<{ jobKey: string; processInstanceKey: string }> };
    const mine = jobs.find((j) => j.processInstanceKey === pi);
    // Jobs of other instances stay activated for a while; nobody else needs them.
    if (mine) return mine.jobKey;
  }
  throw new Error(`no job for ${pi}`);
}

async function taskOf(pi: string, assignee?: string): Promise<string> {
  const { items } = (await json('admin', 'POST', '/v2/user-tasks/search', {
    filter: { processInstanceKey: pi },
  })) as { items: Array<{ userTaskKey: string }> };
  const key = items[0].userTaskKey;
  if (assignee) await json('admin', 'POST', `/v2/user-tasks/${key}/assignment`, { assignee });
  return key;
}

/** A document uploaded by an admin (a fresh one per call, as a route may delete it). */
async function documentByAdmin(): Promise<{ documentId: string; contentHash: string }> {
  const form = new FormData();
  form.append('file', new File(['matrix document'], 'matrix.txt', { type: 'text/plain' }));
  return (await json('admin', 'POST', '/v2/documents', form)) as { documentId: string; contentHash: string };
}

const documentUpload = (field: 'file' | 'files') => {
  const form = new FormData();
  form.append(field, new File(['scanned form'], 'form.txt', { type: 'text/plain' }));
  return form;
};

async function incidentOf(pi: string): Promise<string> {
  const job = await jobOf(pi);
  await json('svc', 'POST', `/v2/jobs/${job}/failure`, { retries: 0, errorMessage: 'matrix' });
  const { items } = (await json('admin', 'POST', '/v2/incidents/search', {
    filter: { processInstanceKey: pi },
  })) as { items: Array<{ incidentKey: string }> };
  return items[0].incidentKey;
}

interface Route {
  name: string;
  allowed: string[];
  /** Status of an allowed call. */
  ok: number;
  /** Prepares what the call acts on (a fresh instance, job, task …) and returns the request. */
  request(user: string): Promise<{ method: string; path: string; body?: unknown }>;
}

const deployment = () => {
  const form = new FormData();
  form.append('resources', fixtureFile('matrix.bpmn'));
  return form;
};

const ROUTES: Route[] = [
  {
    name: 'deploy',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({ method: 'POST', path: '/v2/deployments', body: deployment() }),
  },
  {
    name: 'delete a process definition (still running: 409 when allowed)',
    allowed: ['admin', 'manager'],
    ok: 409,
    request: async () => ({ method: 'POST', path: `/v2/resources/${definitionKey}/deletion`, body: {} }),
  },
  {
    name: 'start an instance of a process only managers start',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({ method: 'POST', path: '/v2/process-instances', body: { processDefinitionId: 'matrix' } }),
  },
  {
    name: 'start a repair ticket (call centre, dispatch)',
    allowed: ['admin', 'manager', 'clerk', 'dispatcher'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/process-instances',
      body: { processDefinitionId: 'repair-ticket' },
    }),
  },
  {
    name: 'cancel an instance',
    allowed: ['admin', 'manager'],
    ok: 204,
    request: async () => ({ method: 'POST', path: `/v2/process-instances/${await startMatrix()}/cancellation` }),
  },
  {
    name: 'modify an instance (MODIFY_PROCESS_INSTANCE)',
    allowed: ['admin', 'manager'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/process-instances/${await startMatrix()}/modification`,
      body: { activateInstructions: [{ elementId: 'work' }] },
    }),
  },
  {
    name: 'migrate an instance (UPDATE_PROCESS_INSTANCE; here to its own version)',
    allowed: ['admin', 'manager', 'svc'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/process-instances/${await startMatrix()}/migration`,
      body: {
        targetProcessDefinitionKey: definitionKey,
        mappingInstructions: [
          { sourceElementId: 'work', targetElementId: 'work' },
          { sourceElementId: 'review', targetElementId: 'review' },
        ],
      },
    }),
  },
  {
    name: 'cancel instances in a batch (BATCH, 0031)',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/process-instances/cancellation',
      body: { filter: { processDefinitionId: 'no-such-process' } },
    }),
  },
  {
    name: 'migrate instances in a batch (BATCH, 0031)',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/process-instances/migration',
      body: {
        filter: { processDefinitionId: 'no-such-process' },
        migrationPlan: { targetProcessDefinitionKey: definitionKey, mappingInstructions: [] },
      },
    }),
  },
  {
    name: 'modify instances in a batch (BATCH, 0031)',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/process-instances/modification',
      body: { filter: { processDefinitionId: 'no-such-process' }, moveInstructions: [] },
    }),
  },
  {
    name: 'read a batch operation',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => {
      const { batchOperationKey } = await json('admin', 'POST', '/v2/process-instances/cancellation', {
        filter: { processDefinitionId: 'no-such-process' },
      });
      return { method: 'GET', path: `/v2/batch-operations/${batchOperationKey as string}` };
    },
  },
  {
    name: 'search batch operations',
    allowed: ['admin', 'manager'],
    ok: 200,
    request: async () => ({ method: 'POST', path: '/v2/batch-operations/search', body: {} }),
  },
  {
    name: 'activate jobs',
    allowed: ['svc'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/jobs/activation',
      body: { type: 'matrix-nothing', maxJobsToActivate: 1, timeout: 1000, worker: 'w', requestTimeout: -1 },
    }),
  },
  {
    name: 'complete a job',
    allowed: ['svc'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/jobs/${await jobOf(await startMatrix())}/completion`,
      body: {},
    }),
  },
  {
    name: 'fail a job',
    allowed: ['svc'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/jobs/${await jobOf(await startMatrix())}/failure`,
      body: { retries: 1, errorMessage: 'x' },
    }),
  },
  {
    name: 'throw a BPMN error from a job',
    allowed: ['svc'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/jobs/${await jobOf(await startMatrix())}/error`,
      body: { errorCode: 'nobody-catches' },
    }),
  },
  {
    name: "update a job (an operator's retry)",
    allowed: ['admin', 'manager', 'svc'],
    ok: 204,
    request: async () => ({
      method: 'PATCH',
      path: `/v2/jobs/${await jobOf(await startMatrix())}`,
      body: { changeset: { retries: 3 } },
    }),
  },
  {
    name: 'evaluate a decision (none deployed: 404 when allowed)',
    // managers and admins evaluate decisions, the workers' service identity too (0027)
    allowed: ['admin', 'manager', 'svc'],
    ok: 404,
    request: async () => ({
      method: 'POST',
      path: '/v2/decision-definitions/evaluation',
      body: { decisionDefinitionId: 'matrix-decision', variables: {} },
    }),
  },
  // Documents (Camunda's DOCUMENT resource type, 0028): staff who handle cases and the workers upload and read,
  // auditors only read, only admins delete.
  {
    name: 'upload a document',
    allowed: USERS.filter((u) => u !== 'auditor'),
    ok: 201,
    request: async () => ({ method: 'POST', path: '/v2/documents', body: documentUpload('file') }),
  },
  {
    name: 'upload documents in a batch',
    allowed: USERS.filter((u) => u !== 'auditor'),
    ok: 201,
    request: async () => ({ method: 'POST', path: '/v2/documents/batch', body: documentUpload('files') }),
  },
  {
    name: 'read a document',
    allowed: USERS,
    ok: 200,
    request: async () => {
      const d = await documentByAdmin();
      return { method: 'GET', path: `/v2/documents/${d.documentId}?contentHash=${d.contentHash}` };
    },
  },
  {
    name: 'ask for a document link (a wrong content hash: 400 when allowed)',
    allowed: USERS,
    ok: 400,
    request: async () => {
      const d = await documentByAdmin();
      return { method: 'POST', path: `/v2/documents/${d.documentId}/links?contentHash=wrong`, body: {} };
    },
  },
  {
    name: 'delete a document',
    allowed: ['admin'],
    ok: 204,
    request: async () => ({ method: 'DELETE', path: `/v2/documents/${(await documentByAdmin()).documentId}` }),
  },
  {
    name: 'read the license (unprotected in Camunda: anyone)',
    allowed: USERS,
    ok: 200,
    request: async () => ({ method: 'GET', path: '/v2/license' }),
  },
  {
    name: 'search decision definitions',
    allowed: USERS, // every member of staff reads decisions (0027)
    ok: 200,
    request: async () => ({ method: 'POST', path: '/v2/decision-definitions/search', body: {} }),
  },
  {
    name: 'publish a message',
    // cashier: a payment announces arrears-settled (0020); clerk: an early resume asks its suspension (0025)
    allowed: ['admin', 'manager', 'clerk', 'cashier', 'svc'],
    ok: 200,
    request: async () => ({
      method: 'POST',
      path: '/v2/messages/publication',
      body: { name: 'matrix-message', correlationKey: 'k', timeToLive: 0 },
    }),
  },
  {
    name: 'correlate a message (nothing waits: 404 when allowed)',
    // cashier: a payment announces arrears-settled (0020); clerk: an early resume asks its suspension (0025)
    allowed: ['admin', 'manager', 'clerk', 'cashier', 'svc'],
    ok: 404,
    request: async () => ({
      method: 'POST',
      path: '/v2/messages/correlation',
      body: { name: 'matrix-message', correlationKey: 'k' },
    }),
  },
  {
    name: 'broadcast a signal',
    allowed: ['admin', 'manager', 'svc'],
    ok: 200,
    request: async () => ({ method: 'POST', path: '/v2/signals/broadcast', body: { signalName: 'matrix-signal' } }),
  },
  {
    name: 'resolve an incident',
    allowed: ['admin', 'manager', 'svc'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/incidents/${await incidentOf(await startMatrix())}/resolution`,
      body: {},
    }),
  },
  {
    name: 'set variables',
    allowed: ['admin', 'manager', 'svc'],
    ok: 204,
    request: async () => ({
      method: 'PUT',
      path: `/v2/element-instances/${await startMatrix()}/variables`,
      body: { variables: { x: 1 } },
    }),
  },
  {
    name: 'activate ad-hoc activities (the process instance is no ad-hoc sub-process: 404 when allowed)',
    allowed: ['admin', 'manager', 'svc'],
    ok: 404,
    request: async () => ({
      method: 'POST',
      path: `/v2/element-instances/ad-hoc-activities/${await startMatrix()}/activation`,
      body: { elements: [{ elementId: 'work' }] },
    }),
  },
  {
    name: 'pin the clock',
    allowed: ['admin'],
    ok: 204,
    request: async () => ({ method: 'PUT', path: '/v2/clock', body: { timestamp: Date.now() } }),
  },
  {
    name: 'reset the clock',
    allowed: ['admin'],
    ok: 204,
    request: async () => ({ method: 'POST', path: '/v2/clock/reset' }),
  },
  {
    name: 'claim a task offered to the clerks',
    allowed: ['admin', 'manager', 'clerk'],
    ok: 204,
    request: async (user) => ({
      method: 'POST',
      path: `/v2/user-tasks/${await taskOf(await startMatrix())}/assignment`,
      body: { assignee: user },
    }),
  },
  {
    name: "hand a clerks' task to a colleague (only managers hand tasks out)",
    allowed: ['admin', 'manager'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/user-tasks/${await taskOf(await startMatrix())}/assignment`,
      body: { assignee: 'reader' },
    }),
  },
  {
    name: 'complete an unclaimed task',
    allowed: ['admin', 'manager'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/user-tasks/${await taskOf(await startMatrix())}/completion`,
      body: {},
    }),
  },
  {
    name: "complete the clerk's task",
    allowed: ['admin', 'manager', 'clerk'],
    ok: 204,
    request: async () => ({
      method: 'POST',
      path: `/v2/user-tasks/${await taskOf(await startMatrix(), 'clerk')}/completion`,
      body: {},
    }),
  },
  {
    name: "release the clerk's task",
    allowed: ['admin', 'manager', 'clerk'],
    ok: 204,
    request: async () => ({
      method: 'DELETE',
      path: `/v2/user-tasks/${await taskOf(await startMatrix(), 'clerk')}/assignee`,
    }),
  },
  {
    name: "update the clerk's task",
    allowed: ['admin', 'manager', 'clerk'],
    ok: 204,
    request: async () => ({
      method: 'PATCH',
      path: `/v2/user-tasks/${await taskOf(await startMatrix(), 'clerk')}`,
      body: { changeset: { priority: 80 } },
    }),
  },
];

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  await createUser(t.db.knex, {
    username: 'svc',
    displayName: 'Job workers',
    password: PASSWORDS.svc,
    roles: ['worker'],
  });
  const deployed = await t.client('admin').createDeployment({
    resources: [fixtureFile('matrix.bpmn'), fixtureFile('matrix-other.bpmn')],
  });
  definitionKey = deployed.processes.find((p) => p.processDefinitionId === 'matrix')!.processDefinitionKey;
  await startMatrix(); // keeps the definition in use, so deleting it is refused
});

afterAll(() => t?.stop());

describe.each(ROUTES)('$name', (route) => {
  test.each(USERS)('as %s', async (user) => {
    const { method, path, body } = await route.request(user);
    const before = await records();
    const res = await call(user, method, path, body);
    const text = await res.text();
    if (route.allowed.includes(user)) {
      expect({ status: res.status, text }).toEqual({ status: route.ok, text: expect.any(String) });
    } else {
      expect(res.status).toBe(403);
      expect(JSON.parse(text)).toMatchObject({ status: 403, title: 'FORBIDDEN' });
      expect(await records()).toBe(before);
    }
  });
});

describe('reads', () => {
  test('every role reads instances and tasks; the worker identity reads instances', async () => {
    for (const user of USERS) {
      const res = await call(user, 'POST', '/v2/process-instances/search', {
        filter: { processDefinitionId: 'matrix' },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    }
  });

  test('a role granted one process finds only that process, and a get of another process is 403', async () => {
    const knex = t.db.knex;
    await knex('cis.roles').insert({ name: 'other-reader', description: 'reads matrix-other only' });
    await createUser(knex, { username: 'narrow', displayName: 'Narrow', password: 'demo', roles: ['other-reader'] });
    await knex('engine.authorizations').insert({
      owner_type: 'ROLE',
      owner_id: 'other-reader',
      resource_type: 'PROCESS_DEFINITION',
      resource_id: 'matrix-other',
      permission_types: ['READ_PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE', 'READ_USER_TASK'],
    });
    const mine = (await json('admin', 'POST', '/v2/process-instances', { processDefinitionId: 'matrix-other' }))
      .processInstanceKey as string;
    const theirs = await startMatrix();
    await json('admin', 'PUT', `/v2/element-instances/${theirs}/variables`, { variables: { secret: 'matrix' } });
    await json('admin', 'PUT', `/v2/element-instances/${mine}/variables`, { variables: { visible: 'other' } });

    const ids = async (path: string, field: string) =>
      ((await json('narrow', 'POST', path, {})) as { items: Array<Record<string, unknown>> }).items.map(
        (i) => i[field],
      );
    expect(new Set(await ids('/v2/process-instances/search', 'processDefinitionId'))).toEqual(
      new Set(['matrix-other']),
    );
    expect(new Set(await ids('/v2/process-definitions/search', 'processDefinitionId'))).toEqual(
      new Set(['matrix-other']),
    );
    expect(new Set(await ids('/v2/user-tasks/search', 'processDefinitionId'))).toEqual(new Set(['matrix-other']));
    expect(new Set(await ids('/v2/element-instances/search', 'processDefinitionId'))).toEqual(
      new Set(['matrix-other']),
    );
    const names = await ids('/v2/variables/search', 'name');
    expect(names).toContain('visible');
    expect(names).not.toContain('secret');

    expect((await call('narrow', 'GET', `/v2/process-instances/${mine}`)).status).toBe(200);
    const denied = await call('narrow', 'GET', `/v2/process-instances/${theirs}`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ title: 'FORBIDDEN' });
    const task = await taskOf(theirs);
    expect((await call('narrow', 'GET', `/v2/user-tasks/${task}`)).status).toBe(403);
    expect((await call('narrow', 'POST', `/v2/user-tasks/${task}/variables/search`, {})).status).toBe(403);
    // Without any grant of its own the role starts nothing.
    expect(
      (await call('narrow', 'POST', '/v2/process-instances', { processDefinitionId: 'matrix-other' })).status,
    ).toBe(403);
  });

  test('a deactivated user is refused at once, also through the credentials the engine remembers', async () => {
    await createUser(t.db.knex, { username: 'leaver', displayName: 'Leaver', password: 'demo', roles: ['clerk'] });
    expect((await call('leaver', 'POST', '/v2/process-instances/search', {})).status).toBe(200);
    await t.db.knex('cis.users').where({ username: 'leaver' }).update({ active: false });
    await new Promise((r) => setTimeout(r, 5100)); // the principal cache's lifetime
    expect((await call('leaver', 'POST', '/v2/process-instances/search', {})).status).toBe(401);
  });
});

test("a worker identity takes jobs but cannot sign in to the web app; a person's login never takes jobs", async () => {
  const signIn = await fetch(`${t.app.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'svc', password: PASSWORDS.svc }),
  });
  expect(signIn.status).toBe(403);
  expect(signIn.headers.get('set-cookie')).toBeNull();
  const poll = { type: 'matrix-work', maxJobsToActivate: 1, timeout: 1000, worker: 'w', requestTimeout: -1 };
  const asAdmin = await call('admin', 'POST', '/v2/jobs/activation', poll);
  expect(asAdmin.status).toBe(403);
  expect(((await asAdmin.json()) as { detail: string }).detail).toContain("'admin' is a person's login");
});

describe('robustness of the boundary', () => {
  test('a JSON endpoint refuses another content type (415) and writes nothing', async () => {
    const before = await records();
    const res = await fetch(`${t.app.url}/v2/process-instances`, {
      method: 'POST',
      headers: { Authorization: auth('admin'), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'processDefinitionId=matrix',
    });
    expect(res.status).toBe(415);
    expect(await records()).toBe(before);
  });

  test('a NUL character in a command is a 400 naming the field, and nothing is written', async () => {
    const before = await records();
    const res = await call('admin', 'POST', '/v2/process-instances', {
      processDefinitionId: 'matrix',
      variables: { note: 'a\u0000b' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('variables.note');
    expect(await records()).toBe(before);
  });

  test('a search body over 4 MB is 413 (the app does not parse /v2 bodies for the engine)', async () => {
    const res = await call('admin', 'POST', '/v2/process-instances/search', {
      filter: { processDefinitionId: 'x'.repeat(5 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
  });

  test('an oversize deployment is 413, not 500, and deploys nothing', async () => {
    const form = new FormData();
    form.append('resources', new File([Buffer.alloc(5 * 1024 * 1024, 'a')], 'big.bpmn', { type: 'application/xml' }));
    const before = await records();
    const res = await call('admin', 'POST', '/v2/deployments', form);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413 });
    expect(await records()).toBe(before);
  });

  test('a forbidden deployment is refused before its upload is read', async () => {
    const form = new FormData();
    form.append('resources', new File([Buffer.alloc(5 * 1024 * 1024, 'a')], 'big.bpmn', { type: 'application/xml' }));
    expect((await call('clerk', 'POST', '/v2/deployments', form)).status).toBe(403);
  });

  // Last: it locks this test's address out of /v2 for a minute.
  test('repeated failed authentications are refused with 429, even with the right password afterwards', async () => {
    const wrong = 'Basic ' + Buffer.from('clerk:wrong').toString('base64');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await fetch(`${t.app.url}/v2/topology`, { headers: { Authorization: wrong } })).status);
    // At most 20 failures a minute from one address (the deactivated user's refusal above was one of them).
    const refused = statuses.indexOf(429);
    expect(refused).toBeGreaterThanOrEqual(15);
    expect(refused).toBeLessThanOrEqual(20);
    expect(statuses.slice(0, refused).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(refused).every((s) => s === 429)).toBe(true);
    const right = await call('clerk', 'GET', '/v2/topology');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
