import type { CasesHarness } from './cases-harness.js';
import {
  accountAt,
  accountRow,
  calledInstance,
  closedCase,
  finished,
  startNetworkHarness,
  modelProblems,
} from './cases-network-fixtures.js';
import { eventually } from '../support/records.js';

let h: CasesHarness;
beforeAll(async () => {
  h = await startNetworkHarness();
}, 120000);
afterAll(async () => {
  await h?.stop();
});

let n = 0;
const account = () => accountAt(h, { book: `SU${++n}`, district: '城中区', street: `胜利路${n}` });

describe('suspension-case (报停业务): one case around account-suspension', () => {
  test('suspended, then resumed on request: the case stays open while suspended and completes with the resumption', async () => {
    const accountNo = await account();
    const { pi, caseNo } = await h.openCase({ caseType: 'suspension-case', accountNo });
    const child = await calledInstance(h, pi, 'account-suspension');
    await h.task(child, 'application');
    // the called process gets the account and its customer's name, nothing else of the case
    const childVars = await h.variables(child);
    expect(childVars).toMatchObject({ accountNo });
    for (const name of ['caseNo', 'applicantName', 'applicantPhone', 'address', 'caseType'])
      expect(childVars).not.toHaveProperty(name);
    await h.complete(child, 'application', { resumeDate: '2030-06-01', reason: '外出务工' });
    await h.complete(child, 'final-reading', { finalReading: 12.5 });
    await eventually(async () => (await accountRow(h, accountNo)).status === 'suspended');
    expect((await h.knex('cis.cases').where({ case_no: caseNo }).first()).status).toBe('open');
    await eventually(async () => {
      const subs = await h.t.client.searchMessageSubscriptions(
        { filter: { processInstanceKey: child as never, messageSubscriptionState: 'CREATED' } } as never,
        { consistency: { waitUpToMs: 0 } } as never,
      );
      return (subs.items ?? []).some((x) => x.messageName === 'account-resume-requested');
    });

    await h.t.client.publishMessage({ name: 'account-resume-requested', correlationKey: accountNo, timeToLive: 0 });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已报停，现已恢复用水' });
    await finished(h, pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    expect((await h.variables(pi)).suspensionStatus).toEqual(expect.any(String));
  });

  test('an account that is not active is not suspended: the case is rejected with the reason', async () => {
    const accountNo = await account();
    await h.knex('cis.accounts').where({ account_no: accountNo }).update({ status: 'suspended' });
    const { pi, caseNo } = await h.openCase({ caseType: 'suspension-case', accountNo });
    const child = await calledInstance(h, pi, 'account-suspension');
    await h.complete(child, 'application', { resumeDate: '2030-06-01' });
    await h.complete(child, 'final-reading', { finalReading: 1 });
    const closed = await closedCase(h, caseNo);
    expect(closed.status).toBe('rejected');
    expect(closed.outcome).toBe(`未报停：account ${accountNo} is suspended`);
    await finished(h, pi);
  });

  test('the model: a stage on every step a customer recognises, overdue timers to case-escalate, every end through case-close', async () => {
    expect(await modelProblems('suspension-case.bpmn')).toEqual([]);
  });
});
