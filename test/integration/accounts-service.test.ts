import { freshDatabase, type TestDatabase } from '../support/db.js';
import { AccountsService, AccountsError } from '../../domain/accounts/service.js';
import { clerk, openInput, residentId } from './accounts-fixtures.js';

let db: TestDatabase;
let svc: AccountsService;

beforeAll(async () => {
  db = await freshDatabase();
  svc = new AccountsService(db.knex);
  await svc.createBook({ code: 'B001', name: '和平街道一本', reader: 'reader.wang' }, clerk);
  await svc.createBook({ code: 'B002', name: '和平街道二本' }, clerk);
});
afterAll(async () => {
  await db.drop();
});

const TABLES = [
  'customers',
  'customer_phones',
  'premises',
  'accounts',
  'meters',
  'certificates',
  'meter_replacements',
  'audit_log',
  'meter_books',
];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db.knex(`cis.${t}`).count('* as n').first())!.n);
  return out;
}

async function refusal(p: Promise<unknown>): Promise<AccountsError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccountsError);
  return err as AccountsError;
}

let seqNo = 100;
const fresh = (over: Record<string, unknown> = {}) => {
  seqNo++;
  return openInput({
    customer: {
      kind: 'person',
      idDocType: 'resident_id',
      idDocNumber: residentId('19900101', seqNo),
      name: '李四',
      phones: [`1390000${String(seqNo).padStart(4, '0')}`],
    },
    meter: { serial: `SZ-${seqNo}` },
    ...over,
  });
};

test('opening an account writes customer, premise, account at the end of its book, meter and certificate, each audited', async () => {
  const opened = await svc.openAccount(openInput(), clerk);
  expect(opened).toMatchObject({ bookCode: 'B001', bookSeq: 10, meterSerial: 'SZ-0001' });
  expect(opened.accountNo).toMatch(/^\d{8}$/);
  expect(opened.certificateNo).toMatch(/^YS\d{4}\d{7}$/);

  const customer = await db.knex('cis.customers').where({ id: opened.customerId }).first();
  expect(customer).toMatchObject({ name: '张三', name_pinyin: 'zhangsan', name_initials: 'zs' });
  const account = await db.knex('cis.accounts').where({ id: opened.accountId }).first();
  expect(account).toMatchObject({
    commodity: 'water',
    status: 'active',
    customer_class: 'residential',
    household_size: 3,
  });

  const audit = await db
    .knex('cis.audit_log')
    .whereIn('entity', ['customer', 'premise', 'account', 'meter', 'certificate'])
    .orderBy('id');
  expect(audit.map((r) => `${r.entity}:${r.action}`)).toEqual([
    'customer:created',
    'premise:created',
    'account:opened',
    'meter:installed',
    'certificate:certificate_issued',
  ]);
  for (const row of audit)
    expect(row).toMatchObject({
      actor: 'clerk.li',
      process_instance_key: clerk.processInstanceKey,
      task_key: clerk.taskKey,
    });
  expect(audit[2].after).toMatchObject({ account_no: opened.accountNo, book_seq: 10 });
});

test('the commodity is data: an account can be opened for gas', async () => {
  const opened = await svc.openAccount(fresh({ commodity: 'gas' }), clerk);
  expect((await db.knex('cis.accounts').where({ id: opened.accountId }).first()).commodity).toBe('gas');
});

test('accounts slot in between neighbours in book order; only a full gap renumbers, in one statement', async () => {
  const a = await svc.openAccount(fresh({ book: { code: 'B002', sequence: 100 } }), clerk);
  const c = await svc.openAccount(fresh({ book: { code: 'B002', sequence: 102 } }), clerk);
  const b = await svc.openAccount(fresh({ book: { code: 'B002', afterAccountNo: a.accountNo } }), clerk);
  expect(b.bookSeq).toBe(101);
  const d = await svc.openAccount(fresh({ book: { code: 'B002', afterAccountNo: a.accountNo } }), clerk);
  expect(d.bookSeq).toBe(105);
  const end = await svc.openAccount(fresh({ book: { code: 'B002' } }), clerk);
  const order = await db
    .knex('cis.accounts')
    .where({ book_id: db.knex('cis.meter_books').where({ code: 'B002' }).select('id') })
    .orderBy('book_seq')
    .pluck('account_no');
  expect(order).toEqual([a.accountNo, d.accountNo, b.accountNo, c.accountNo, end.accountNo]);
  const renumbered = await db.knex('cis.audit_log').where({ action: 'book_renumbered' });
  expect(renumbered).toHaveLength(1);
  expect(renumbered[0].after).toMatchObject({ after: 100, shiftedBy: 10, accounts: 2 });
});

test('a duplicate account number is a 409 naming accountNo and writes nothing', async () => {
  const first = await svc.openAccount(fresh({ accountNo: 'A-900001' }), clerk);
  const before = await counts();
  const err = await refusal(svc.openAccount(fresh({ accountNo: first.accountNo }), clerk));
  expect(err).toMatchObject({ status: 409, field: 'accountNo' });
  expect(await counts()).toEqual(before);
});

test('a taken book sequence is a 409 naming book.sequence and writes nothing', async () => {
  const before = await counts();
  const err = await refusal(svc.openAccount(fresh({ book: { code: 'B002', sequence: 100 } }), clerk));
  expect(err).toMatchObject({ status: 409, field: 'book.sequence' });
  expect(await counts()).toEqual(before);
});

test('a failure after the first rows are written (duplicate meter serial) leaves nothing behind', async () => {
  const before = await counts();
  const err = await refusal(svc.openAccount(fresh({ meter: { serial: 'SZ-0001' } }), clerk));
  expect(err).toMatchObject({ status: 409, field: 'meter.serial' });
  expect(await counts()).toEqual(before);
});

test('malformed ID numbers and phones are 422 naming the field; unknown book and empty actor too', async () => {
  const before = await counts();
  const badId = fresh();
  (badId.customer as { idDocNumber: string }).idDocNumber = '110105199001010011';
  expect(await refusal(svc.openAccount(badId, clerk))).toMatchObject({ status: 422, field: 'customer.idDocNumber' });
  const badPhone = fresh();
  (badPhone.customer as { phones: string[] }).phones = ['13800000000', '12345'];
  expect(await refusal(svc.openAccount(badPhone, clerk))).toMatchObject({ status: 422, field: 'customer.phones.1' });
  expect(await refusal(svc.openAccount(fresh({ book: { code: 'NOPE' } }), clerk))).toMatchObject({
    status: 422,
    field: 'book.code',
  });
  expect(await refusal(svc.openAccount(fresh({ customerClass: 'vip' }), clerk))).toMatchObject({
    status: 422,
    field: 'customerClass',
  });
  expect(await refusal(svc.openAccount(fresh(), { actor: '' }))).toMatchObject({ status: 422, field: 'context.actor' });
  expect(await counts()).toEqual(before);
});

test('transfer waits for arrears to be settled, then moves the account to the new owner with a new certificate', async () => {
  const opened = await svc.openAccount(fresh(), clerk);
  await db
    .knex('cis.ledger_entries')
    .insert({ account_id: opened.accountId, kind: 'bill', amount_fen: -4250, ref: 'bill-1' });
  const newOwner = { customer: { idDocNumber: residentId('19850505', 7), name: '王五', phones: ['0571-88881234'] } };
  const before = await counts();
  expect(await refusal(svc.transferOwnership(opened.accountNo, newOwner, clerk))).toMatchObject({
    status: 409,
    code: 'arrears',
  });
  expect(await counts()).toEqual(before);

  await db
    .knex('cis.ledger_entries')
    .insert({ account_id: opened.accountId, kind: 'payment', amount_fen: 4250, ref: 'pay-1' });
  const moved = await svc.transferOwnership(opened.accountNo, newOwner, clerk);
  expect(moved.certificateNo).not.toBe(opened.certificateNo);
  const view = await svc.get360(opened.accountNo);
  expect(view.customer).toMatchObject({ name: '王五', phones: ['0571-88881234'] });
  expect(view.certificates.map((c) => [c.number, c.status, c.replaces])).toEqual([
    [moved.certificateNo, 'valid', opened.certificateNo],
    [opened.certificateNo, 'void', null],
  ]);
  expect(view.history.map((h) => h.action)).toContain('transferred');
});

test('certificate reissue voids the old number and keeps the history', async () => {
  const opened = await svc.openAccount(fresh(), clerk);
  const r1 = await svc.reissueCertificate(opened.accountNo, { reason: 'lost' }, clerk);
  const r2 = await svc.reissueCertificate(opened.accountNo, { reason: 'damaged' }, clerk);
  expect(r1.replaces).toBe(opened.certificateNo);
  expect(r2.replaces).toBe(r1.certificateNo);
  const certs = await db.knex('cis.certificates').where({ account_id: opened.accountId }).orderBy('id');
  expect(certs.map((c) => c.status)).toEqual(['void', 'void', 'valid']);
});

test('suspend and resume follow the account state; closing twice is a 409', async () => {
  const opened = await svc.openAccount(fresh(), clerk);
  expect(await refusal(svc.resumeAccount(opened.accountNo, clerk))).toMatchObject({ status: 409 });
  await svc.suspendAccount(opened.accountNo, { until: '2030-01-01' }, clerk);
  expect((await svc.get360(opened.accountNo)).account).toMatchObject({
    status: 'suspended',
    suspendedUntil: '2030-01-01',
  });
  expect(await refusal(svc.suspendAccount(opened.accountNo, {}, clerk))).toMatchObject({ status: 409 });
  await svc.resumeAccount(opened.accountNo, clerk);

  await svc.closeAccount(opened.accountNo, { reason: 'demolition', finalReading: '123.456' }, clerk);
  const before = await counts();
  expect(await refusal(svc.closeAccount(opened.accountNo, {}, clerk))).toMatchObject({
    status: 409,
    code: 'already_closed',
  });
  expect(await counts()).toEqual(before);
  const view = await svc.get360(opened.accountNo);
  expect(view.account.status).toBe('closed');
  expect(view.meters).toEqual([expect.objectContaining({ status: 'removed' })]);
  expect(view.meterReplacements).toEqual([expect.objectContaining({ finalReading: '123.456', newSerial: null })]);
  expect(view.certificates.every((c) => c.status === 'void')).toBe(true);
  expect(view.history.map((h) => h.action).slice(0, 5)).toEqual([
    'closed',
    'removed',
    'resumed',
    'suspended',
    'certificate_issued',
  ]);
});

test('a meter replacement records the final and initial readings', async () => {
  const opened = await svc.openAccount(fresh(), clerk);
  const r = await svc.replaceMeter(
    opened.accountNo,
    { meter: { serial: 'NEW-1', kind: 'remote', initialReading: 2 }, finalReading: '88.5' },
    clerk,
  );
  expect(r.newSerial).toBe('NEW-1');
  const view = await svc.get360(opened.accountNo);
  expect(view.meters.map((m) => [m.serial, m.status])).toEqual([
    [r.oldSerial, 'removed'],
    ['NEW-1', 'in_service'],
  ]);
  expect(view.meterReplacements).toEqual([
    expect.objectContaining({
      oldSerial: r.oldSerial,
      newSerial: 'NEW-1',
      finalReading: '88.500',
      initialReading: '2.000',
    }),
  ]);
});

test('the 360 view carries account, customer, premise, meters, balance from the ledger, certificates and audit history', async () => {
  const opened = await svc.openAccount(fresh({ meter: { serial: 'SZ-360', installDate: '2024-03-01' } }), clerk);
  await db.knex('cis.ledger_entries').insert([
    { account_id: opened.accountId, kind: 'bill', amount_fen: -3000, ref: 'b1' },
    { account_id: opened.accountId, kind: 'payment', amount_fen: 5000, ref: 'p1' },
  ]);
  const view = await svc.get360(opened.accountNo);
  expect(view.account).toMatchObject({
    accountNo: opened.accountNo,
    status: 'active',
    book: { code: 'B001', sequence: opened.bookSeq },
  });
  expect(view.customer.idDocNumberMasked).toMatch(/^110105\*{8}\d{3}[\dX]$/);
  expect(view.premise.fullAddress).toBe('东城区和平街道幸福小区3栋2单元501室');
  expect(view.meters).toEqual([expect.objectContaining({ serial: expect.any(String), installDate: '2024-03-01' })]);
  expect(view.balanceFen).toBe(2000);
  expect(view.certificates).toHaveLength(1);
  expect(view.history.map((h) => h.action).sort()).toEqual(['certificate_issued', 'installed', 'opened']);
  expect(view.readings).toEqual([]); // recent meter readings (domain/metering), none yet
  expect(await refusal(svc.get360('NOSUCH'))).toMatchObject({ status: 404 });
});

test('the audit log and the ledger refuse UPDATE, DELETE and TRUNCATE in the database', async () => {
  await expect(db.knex('cis.audit_log').update({ actor: 'mallory' })).rejects.toThrow(/append-only/);
  await expect(db.knex('cis.audit_log').del()).rejects.toThrow(/append-only/);
  await expect(db.knex.raw('TRUNCATE cis.audit_log')).rejects.toThrow(/append-only/);
  await expect(db.knex('cis.ledger_entries').update({ amount_fen: 0 })).rejects.toThrow(/append-only/);
  await expect(db.knex('cis.ledger_entries').del()).rejects.toThrow(/append-only/);
});

test('with an idempotency key (a job key) a repeated or concurrent delivery acts once and returns the first result', async () => {
  const input = fresh();
  const ctx = { ...clerk, idempotencyKey: 'job-4503599627370497' };
  const before = await counts();
  const [a, b] = await Promise.all([svc.openAccount(input, ctx), svc.openAccount(input, ctx)]);
  const c = await svc.openAccount(input, ctx);
  expect(b).toEqual(a);
  expect(c).toEqual(a);
  const after = await counts();
  expect(after.accounts - before.accounts).toBe(1);
  expect(after.certificates - before.certificates).toBe(1);
  expect(await refusal(svc.closeAccount(a.accountNo, {}, ctx))).toMatchObject({
    status: 409,
    field: 'context.idempotencyKey',
  });

  const suspendCtx = { ...clerk, idempotencyKey: 'job-4503599627370500' };
  await svc.suspendAccount(a.accountNo, {}, suspendCtx);
  await expect(svc.suspendAccount(a.accountNo, {}, suspendCtx)).resolves.toMatchObject({ status: 'suspended' });
});
