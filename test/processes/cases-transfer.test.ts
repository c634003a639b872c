import { residentId } from '../integration/accounts-fixtures.js';
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

let h: CasesHarness;
beforeAll(async () => {
  h = await startNetworkHarness();
}, 120000);
afterAll(async () => {
  await h?.stop();
});

let n = 0;
async function openTransfer() {
  const accountNo = await accountAt(h, { book: `TR${++n}`, district: '城中区', street: `解放路${n}`, name: '赵六' });
  const opened = await h.openCase({ caseType: 'transfer-case', accountNo, applicantName: '李四' });
  const child = await calledInstance(h, opened.pi, 'account-transfer');
  return { ...opened, accountNo, child };
}

describe('transfer-case (过户业务): one case around account-transfer', () => {
  test('transferred: the called process records the new owner, the case completes', async () => {
    const { accountNo, pi, caseNo, child } = await openTransfer();
    const before = await accountRow(h, accountNo);
    expect((await h.task(child, 'application')).candidateGroups).toEqual(['clerk']);
    // the called process gets the account and its customer's name, nothing else of the case
    const childVars = await h.variables(child);
    expect(childVars).toMatchObject({ accountNo, customerName: expect.any(String) });
    for (const name of ['caseNo', 'applicantName', 'applicantPhone', 'address', 'caseType'])
      expect(childVars).not.toHaveProperty(name);
    await h.complete(child, 'application', {
      newOwnerName: '李四',
      newOwnerIdDocType: 'resident_id',
      newOwnerIdDocNumber: residentId('19900101', 700 + n),
      newOwnerPhone: '13700001111',
      reason: '房屋买卖',
      transferReading: 0,
    });
    await h.complete(child, 'documents', { documentsComplete: true });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已过户，新用水证已发' });
    await finished(h, pi);
    const after = await accountRow(h, accountNo);
    expect(after.customer_id).not.toBe(before.customer_id);
    const vars = await h.variables(pi);
    expect(vars.transferCertificateNo).toEqual(expect.stringMatching(/^YS/));
    expect(vars.newOwnerName).toBeUndefined(); // only the mapped result comes back to the case
  });

  test('documents incomplete: the called process ends without a transfer, the case is rejected', async () => {
    const { accountNo, pi, caseNo, child } = await openTransfer();
    const before = await accountRow(h, accountNo);
    await h.complete(child, 'application', { newOwnerName: '王五', transferReading: 0 });
    await h.complete(child, 'documents', { documentsComplete: false });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'rejected', outcome: '资料不全，未过户' });
    await finished(h, pi);
    expect((await accountRow(h, accountNo)).customer_id).toBe(before.customer_id);
  });

  test('the model: a stage on every step a customer recognises, overdue timers to case-escalate, every end through case-close', async () => {
    expect(await modelProblems('transfer-case.bpmn')).toEqual([]);
  });
});
