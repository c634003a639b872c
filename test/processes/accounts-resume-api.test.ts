import { AccountsService } from '../../domain/accounts/service.js';
import accountResume from '../../workers/account-resume.js';
import accountSuspend from '../../workers/account-suspend.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { eventually } from '../support/records.js';
import { residentId } from './accounts-harness.js';

// 提前恢复 as the app runs it: the clerk's session resumes through the official client acting as the clerk, so the
// engine's own authorizations apply (migration 0025 lets clerks publish the message).
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const NOW = { consistency: { waitUpToMs: 0 } } as never;
beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: [accountSuspend, accountResume] });
  for (const u of ['clerk', 'auditor']) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const manager = () => t.client('manager');
async function complete(pi: string, elementId: string, variables: Record<string, unknown>) {
  const task = await eventually(async () => {
    const found = await manager().searchUserTasks(
      { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'CREATED' } } as never,
      NOW,
    );
    return found.items[0] as { userTaskKey: string } | undefined;
  });
  await manager().completeUserTask({ userTaskKey: task.userTaskKey as never, variables });
}
const statusOf = async (accountNo: string) =>
  (await t.db.knex('cis.accounts').where({ account_no: accountNo }).first('status')).status;

test('a clerk resumes a suspended account from the account page: the suspension process resumes it and ends', async () => {
  const accounts = new AccountsService(t.db.knex);
  await accounts.createBook({ code: 'R01', name: '恢复测试' }, { actor: 'test' });
  const { accountNo } = await accounts.openAccount(
    {
      customer: { name: '陈一', idDocNumber: residentId() },
      premise: { district: '城东区', street: '解放路' },
      customerClass: 'residential',
      paymentMethod: 'counter',
      book: { code: 'R01' },
      meter: { serial: `R-${process.pid}` },
    },
    { actor: 'test' },
  );
  const started = await s.clerk.call('POST', '/api/cases', { processId: 'account-suspension', accountNo });
  expect(started.status).toBe(201);
  const pi = String(started.body.processInstanceKey);
  await complete(pi, 'application', { resumeDate: '2031-06-01', reason: '外出' });
  await complete(pi, 'final-reading', { finalReading: 10 });
  await eventually(async () => (await statusOf(accountNo)) === 'suspended');
  await eventually(async () => {
    const subs = await manager().searchMessageSubscriptions(
      { filter: { processInstanceKey: pi as never, messageSubscriptionState: 'CREATED' } } as never,
      NOW,
    );
    return (subs.items ?? []).find((x) => x.messageName === 'account-resume-requested');
  });

  expect((await s.auditor.call('POST', `/api/customers/accounts/${accountNo}/resume`)).status).toBe(403);
  const resumed = await s.clerk.call('POST', `/api/customers/accounts/${accountNo}/resume`);
  expect(resumed).toMatchObject({ status: 202, body: { accountNo, processInstanceKey: pi } });
  await eventually(
    async () => (await manager().getProcessInstance({ processInstanceKey: pi as never }, NOW)).state === 'COMPLETED',
  );
  expect(await statusOf(accountNo)).toBe('active');
  const asked = await manager().searchVariables(
    { filter: { processInstanceKey: pi as never, name: 'resumeRequestedBy' } } as never,
    NOW,
  );
  expect(asked.items.map((v: { value: string }) => JSON.parse(v.value))).toEqual(['clerk']);
  const again = await s.clerk.call('POST', `/api/customers/accounts/${accountNo}/resume`);
  expect(again).toMatchObject({ status: 409, body: { code: 'not_suspended', field: 'accountNo' } });
});
