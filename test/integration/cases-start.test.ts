import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// Customer 360 → start an account process: the case shows on the account and its first task in the right inbox.
let t: TestAquaflow;
let clerk: ApiSession;
let accountNo: string;
let customerName: string;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 3 });
  clerk = await t.signIn('clerk');
  const row = await t.db
    .knex('cis.accounts as a')
    .join('cis.customers as c', 'c.id', 'a.customer_id')
    .where('a.status', 'active')
    .orderBy('a.account_no')
    .first('a.account_no', 'c.name');
  [accountNo, customerName] = [row.account_no, row.name];
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const groupTasks = async (session: ApiSession, pi: string) =>
  ((await session.call('GET', '/api/tasks?view=group&limit=200')).body.items as Array<Record<string, string>>).filter(
    (x) => x.processInstanceKey === pi,
  );

test.each([
  ['account-transfer', 'application', 'clerk'],
  ['certificate-reissue', 'application', 'clerk'],
  ['account-suspension', 'application', 'clerk'],
  ['account-demolition', 'final-reading', 'reader'],
])(
  'a clerk starts %s on an account: it is among its cases, its first task %s waits for %s',
  async (processId, first, group) => {
    const started = await clerk.call('POST', '/api/cases', { processId, accountNo: accountNo.toLowerCase() });
    expect(started.status).toBe(201);
    const pi = String(started.body.processInstanceKey);
    const view = await clerk.call('GET', `/api/customers/accounts/${accountNo}`);
    expect(view.body.cases).toEqual(
      expect.arrayContaining([expect.objectContaining({ processInstanceKey: pi, processDefinitionId: processId })]),
    );
    const tasks = await groupTasks(await t.signIn(group), pi);
    expect(tasks.map((x) => x.elementId)).toEqual([first]);
    const opened = await clerk.call('GET', `/api/tasks/${tasks[0].userTaskKey}`);
    expect(opened.body.variables).toMatchObject({ accountNo, customerName });
  },
);

test('account opening starts without an account', async () => {
  const started = await clerk.call('POST', '/api/cases', { processId: 'account-opening' });
  expect(started.status).toBe(201);
  const tasks = await groupTasks(clerk, String(started.body.processInstanceKey));
  expect(tasks.map((x) => x.elementId)).toEqual(['application']);
});

test('refusals: other roles 403, unknown process 400, missing or unknown account 422/404, nothing started', async () => {
  const before = (await clerk.call('GET', `/api/customers/accounts/${accountNo}`)).body.cases as unknown[];
  for (const role of ['auditor', 'cashier', 'reader']) {
    const r = await (await t.signIn(role)).call('POST', '/api/cases', { processId: 'account-transfer', accountNo });
    expect([role, r.status]).toEqual([role, 403]);
  }
  expect((await clerk.call('POST', '/api/cases', { processId: 'repair-anything', accountNo })).status).toBe(400);
  const missing = await clerk.call('POST', '/api/cases', { processId: 'account-transfer' });
  expect(missing.status).toBe(422);
  expect(missing.body.field).toBe('accountNo');
  expect((await clerk.call('POST', '/api/cases', { processId: 'account-transfer', accountNo: 'NOPE-1' })).status).toBe(
    404,
  );
  const after = (await clerk.call('GET', `/api/customers/accounts/${accountNo}`)).body.cases as unknown[];
  expect(after).toHaveLength(before.length);
});
