import certificateFee from '../../workers/certificate-fee.js';
import { accountRow, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

// certificate-fee runs in this file's own worker, so one test can lose its first acknowledgement.
let h: AccountsHarness;
let deliveries: string[] = [];
let loseFirstAck = false;
let feeWorker: { stop(): void };
beforeAll(async () => {
  h = await startAccountsHarness({ except: ['certificate-fee'] });
  const config = certificateFee(h.workerCtx);
  feeWorker = h.workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 500,
    jobHandler: async (job) => {
      deliveries.push(String(job.jobKey));
      if (loseFirstAck && deliveries.length === 1) {
        // The domain change commits, then the acknowledgement is lost (a crash, a dropped connection): the
        // engine hands the same job out again once its deadline passes.
        await config.jobHandler({ ...job, complete: () => job.ignore() });
        return job.ignore();
      }
      return config.jobHandler(job);
    },
  });
});
afterAll(async () => {
  feeWorker?.stop();
  await h?.stop();
});

async function reissue(accountNo: string) {
  const pi = (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'certificate-reissue' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;
  await h.complete(pi, 'application', { reason: 'lost' });
  const identity = await h.task(pi, 'identity');
  expect(identity.candidateGroups).toEqual(['clerk']);
  await h.complete(pi, 'identity', { identityConfirmed: true });
  await h.finished(pi);
  return pi;
}

async function fees(accountNo: string) {
  const account = await accountRow(h, accountNo);
  return h.t.db.knex('cis.ledger_entries').where({ account_id: account.id, kind: 'certificate_fee' }).orderBy('id');
}

describe('certificate-reissue (补证)', () => {
  test('identity checked, fee charged on the ledger (amount from the model), new certificate number', async () => {
    deliveries = [];
    const accountNo = await h.openDemo();
    const account = await accountRow(h, accountNo);
    const [old] = await h.t.db.knex('cis.certificates').where({ account_id: account.id, status: 'valid' });
    const pi = await reissue(accountNo);
    const vars = await h.variables(pi);
    expect(vars).toMatchObject({ feeFen: 1000, replacedCertificateNo: old.number });
    expect(vars.certificateNo).not.toBe(old.number);
    expect((await fees(accountNo)).map((f) => Number(f.amount_fen))).toEqual([-1000]);
    expect(await h.service.balance(accountNo)).toBe(-1000);
    const certs = await h.t.db.knex('cis.certificates').where({ account_id: account.id }).orderBy('id');
    expect(certs.map((c) => [c.number, c.status])).toEqual([
      [old.number, 'void'],
      [vars.certificateNo, 'valid'],
    ]);
    const audit = await h.audit(pi);
    expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual([
      'worker:certificate-fee:charged',
      'worker:certificate-reissue:certificate_reissued',
    ]);
    expect(new Set(audit.map((a) => a.task_key)).size).toBe(2);
  });

  test('a fee job delivered twice charges once', async () => {
    deliveries = [];
    loseFirstAck = true;
    const accountNo = await h.openDemo();
    await reissue(accountNo);
    loseFirstAck = false;
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toBe(deliveries[1]);
    expect(await fees(accountNo)).toHaveLength(1);
    expect(await h.service.balance(accountNo)).toBe(-1000);
    const charged = await h.t.db.knex('cis.audit_log').where({ action: 'charged', task_key: deliveries[0] });
    expect(charged).toHaveLength(1);
  });

  test('identity not confirmed: no fee, no new certificate', async () => {
    const accountNo = await h.openDemo();
    const pi = (
      await h.t.client.createProcessInstance({
        processDefinitionId: 'certificate-reissue' as never,
        variables: { accountNo },
      })
    ).processInstanceKey;
    await h.complete(pi, 'application', { reason: 'damaged' });
    await h.complete(pi, 'identity', { identityConfirmed: false });
    await h.finished(pi);
    expect(await fees(accountNo)).toHaveLength(0);
    expect(await h.audit(pi)).toHaveLength(0);
  });
});
