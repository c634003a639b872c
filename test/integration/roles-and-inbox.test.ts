import http from 'node:http';
import { createUser } from '../../server/auth/users.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// The /api of the inbox, modeler, timeline and incidents against the embedded engine through the official client:
// roles (each forbidden call 403), CSRF, the login rate limit, claim races and completion conflicts.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};

async function startRequest(subject: string): Promise<string> {
  const created = await t.client('clerk').createProcessInstance({
    processDefinitionId: 'service-request' as never,
    variables: { customerName: '张三', subject },
  });
  return String(created.processInstanceKey);
}

async function taskOf(pi: string, elementId: string): Promise<Record<string, unknown>> {
  const r = await s.manager.call('GET', '/api/tasks?view=all&process=service-request&limit=200');
  const found = (r.body.items as Array<Record<string, unknown>>).find(
    (x) => x.processInstanceKey === pi && x.elementId === elementId,
  );
  if (!found) throw new Error(`no open ${elementId} task in ${pi}`);
  return found;
}

beforeAll(async () => {
  t = await startTestAquaflow();
  await createUser(t.db.knex, { username: 'clerk2', displayName: '第二柜员', password: 'demo', roles: ['clerk'] });
  for (const u of ['clerk', 'clerk2', 'cashier', 'manager', 'auditor', 'admin']) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

describe('role matrix', () => {
  let task: string;
  let processKey: string;
  let pi: string;
  beforeAll(async () => {
    pi = await startRequest('matrix');
    task = String((await taskOf(pi, 'review')).userTaskKey);
    const defs = await s.manager.call('GET', '/api/processes');
    processKey = String((defs.body.items as Array<Record<string, unknown>>)[0].processDefinitionKey);
  });

  // [method, path, body, roles that may]; every other role gets 403.
  const matrix = (): Array<[string, string, unknown, string[]]> => [
    ['GET', '/api/tasks?view=all', undefined, ['manager', 'admin', 'auditor']],
    ['POST', `/api/tasks/${task}/assign`, { assignee: 'clerk2' }, ['manager', 'admin']],
    ['POST', `/api/tasks/${task}/claim`, undefined, ['clerk', 'manager', 'admin', 'clerk2']],
    ['POST', `/api/tasks/${task}/complete`, { variables: {} }, ['clerk', 'clerk2', 'cashier', 'manager', 'admin']],
    ['GET', '/api/processes', undefined, ['manager', 'admin', 'auditor']],
    ['GET', `/api/processes/${processKey}/xml`, undefined, ['manager', 'admin', 'auditor']],
    ['GET', `/api/processes/${processKey}/forms`, undefined, ['manager', 'admin', 'auditor']],
    ['POST', '/api/processes/deployments', { name: 'x.bpmn', xml: '<x/>' }, ['manager', 'admin']],
    ['GET', '/api/instances', undefined, ['manager', 'admin', 'auditor']],
    ['GET', `/api/instances/${pi}/timeline.pdf`, undefined, ['manager', 'admin', 'auditor']],
    ['GET', '/api/incidents', undefined, ['manager', 'admin', 'auditor']],
    ['POST', '/api/incidents/1/retry', undefined, ['manager', 'admin']],
    ['POST', '/api/cases', { processId: 'account-opening' }, ['clerk', 'manager', 'admin']],
    // Billing (its own file, test/integration/billing-api.test.ts, runs the full matrix over every role).
    ['POST', '/api/billing/tariffs', {}, ['manager', 'admin']],
    ['GET', '/api/billing/runs', undefined, ['clerk', 'cashier', 'manager', 'admin', 'auditor']],
    ['POST', '/api/billing/runs', { period: 'x' }, ['manager', 'admin']],
    ['POST', '/api/billing/bills/1/rebill', {}, ['clerk', 'manager', 'admin']],
    // Repair (test/integration/repair-api.test.ts runs the full matrix over every role, crews and dispatchers included).
    ['POST', '/api/repair/tickets', { category: 'x' }, ['clerk', 'manager', 'admin']],
    ['GET', '/api/repair/tickets', undefined, ['clerk', 'manager', 'admin', 'auditor']],
    ['GET', '/api/repair/statistics', undefined, ['manager', 'admin', 'auditor']],
    ['POST', '/api/repair/work-orders/1/complete', {}, ['manager', 'admin']],
    // Metering (test/integration/metering-app.test.ts runs the full matrix over every role, readers included).
    ['POST', '/api/metering/readings', {}, ['clerk', 'manager', 'admin']],
    ['POST', '/api/metering/readings/1/confirm', {}, ['clerk', 'manager', 'admin']],
    ['GET', '/api/metering/rules', undefined, ['clerk', 'manager', 'admin', 'auditor']],
    ['PUT', '/api/metering/rules/x', {}, ['manager', 'admin']],
  ];

  test('each forbidden call gets 403; auditors change nothing', async () => {
    const refused: string[] = [];
    for (const [method, path, body, allowed] of matrix()) {
      for (const role of ['clerk', 'cashier', 'manager', 'auditor', 'admin']) {
        if (allowed.includes(role)) continue;
        const r = await s[role].call(method, path, body);
        expect([role, method, path, r.status]).toEqual([role, method, path, 403]);
        refused.push(`${role} ${method} ${path}`);
      }
    }
    expect(refused.length).toBeGreaterThan(15);
    // An auditor is refused even on routes open to every other role (customers, the session list aside).
    const r = await s.auditor.call('POST', '/api/customers/books', { code: 'B9', name: 'x' });
    expect(r.status).toBe(403);
    // The task is still untouched.
    expect((await s.manager.call('GET', `/api/tasks/${task}`)).body.task).toMatchObject({ state: 'CREATED' });
  });

  test('without a session: 401', async () => {
    const r = await fetch(`${t.app.url}/api/tasks`);
    expect(r.status).toBe(401);
  });
});

describe('CSRF and sign-in', () => {
  test('a write without the custom header or from another origin is refused', async () => {
    const noHeader = await fetch(`${t.app.url}/api/tasks/1/claim`, {
      method: 'POST',
      headers: { Cookie: s.clerk.cookie },
    });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as { detail: string }).detail).toContain('CSRF');
    // fetch() will not send a forged Origin; a plain HTTP request does, as a browser on another site would.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${t.app.url}/api/tasks/1/claim`, {
        method: 'POST',
        headers: { Cookie: s.clerk.cookie, 'X-Aquaflow-Request': '1', Origin: 'https://evil.example' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  test('the session cookie is SameSite=strict and httpOnly', async () => {
    const res = await fetch(`${t.app.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'cashier', password: 'demo' }),
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/samesite=strict/i);
    expect(cookie).toMatch(/httponly/i);
  });

  test('after five wrong passwords the sixth attempt is refused with 429, even with the right password', async () => {
    const attempt = (password: string) =>
      fetch(`${t.app.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'reader', password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status).toBe(401);
    const blocked = await attempt('demo');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('signing out ends the session', async () => {
    const session = await t.signIn('engineer');
    expect((await session.call('DELETE', '/api/session')).status).toBe(204);
    expect((await session.call('GET', '/api/tasks')).status).toBe(401);
  });
});

describe('inbox', () => {
  test('two clerks claim the same task at once: exactly one wins, the other gets 409 naming the winner', async () => {
    const pi = await startRequest('race');
    const key = String((await taskOf(pi, 'review')).userTaskKey);
    const [a, b] = await Promise.all([
      s.clerk.call('POST', `/api/tasks/${key}/claim`),
      s.clerk2.call('POST', `/api/tasks/${key}/claim`),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 204 ? 'clerk' : 'clerk2';
    expect(loser.body.detail).toBe(`already claimed by ${winner}`);
    const mine = await s[winner].call('GET', '/api/tasks?view=mine');
    expect((mine.body.items as Array<{ userTaskKey: string }>).map((x) => x.userTaskKey)).toContain(key);
  });

  test('views, counts and filters', async () => {
    const pi = await startRequest('views');
    const key = String((await taskOf(pi, 'review')).userTaskKey);
    const group = await s.clerk.call('GET', '/api/tasks?view=group&sort=priority&order=DESC');
    expect(group.status).toBe(200);
    expect((group.body.items as Array<{ userTaskKey: string }>).map((x) => x.userTaskKey)).toContain(key);
    expect(group.body.counts).toEqual({ mine: expect.any(Number), group: expect.any(Number) });
    expect((group.body.counts as { group: number }).group).toBeGreaterThanOrEqual(1);
    // A cashier's groups do not include clerk tasks.
    const cashier = await s.cashier.call('GET', '/api/tasks?view=group');
    expect((cashier.body.items as unknown[]).length).toBe(0);
    const overdue = await s.clerk.call('GET', '/api/tasks?view=group&due=overdue');
    expect(overdue.body.items).toEqual([]);
    const high = await s.clerk.call('GET', '/api/tasks?view=group&minPriority=61');
    expect(high.body.items).toEqual([]);
    const bad = await s.clerk.call('GET', '/api/tasks?view=everything');
    expect(bad.status).toBe(400);
  });

  test('claim, read the form with prefill, complete; the process moves on; completing again is a clear 409', async () => {
    const pi = await startRequest('<script>alert(1)</script>');
    const key = String((await taskOf(pi, 'review')).userTaskKey);
    // A cashier is not in the task's candidate groups.
    expect((await s.cashier.call('POST', `/api/tasks/${key}/claim`)).status).toBe(403);
    // Completing without claiming first is refused.
    expect((await s.clerk.call('POST', `/api/tasks/${key}/complete`, { variables: {} })).status).toBe(409);
    expect((await s.clerk.call('POST', `/api/tasks/${key}/claim`)).status).toBe(204);
    const opened = await s.clerk.call('GET', `/api/tasks/${key}`);
    expect(opened.body.form).toMatchObject({ id: 'service-request-review' });
    expect(opened.body.variables).toMatchObject({ customerName: '张三', subject: '<script>alert(1)</script>' });
    const done = await s.clerk.call('POST', `/api/tasks/${key}/complete`, {
      variables: { reviewNote: 'ok', decision: 'approve' },
    });
    expect(done.status).toBe(204);
    await taskOf(pi, 'confirm'); // the next step is open
    const again = await s.clerk.call('POST', `/api/tasks/${key}/complete`, { variables: {} });
    expect([404, 409]).toContain(again.status);
    expect(String(again.body.detail)).toMatch(/completed/);
  });

  test('unclaim by the assignee; assign by a manager', async () => {
    const pi = await startRequest('assign');
    const key = String((await taskOf(pi, 'review')).userTaskKey);
    expect((await s.clerk.call('POST', `/api/tasks/${key}/claim`)).status).toBe(204);
    expect((await s.clerk2.call('POST', `/api/tasks/${key}/unclaim`)).status).toBe(403);
    expect((await s.clerk.call('POST', `/api/tasks/${key}/unclaim`)).status).toBe(204);
    expect((await s.manager.call('POST', `/api/tasks/${key}/assign`, { assignee: 'clerk2' })).status).toBe(204);
    expect((await s.manager.call('GET', `/api/tasks/${key}`)).body.task).toMatchObject({ assignee: 'clerk2' });
  });
});

describe('timeline, deployment, incidents', () => {
  test('an auditor reads a finished instance with every step and its actor', async () => {
    const pi = await startRequest('timeline');
    for (const step of ['review', 'confirm']) {
      const key = String((await taskOf(pi, step)).userTaskKey);
      await s.clerk.call('POST', `/api/tasks/${key}/claim`);
      const r = await s.clerk.call('POST', `/api/tasks/${key}/complete`, {
        variables: step === 'review' ? { reviewNote: 'fine', decision: 'approve' } : {},
      });
      expect(r.status).toBe(204);
    }
    const list = await s.auditor.call('GET', '/api/instances?process=service-request&state=COMPLETED');
    expect((list.body.items as Array<{ processInstanceKey: string }>).map((x) => x.processInstanceKey)).toContain(pi);
    const page = await s.auditor.call('GET', `/api/instances/${pi}`);
    expect(page.status).toBe(200);
    expect(String(page.body.xml)).toContain('service-request');
    const tl = page.body.timeline as {
      outcome: string;
      elements: Array<{ elementId: string; leftBy: string | null }>;
      entries: Array<Record<string, unknown>>;
    };
    expect(tl.outcome).toBe('COMPLETED');
    const review = tl.elements.find((e) => e.elementId === 'review')!;
    expect(review.leftBy).toBe('clerk');
    const noteSet = tl.entries.find((e) => e.kind === 'variable-set' && e.name === 'reviewNote');
    expect(noteSet).toMatchObject({ actor: 'clerk', newValue: 'fine' });
  });

  test('a rejected deployment answers with the engine problem naming the element; a good one is version 2', async () => {
    const defs = await s.manager.call('GET', '/api/processes');
    const v1 = (defs.body.items as Array<Record<string, unknown>>).find(
      (d) => d.processDefinitionId === 'service-request',
    )!;
    const xml = String(
      await fetch(`${t.app.url}/api/processes/${v1.processDefinitionKey}/xml`, {
        headers: { Cookie: s.manager.cookie },
      }).then((r) => r.text()),
    );
    const broken = xml
      .replace('<zeebe:userTask />', '')
      .replace('<zeebe:formDefinition formId="service-request-review" />', '<zeebe:taskDefinition />');
    const rejected = await s.manager.call('POST', '/api/processes/deployments', {
      name: 'service-request.bpmn',
      xml: broken
        .replace('<bpmn:userTask id="review"', '<bpmn:serviceTask id="review"')
        .replace(
          '</bpmn:userTask>\n    <bpmn:sequenceFlow id="f2"',
          '</bpmn:serviceTask>\n    <bpmn:sequenceFlow id="f2"',
        ),
    });
    expect(rejected.status).toBe(400);
    const lint = await s.manager.call('POST', '/api/processes/lint', { xml: broken });
    expect(lint.status).toBe(200);
    expect(lint.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'review' })]));
    expect(String(rejected.body.detail)).toContain('review');
    const changed = xml.replace('回访确认 Confirm with customer', '电话回访 Call back');
    const ok = await s.manager.call('POST', '/api/processes/deployments', {
      name: 'service-request.bpmn',
      xml: changed,
    });
    expect(ok.status).toBe(201);
    expect((ok.body.processes as Array<{ processDefinitionVersion: number }>)[0].processDefinitionVersion).toBe(2);
  });

  test('incidents list is readable by auditors; retrying an unknown incident is a clear 404', async () => {
    expect((await s.auditor.call('GET', '/api/incidents')).status).toBe(200);
    const r = await s.manager.call('POST', '/api/incidents/2251799813685000/retry');
    expect(r.status).toBe(404);
  });
});
