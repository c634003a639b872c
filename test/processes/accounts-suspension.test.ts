import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { customersRouter } from '../../server/api/customers.js';
import { problemDocuments } from '../../server/http/problem.js';
import { eventually } from '../support/records.js';
import { accountRow, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

let h: AccountsHarness;
let now = Date.parse('2030-01-10T02:00:00Z');
const pin = (at: number) => h.t.client.pinClock({ timestamp: at } as never);
// The accounts routes as the app mounts them (session user from test headers), acting on the engine through the
// official client, as the server does for the signed-in user.
let server: http.Server;
let base = '';
beforeAll(async () => {
  h = await startAccountsHarness();
  await pin(now);
  const app = new Koa();
  app.use(problemDocuments());
  app.use(bodyParser());
  app.use(async (ctx, next) => {
    const who = ctx.get('x-test-user');
    if (who) ctx.state.user = { username: who, roles: ctx.get('x-test-roles').split(',') };
    await next();
  });
  const router = customersRouter(h.t.db.knex, { forUser: () => h.t.client });
  app.use(router.routes()).use(router.allowedMethods());
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.t.client.resetClock();
  await h?.stop();
});

async function resume(accountNo: string, roles = 'clerk') {
  const res = await fetch(`${base}/api/customers/accounts/${encodeURIComponent(accountNo)}/resume`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-user': 'clerk.zhao', 'x-test-roles': roles },
    body: '{}',
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function suspend(accountNo: string, resumeDate: string) {
  const pi = (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'account-suspension' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;
  await h.complete(pi, 'application', { resumeDate, reason: '外出务工' });
  expect((await h.task(pi, 'final-reading')).candidateGroups).toEqual(['reader']);
  await h.complete(pi, 'final-reading', { finalReading: 88.5 });
  await eventually(async () => (await accountRow(h, accountNo)).status === 'suspended');
  return pi;
}

const timerOf = async (pi: string) =>
  eventually(() =>
    h.t.db.knex('engine.record').where({ process_instance_key: pi, value_type: 'TIMER', intent: 'CREATED' }).first(),
  );

describe('account-suspension (报停/恢复)', () => {
  test('suspended with the final reading audited; resumed on request before the agreed date', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-06-01');
    await timerOf(pi);
    const audit = await h.audit(pi);
    expect(audit.map((a) => a.action)).toEqual(['suspended']);
    expect(audit[0].after).toMatchObject({ until: '2030-06-01', finalReading: '88.5' });
    expect((await accountRow(h, accountNo)).status).toBe('suspended');

    await h.t.client.publishMessage({ name: 'account-resume-requested', correlationKey: accountNo, timeToLive: 0 });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    expect((await h.audit(pi)).map((a) => a.action)).toEqual(['suspended', 'resumed']);
    const timerDone = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'TIMER', intent: 'TRIGGERED' });
    expect(timerDone).toHaveLength(0);
  });

  test('resumed by the timer at the agreed date (midnight, China time)', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-02-01');
    const timer = await timerOf(pi);
    expect(new Date(Number(timer.value.dueDate)).toISOString()).toBe('2030-01-31T16:00:00.000Z');

    now = Date.parse('2030-01-31T15:00:00Z');
    await pin(now);
    await new Promise((r) => setTimeout(r, 300));
    expect((await accountRow(h, accountNo)).status).toBe('suspended');

    now = Date.parse('2030-01-31T16:00:01Z');
    await pin(now);
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    const resumed = (await h.audit(pi)).find((a) => a.action === 'resumed');
    expect(resumed?.actor).toBe('worker:account-resume');
  });

  test('an account that is not active is not suspended: the refusal ends the process with the reason', async () => {
    const accountNo = await h.openDemo();
    await h.service.closeAccount(accountNo, {}, { actor: 'test' });
    const pi = (
      await h.t.client.createProcessInstance({
        processDefinitionId: 'account-suspension' as never,
        variables: { accountNo },
      })
    ).processInstanceKey;
    await h.complete(pi, 'application', { resumeDate: '2030-06-01' });
    await h.complete(pi, 'final-reading', { finalReading: 1 });
    await h.finished(pi);
    expect((await h.variables(pi)).problem).toContain('is closed');
    expect(await h.audit(pi)).toHaveLength(0);
  });

  test('a refusal the model does not catch is an incident a clerk sees with the reason, not a silent skip', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-06-01');
    await timerOf(pi);
    await h.service.closeAccount(accountNo, {}, { actor: 'test' }); // closed meanwhile (demolition)
    await h.t.client.publishMessage({ name: 'account-resume-requested', correlationKey: accountNo, timeToLive: 0 });
    const incident = await eventually(async () => {
      const found = await h.t.client.searchIncidents(
        { filter: { processInstanceKey: pi as never } } as never,
        { consistency: { waitUpToMs: 0 } } as never,
      );
      return found.items?.[0];
    });
    expect(incident).toMatchObject({ elementId: 'resume', errorType: 'UNHANDLED_ERROR_EVENT' });
    expect(incident.errorMessage).toContain('is closed');
    expect(await h.state(pi)).toBe('ACTIVE');
    expect((await accountRow(h, accountNo)).status).toBe('closed');
  });

  test('early resumption from the account page: the API publishes the message, the process resumes and ends', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-06-01');
    await timerOf(pi);
    const answer = await resume(accountNo);
    expect(answer).toMatchObject({ status: 202, body: { accountNo, processInstanceKey: pi, resumeRequested: true } });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    const resumed = (await h.audit(pi)).filter((a) => a.action === 'resumed');
    expect(resumed.map((a) => a.actor)).toEqual(['worker:account-resume']);
    expect((await h.variables(pi)).resumeRequestedBy).toBe('clerk.zhao');
    const incidents = await h.t.client.searchIncidents(
      { filter: { processInstanceKey: pi as never } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(incidents.items).toHaveLength(0);
    // The agreed date passes: the timer went with the process, nothing resumes a second time.
    now = Date.parse('2030-05-31T16:00:01Z');
    await pin(now);
    await new Promise((r) => setTimeout(r, 300));
    const triggered = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'TIMER', intent: 'TRIGGERED' });
    expect(triggered).toHaveLength(0);
  });

  test('an account suspended without the process resumes at once (no timer waits for it)', async () => {
    const direct = await h.openDemo();
    await h.service.suspendAccount(direct, { until: '2030-06-01' }, { actor: 'test' }); // no process waits for it
    expect(await resume(direct)).toMatchObject({
      status: 200,
      body: { accountNo: direct, processInstanceKey: null, resumed: true },
    });
    expect((await accountRow(h, direct)).status).toBe('active');
  });

  test('resume refused with a problem document naming the field, nothing written: not suspended, bad number, role', async () => {
    const active = await h.openDemo();
    expect(await resume(active)).toMatchObject({ status: 409, body: { code: 'not_suspended', field: 'accountNo' } });
    expect(await resume('bad no!')).toMatchObject({ status: 422, body: { field: 'accountNo' } });
    expect(await resume('NO-SUCH-ACCOUNT')).toMatchObject({ status: 404 });

    const waiting = await h.openDemo();
    const pi = await suspend(waiting, '2031-06-01');
    await timerOf(pi);
    for (const roles of ['auditor', 'reader', 'cashier']) expect((await resume(waiting, roles)).status).toBe(403);
    expect(await h.state(pi)).toBe('ACTIVE');
    expect((await accountRow(h, waiting)).status).toBe('suspended');
    const ids = await Promise.all([active, waiting].map(async (no) => (await accountRow(h, no)).id));
    expect(await h.t.db.knex('cis.audit_log').whereIn('account_id', ids).where({ action: 'resumed' })).toHaveLength(0);
  });
});
