import { AccountsService } from '../../domain/accounts/service.js';
import { ConnectionService } from '../../domain/cases/connection/service.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { openRepairAccount } from './repair-fixtures.js';

// 业务收费 of a new connection at the counter (/api/business-cases/:caseNo/fees) against the whole app: who may pay,
// what is refused before anything is written, exactly once per serial, and the message the waiting case hears.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'engineer', 'manager', 'auditor', 'admin'];
let connection: ConnectionService;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  for (const u of ROLES) s[u] = await t.signIn(u);
  connection = new ConnectionService(t.db.knex);
  await new AccountsService(t.db.knex).createBook({ code: 'CF1', name: '收费测试本' }, { actor: 'test' });
  const book = await t.db.knex('cis.meter_books').where({ code: 'CF1' }).first('id');
  await t.db.knex('cis.meter_book_areas').insert({ district: '南区', street: '收费路', book_id: book.id });
}, 120000);
afterAll(async () => {
  await t?.stop();
});

let room = 0;
/** A new connection opened at the front desk, its design recorded and its fees assessed (as its workers do). */
async function caseWithFees(budgetYuan: string, caliberMm = 20): Promise<string> {
  const opened = await s.clerk.call('POST', '/api/business-cases', {
    caseType: 'new-connection',
    applicantName: '孙缴费',
    applicantPhone: '13800002222',
    premise: { district: '南区', street: '收费路', building: '1栋', room: `${++room}室` },
    details: { useClass: 'residential', caliberMm, idDocType: 'resident_id', idDocNumber: '110101199001011237' },
  });
  expect(opened.status).toBe(201);
  const caseNo = opened.body.caseNo as string;
  await connection.recordDesign(caseNo, { budgetYuan }, { actor: 'engineer' });
  await connection.assessFees(caseNo, { actor: 'worker:test' });
  return caseNo;
}

/** A serial is one submission across the counter: an account payment cannot reuse a case fee's, nor the other way. */
describe('one (channel, serial) across the counter', () => {
  test('a case fee payment’s serial is refused for an account payment, and an account payment’s for a case fee', async () => {
    const accountNo = await openRepairAccount(t.db.knex, '钱两清', '902室');
    const caseNo = await caseWithFees('100.00');
    const paid = await s.cashier.call('POST', `/api/business-cases/${caseNo}/fees/payments`, {
      serial: `SHARED-${caseNo}`,
      method: 'cash',
      amountYuan: '1300.00',
    });
    expect(paid.status).toBe(201);
    const account = await s.cashier.call('POST', '/api/payments', {
      serial: `SHARED-${caseNo}`,
      method: 'cash',
      items: [{ accountNo, amount: '10' }],
    });
    expect(account.body).toMatchObject({ status: 409, code: 'serial_reused', field: 'serial' });
    expect(await t.db.knex('cis.payments').count({ n: '*' })).toEqual([{ n: '0' }]);

    const first = await s.cashier.call('POST', '/api/payments', {
      serial: `ACCT-${caseNo}`,
      method: 'cash',
      items: [{ accountNo, amount: '10' }],
    });
    expect(first.status).toBe(201);
    const other = await caseWithFees('100.00');
    const fee = await s.cashier.call('POST', `/api/business-cases/${other}/fees/payments`, {
      serial: `ACCT-${caseNo}`,
      method: 'cash',
      amountYuan: '1300.00',
    });
    expect(fee.body).toMatchObject({ status: 409, code: 'serial_reused', field: 'serial' });
  });
});

const paymentsOf = async (caseNo: string) =>
  t.db.knex('cis.case_fee_payments as p').join('cis.cases as c', 'c.id', 'p.case_id').where('c.case_no', caseNo);

describe('/api/business-cases/:caseNo/fees', () => {
  test('readers see the fees: DN20 connection fee and the budget as the works fee', async () => {
    const caseNo = await caseWithFees('500.50');
    for (const role of ['clerk', 'cashier', 'engineer', 'manager', 'auditor']) {
      const r = await s[role].call('GET', `/api/business-cases/${caseNo}/fees`);
      expect([role, r.status]).toEqual([role, 200]);
    }
    const r = await s.cashier.call('GET', `/api/business-cases/${caseNo}/fees`);
    // 1,200.00 + 500.50 = 1,700.50 yuan
    expect(r.body).toMatchObject({
      caseNo,
      outstandingFen: 170050,
      payments: [],
      fees: [
        { item: 'connection_fee', amountFen: 120000, state: 'due' },
        { item: 'works_fee', amountFen: 50050, state: 'due' },
      ],
    });
    expect((await s.cashier.call('GET', '/api/business-cases/YW-20000101-9999/fees')).status).toBe(404);
  });

  test('a cashier pays all that is due once per serial; the case hears case-fee-paid; a replay posts nothing', async () => {
    const caseNo = await caseWithFees('300');
    const body = { serial: `CF-${caseNo}`, method: 'cash', amountYuan: '1500.00', tenderedYuan: '1600' };
    const first = await s.cashier.call('POST', `/api/business-cases/${caseNo}/fees/payments`, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ caseNo, amountFen: 150000, changeFen: 10000, replayed: false });
    const again = await s.cashier.call('POST', `/api/business-cases/${caseNo}/fees/payments`, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ paymentId: first.body.paymentId, replayed: true });
    expect(await paymentsOf(caseNo)).toHaveLength(1);
    const published = await t.db.knex('engine.message').where({ message_id: `case-fee-paid:${first.body.paymentId}` });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ name: 'case-fee-paid', correlation_key: caseNo });
    const view = await s.cashier.call('GET', `/api/business-cases/${caseNo}/fees`);
    expect(view.body.outstandingFen).toBe(0);
    expect(view.body.payments).toMatchObject([{ serial: `CF-${caseNo}`, amountFen: 150000, cashier: 'cashier' }]);
    // the cashier's day counts it (日结)
    const day = await t.db.knex('cis.cashier_sessions').where({ cashier: 'cashier' }).first('id');
    expect(String((await paymentsOf(caseNo))[0].session_id)).toBe(String(day.id));
    // nothing left to pay
    const more = await s.cashier.call('POST', `/api/business-cases/${caseNo}/fees/payments`, {
      ...body,
      serial: `CF2-${caseNo}`,
    });
    expect(more.status).toBe(409);
    expect(more.body.code).toBe('nothing_due');
  });

  test('only cashiers pay: every other role 403, nothing written', async () => {
    const caseNo = await caseWithFees('100');
    for (const role of ['clerk', 'engineer', 'manager', 'auditor', 'admin']) {
      const r = await s[role].call('POST', `/api/business-cases/${caseNo}/fees/payments`, {
        serial: `X-${role}`,
        method: 'cash',
        amountYuan: '1300',
      });
      expect([role, r.status]).toEqual([role, 403]);
    }
    expect(await paymentsOf(caseNo)).toHaveLength(0);
  });

  test('bad input is a 4xx naming the field and writes nothing', async () => {
    const caseNo = await caseWithFees('100'); // 1,300.00 yuan due
    const url = `/api/business-cases/${caseNo}/fees/payments`;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ method: 'cash', amountYuan: '1300' }, 422, 'serial'],
      [{ serial: 'bad serial!', method: 'cash', amountYuan: '1300' }, 422, 'serial'],
      [{ serial: 'B-1', method: 'gold', amountYuan: '1300' }, 422, 'method'],
      [{ serial: 'B-2', method: 'cash', amountYuan: '13.001' }, 422, 'amountYuan'],
      [{ serial: 'B-3', method: 'cash', amountYuan: '1299.99' }, 422, 'amountYuan'],
      [{ serial: 'B-4', method: 'cash', amountYuan: '1300', tenderedYuan: '1000' }, 422, 'tenderedYuan'],
    ];
    for (const [body, status, field] of cases) {
      const r = await s.cashier.call('POST', url, body);
      expect([JSON.stringify(body), r.status, r.body.field]).toEqual([JSON.stringify(body), status, field]);
    }
    expect(
      (await s.cashier.call('POST', '/api/business-cases/YW-20000101-9999/fees/payments', cases[0][0])).status,
    ).toBe(422);
    const unknown = await s.cashier.call('POST', '/api/business-cases/YW-20000101-9999/fees/payments', {
      serial: 'B-5',
      method: 'cash',
      amountYuan: '1',
    });
    expect(unknown.status).toBe(404);
    // a serial another case used is refused
    const other = await caseWithFees('100');
    const paid = await s.cashier.call('POST', `/api/business-cases/${other}/fees/payments`, {
      serial: 'B-SHARED',
      method: 'qr',
      amountYuan: '1300',
    });
    expect(paid.status).toBe(201);
    const reused = await s.cashier.call('POST', url, { serial: 'B-SHARED', method: 'qr', amountYuan: '1300' });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'serial_reused', field: 'serial' });

    expect(await paymentsOf(caseNo)).toHaveLength(0);
    const fees = await s.cashier.call('GET', `/api/business-cases/${caseNo}/fees`);
    expect(fees.body.outstandingFen).toBe(130000);
    expect(await t.db.knex('cis.audit_log').where({ action: 'case_fee_paid', entity_id: caseNo })).toHaveLength(0);
  });
});
