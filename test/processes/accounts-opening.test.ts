import { eventually } from '../support/records.js';
import { accountRow, residentId, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const application = (idDocNumber: string) => ({
  customerName: '张三',
  idDocType: 'resident_id',
  idDocNumber,
  phone: '13912345678',
  district: '城西区',
  street: '人民路',
  community: '阳光花园',
  building: '3栋',
  unit: '2单元',
  room: '502室',
  customerClass: 'residential',
  householdSize: 4,
  paymentMethod: 'counter',
  bookCode: 'T01',
  meterSerial: 'NB-OPEN-0001',
  meterKind: 'ordinary',
});

describe('account-opening', () => {
  test('application (clerk, linked form) → account opened in its book with meter and certificate, audited per task', async () => {
    const pi = (await h.t.client.createProcessInstance({ processDefinitionId: 'account-opening' as never }))
      .processInstanceKey;
    const task = await h.task(pi, 'application');
    expect(task.candidateGroups).toEqual(['clerk']);
    expect(task.formKey).toBeTruthy();
    await h.complete(pi, 'application', application(residentId()));
    await h.finished(pi);

    const vars = await h.variables(pi);
    expect(vars).toMatchObject({ problem: null, certificateNo: expect.stringMatching(/^YS\d{11}$/) });
    const account = await accountRow(h, vars.accountNo as string);
    expect(account).toMatchObject({ status: 'active', customer_class: 'residential', household_size: 4 });
    const meter = await h.t.db.knex('cis.meters').where({ serial: 'NB-OPEN-0001' }).first();
    expect(String(meter.account_id)).toBe(String(account.id));

    const audit = await h.audit(pi);
    expect(audit.map((a) => `${a.action}:${a.entity}`)).toEqual(
      expect.arrayContaining([
        'created:customer',
        'opened:account',
        'installed:meter',
        'certificate_issued:certificate',
      ]),
    );
    const jobKeys = new Set(audit.map((a) => a.task_key));
    expect(jobKeys.size).toBe(1);
    const [jobKey] = jobKeys;
    const job = await h.t.db.knex('engine.job').where({ key: jobKey }).first();
    expect(job).toMatchObject({ type: 'account-open', process_instance_key: pi });
    expect(audit.every((a) => a.actor === 'worker:account-open')).toBe(true);
  });

  test('a malformed ID number comes back to the clerk as a BPMN error naming the field; the corrected form opens the account', async () => {
    const pi = (await h.t.client.createProcessInstance({ processDefinitionId: 'account-opening' as never }))
      .processInstanceKey;
    const malformed = residentId().slice(0, 17) + 'Y';
    await h.complete(pi, 'application', { ...application(malformed), meterSerial: 'NB-OPEN-0002' });

    // Back at the application (a second task), with the problem for the form to show; nothing was written.
    const back = await eventually(async () => {
      const v = await h.variables(pi);
      return v.problem ? v : undefined;
    });
    expect(back.problemField).toBe('customer.idDocNumber');
    expect(back.problem).toContain('customer.idDocNumber');
    const errors = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'JOB', intent: 'ERROR_THROWN' });
    expect(errors).toHaveLength(1);
    expect(await h.t.db.knex('cis.meters').where({ serial: 'NB-OPEN-0002' })).toHaveLength(0);
    expect(await h.audit(pi)).toHaveLength(0);
    expect(await h.state(pi)).toBe('ACTIVE');

    await h.complete(pi, 'application', { ...application(residentId()), meterSerial: 'NB-OPEN-0002' });
    await h.finished(pi);
    const vars = await h.variables(pi);
    expect(vars.problem).toBeNull();
    expect((await accountRow(h, vars.accountNo as string)).status).toBe('active');
  });
});
