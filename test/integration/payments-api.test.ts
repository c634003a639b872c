import type { Knex } from 'knex';
import { balanceAwaitingSettlement } from '../../domain/accounts/ledger.js';
import { postBills } from '../../domain/billing/posting.js';
import { createUser } from '../../server/auth/users.js';
import { billingAccount } from '../support/billing.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/payments through the running app as real users: the counter's payment and its allocation (hand-computed),
// exactly once per serial, bad input refused with nothing written, same-day reversal, the day's close, roles.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'manager', 'auditor', 'admin'];
let serialNo = 0;
const serial = () => `T${process.pid}-${++serialNo}`;
// The exact payment of the allocation story, submitted again once the engine grants are in place.
let exactBody: { serial: string; method: string; items: Array<{ accountNo: string; amount: string }> };
let exactPaymentId = 0;

const GRANTS: Array<[string, string, string]> = [
  ['cashier', 'PROCESS_DEFINITION', 'payment-reversal'],
  ['cashier', 'MESSAGE', '*'],
];

/**
 * Takes back the grants migration 0020 ships for the counter (a utility may): then the engine refuses the
 * settlement message and the approval, and the payment must stand all the same.
 */
async function revokePaymentGrants(app: TestAquaflow): Promise<void> {
  const admin = app.client('admin');
  for (const [ownerId, resourceType, resourceId] of GRANTS) {
    const found = await admin.searchAuthorizations(
      { filter: { ownerId, resourceType, resourceIds: [resourceId] } } as never,
      { consistency: { waitUpToMs: 0 } },
    );
    for (const a of found.items ?? [])
      await admin.deleteAuthorization({ authorizationKey: a.authorizationKey } as never);
  }
}

/** Gives them back as migration 0020 ships them. */
async function grantPaymentProcesses(app: TestAquaflow): Promise<void> {
  const admin = app.client('admin');
  const permissions: Record<string, string[]> = {
    PROCESS_DEFINITION: ['CREATE_PROCESS_INSTANCE'],
    MESSAGE: ['CREATE'],
  };
  for (const [ownerId, resourceType, resourceId] of GRANTS)
    await admin.createAuthorization({
      ownerType: 'ROLE',
      ownerId,
      resourceType,
      resourceId,
      permissionTypes: permissions[resourceType],
    } as never);
}

/** A posted bill of `amountFen` for `period` (YYYY-MM), due 15 days after `asOf`: set-up through billing's posting. */
async function postedBill(knex: Knex, accountId: number, period: string, amountFen: number, asOf: string) {
  const tariff = await knex('cis.tariffs').where({ code: 'RES-2026' }).first('id');
  const [{ id }] = await knex('cis.bills')
    .insert({
      account_id: accountId,
      period: `${period}-01`,
      tariff_id: tariff.id,
      household_size: 3,
      volume: '10',
      amount_fen: amountFen,
      status: 'computed',
    })
    .returning('id');
  await knex.transaction((trx) => postBills(trx, { billId: Number(id) }, asOf));
  return Number(id);
}

const counts = async () => ({
  entries: Number((await t.db.knex('cis.ledger_entries').count({ n: '*' }).first())!.n),
  payments: Number((await t.db.knex('cis.payments').count({ n: '*' }).first())!.n),
  refunds: Number((await t.db.knex('cis.credit_refunds').count({ n: '*' }).first())!.n),
});

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: [] });
  await createUser(t.db.knex, { username: 'cashier2', displayName: '收费员二', password: 'demo', roles: ['cashier'] });
  await createUser(t.db.knex, { username: 'cashier3', displayName: '收费员三', password: 'demo', roles: ['cashier'] });
  for (const u of [...ROLES, 'cashier2', 'cashier3']) s[u] = await t.signIn(u);
  await revokePaymentGrants(t);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

describe('role matrix of /api/payments', () => {
  // [method, path, body, roles that may]; every other role gets 403. Bodies are invalid on purpose: an allowed
  // role gets past the role check and is refused by validation (or finds nothing), changing nothing.
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['POST', '/api/payments', {}, ['cashier']],
    ['GET', '/api/payments/accounts/X1', undefined, ['clerk', 'cashier', 'manager', 'auditor', 'admin']],
    ['POST', '/api/payments/999/reversal', {}, ['cashier']],
    ['POST', '/api/payments/999/reversal-requests', {}, ['cashier', 'manager']],
    ['POST', '/api/payments/refunds', {}, ['cashier', 'clerk']],
    ['GET', '/api/payments/day?day=x', undefined, ['cashier']],
    ['POST', '/api/payments/day/close', { day: 'x' }, ['cashier']],
    ['GET', '/api/payments/closes?day=x', undefined, ['manager', 'auditor', 'admin']],
  ];

  test('each role gets 403 exactly where the matrix says; a clerk posts no payment, an auditor reads closes only', async () => {
    const before = await counts();
    for (const [method, path, body, allowed] of matrix) {
      for (const role of ROLES) {
        const r = await s[role].call(method, path, body);
        expect([role, method, path, r.status === 403]).toEqual([role, method, path, !allowed.includes(role)]);
        if (allowed.includes(role)) expect([role, path, r.status]).toEqual([role, path, expect.any(Number)]);
      }
    }
    expect(await counts()).toEqual(before);
    const closes = await s.auditor.call('GET', '/api/payments/closes');
    expect(closes).toMatchObject({ status: 200, body: { items: expect.any(Array) } });
  });

  test('without a session: 401', async () => {
    expect((await fetch(`${t.app.url}/api/payments/closes`)).status).toBe(401);
  });
});

describe('a counter payment allocates oldest debt first; the rest is prepaid credit', () => {
  test('partial, exact and over-payment of posted bills (hand-computed)', async () => {
    // Partial: a bill of 123.45, paid 50.00 → 73.45 still open, no credit.
    const a = await billingAccount(t.db.knex);
    const billA = await postedBill(t.db.knex, a.id, '2026-10', 12_345, '2026-11-01');
    const partial = await s.cashier.call('POST', '/api/payments', {
      serial: serial(),
      method: 'cash',
      items: [{ accountNo: a.accountNo, amount: '50' }],
      tendered: '100',
    });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      channel: 'counter',
      method: 'cash',
      cashier: 'cashier',
      totalFen: 5_000,
      tenderedFen: 10_000,
      changeFen: 5_000,
      replayed: false,
      payments: [
        {
          accountNo: a.accountNo,
          amountFen: 5_000,
          settled: [expect.objectContaining({ kind: 'bill', billId: billA, period: '2026-10', amountFen: 5_000 })],
          creditAfterFen: 0,
          arrearsAfterFen: 7_345,
          arrearsCleared: false,
        },
      ],
    });

    // Exact: 123.45 on a bill of 123.45 → nothing open, no credit, arrears cleared.
    const b = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, b.id, '2026-10', 12_345, '2026-11-01');
    // A transfer of b found the arrears and waits for them (its balance check registered the wait).
    expect(await balanceAwaitingSettlement(t.db.knex, b.accountNo)).toBe(-12_345);
    exactBody = { serial: serial(), method: 'qr', items: [{ accountNo: b.accountNo, amount: '123.45' }] };
    const exact = await s.cashier.call('POST', '/api/payments', exactBody);
    expect(exact.status).toBe(201);
    expect(exact.body.payments).toEqual([
      expect.objectContaining({
        amountFen: 12_345,
        creditAfterFen: 0,
        arrearsAfterFen: 0,
        arrearsCleared: true,
        settlementAwaited: true,
      }),
    ]);
    expect(await t.db.knex('cis.settlement_waits').where({ account_id: b.id })).toHaveLength(0);
    // The engine refused the settlement message (the MESSAGE grant was taken back): the payment stands.
    exactPaymentId = (exact.body.payments as Array<{ paymentId: number }>)[0].paymentId;
    expect(await t.db.knex('engine.message').where({ message_id: `arrears-settled:${exactPaymentId}` })).toHaveLength(
      0,
    );
    expect(await t.db.knex('cis.payments').where({ id: exactPaymentId })).toHaveLength(1);
    // Nor may they start an approval yet: a 403 that says which grant is missing, not a 502.
    const ask = await s.cashier.call('POST', `/api/payments/${exactPaymentId}/reversal-requests`, { reason: '测试' });
    expect(ask).toMatchObject({ status: 403, body: { code: 'engine-forbidden' } });
    expect(String(ask.body.detail)).toContain('CREATE_PROCESS_INSTANCE on payment-reversal');

    // Over: bills of 100.00 (September, due first) and 80.00 (October), paid 200.00 → September 100.00,
    // October 80.00, 20.00 prepaid credit.
    const c = await billingAccount(t.db.knex);
    const sep = await postedBill(t.db.knex, c.id, '2026-09', 10_000, '2026-10-01');
    const oct = await postedBill(t.db.knex, c.id, '2026-10', 8_000, '2026-11-01');
    const over = await s.cashier.call('POST', '/api/payments', {
      serial: serial(),
      method: 'card',
      items: [{ accountNo: c.accountNo, amount: 200 }],
    });
    expect(over.status).toBe(201);
    const [paid] = over.body.payments as Array<Record<string, unknown>>;
    expect(paid.settled).toEqual([
      expect.objectContaining({ billId: sep, period: '2026-09', amountFen: 10_000 }),
      expect.objectContaining({ billId: oct, period: '2026-10', amountFen: 8_000 }),
    ]);
    expect(paid).toMatchObject({ creditAfterFen: 2_000, arrearsAfterFen: 0, arrearsCleared: true });
    expect(paid.settlementAwaited).toBe(false); // no process waited for c's arrears

    // The counter's view of the account agrees, for every role that sees accounts.
    const view = await s.clerk.call('GET', `/api/payments/accounts/${c.accountNo.toLowerCase()}`);
    expect(view).toMatchObject({
      status: 200,
      body: { accountNo: c.accountNo, balanceFen: 2_000, creditFen: 2_000, arrearsFen: 0, debts: [] },
    });
    expect((view.body.payments as Array<Record<string, unknown>>)[0]).toMatchObject({
      amountFen: 20_000,
      method: 'card',
      reversed: false,
    });
    const partialView = await s.auditor.call('GET', `/api/payments/accounts/${a.accountNo}`);
    expect(partialView.body).toMatchObject({ arrearsFen: 7_345, debts: [expect.objectContaining({ openFen: 7_345 })] });
    expect((await s.cashier.call('GET', '/api/payments/accounts/NOPE-1')).status).toBe(404);
  });
});

describe('arrears-settled, once the cashiers may publish it', () => {
  beforeAll(async () => {
    await grantPaymentProcesses(t);
  });

  test('submitting the serial again publishes the settlement the engine refused, once', async () => {
    const id = `arrears-settled:${exactPaymentId}`;
    const replay = await s.cashier.call('POST', '/api/payments', exactBody);
    expect(replay).toMatchObject({ status: 200, body: { replayed: true } });
    const published = await t.db.knex('engine.message').where({ message_id: id });
    expect(published).toEqual([
      expect.objectContaining({ name: 'arrears-settled', correlation_key: exactBody.items[0].accountNo }),
    ]);
    expect((await s.cashier.call('POST', '/api/payments', exactBody)).status).toBe(200);
    expect(await t.db.knex('engine.message').where({ message_id: id })).toHaveLength(1);
  });

  test('arrears nobody waits for are cleared without a message', async () => {
    const a = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, a.id, '2026-10', 4_000, '2026-11-01');
    const paid = await s.cashier.call('POST', '/api/payments', {
      serial: serial(),
      method: 'cash',
      items: [{ accountNo: a.accountNo, amount: '40' }],
    });
    const [p] = paid.body.payments as Array<{ paymentId: number; arrearsCleared: boolean; settlementAwaited: boolean }>;
    expect(p).toMatchObject({ arrearsCleared: true, settlementAwaited: false });
    expect(await t.db.knex('engine.message').where({ message_id: `arrears-settled:${p.paymentId}` })).toHaveLength(0);
  });
});

describe('exactly once per serial', () => {
  test('a double submit posts one payment (200, replayed); the serial with another amount is a 409 naming serial', async () => {
    const a = await billingAccount(t.db.knex);
    const body = { serial: serial(), method: 'cash', items: [{ accountNo: a.accountNo, amount: '12.30' }] };
    const [first, second] = await Promise.all([
      s.cashier.call('POST', '/api/payments', body),
      s.cashier.call('POST', '/api/payments', body),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    const replay = first.status === 200 ? first : second;
    const original = first.status === 201 ? first : second;
    expect(replay.body).toMatchObject({ replayed: true, totalFen: 1_230 });
    expect(replay.body.payments).toEqual(original.body.payments);
    expect(await t.db.knex('cis.payments').where({ batch: body.serial })).toHaveLength(1);

    const before = await counts();
    const other = await s.cashier.call('POST', '/api/payments', {
      ...body,
      items: [{ accountNo: a.accountNo, amount: '12.31' }],
    });
    expect(other).toMatchObject({ status: 409, body: { code: 'serial_reused', field: 'serial' } });
    expect(String(other.body.detail)).toContain(body.serial);
    expect(await counts()).toEqual(before);
  });
});

describe('bad input: a problem document naming the field, nothing written', () => {
  test('amounts, tender, unknown and closed accounts', async () => {
    const a = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, a.id, '2026-10', 5_000, '2026-11-01');
    const closed = await billingAccount(t.db.knex);
    await t.db.knex('cis.accounts').where({ id: closed.id }).update({ status: 'closed' });
    const pay = (items: unknown, extra: Record<string, unknown> = {}) =>
      s.cashier.call('POST', '/api/payments', { serial: serial(), method: 'cash', items, ...extra });
    const before = await counts();

    for (const amount of ['-1', '0', '0.00', '1.234', 'abc', -5]) {
      const r = await pay([{ accountNo: a.accountNo, amount }]);
      expect([amount, r.status, r.body.field]).toEqual([amount, 422, 'items.0.amount']);
    }
    expect(await pay([])).toMatchObject({ status: 422, body: { field: 'items' } });
    expect(await pay([{ accountNo: a.accountNo, amount: '50' }], { method: 'gold' })).toMatchObject({
      status: 422,
      body: { field: 'method' },
    });
    expect(await pay([{ accountNo: a.accountNo, amount: '50' }], { serial: 'no spaces allowed' })).toMatchObject({
      status: 422,
      body: { field: 'serial' },
    });
    const short = await pay([{ accountNo: a.accountNo, amount: '50' }], { tendered: '49.99' });
    expect(short).toMatchObject({ status: 422, body: { field: 'tendered' } });
    expect(String(short.body.detail)).toContain('50.00');
    expect(await pay([{ accountNo: 'NOPE-1', amount: '1' }])).toMatchObject({ status: 404 });
    // All or nothing: the open account in the same submission is not paid either.
    const shut = await pay([
      { accountNo: a.accountNo, amount: '50' },
      { accountNo: closed.accountNo, amount: '1' },
    ]);
    expect(shut).toMatchObject({ status: 409, body: { code: 'account_closed', field: 'items.1.accountNo' } });

    expect(await counts()).toEqual(before);
    const view = await s.cashier.call('GET', `/api/payments/accounts/${a.accountNo}`);
    expect(view.body).toMatchObject({ arrearsFen: 5_000, payments: [] });
  });
});

describe('reversal', () => {
  test('same day by the cashier who took it; another cashier is told to ask for approval', async () => {
    const a = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, a.id, '2026-10', 6_000, '2026-11-01');
    const first = await s.cashier.call('POST', '/api/payments', {
      serial: serial(),
      method: 'cash',
      items: [{ accountNo: a.accountNo, amount: '60' }],
    });
    const paymentId = (first.body.payments as Array<{ paymentId: number }>)[0].paymentId;

    const other = await s.cashier2.call('POST', `/api/payments/${paymentId}/reversal`, { reason: '收错户' });
    expect(other).toMatchObject({ status: 409, body: { code: 'reversal_needs_approval' } });
    expect(await s.cashier.call('POST', `/api/payments/${paymentId}/reversal`, {})).toMatchObject({
      status: 422,
      body: { field: 'reason' },
    });

    // The other cashier asks for the approval instead; asking twice while it waits is refused.
    const asked = await s.cashier2.call('POST', `/api/payments/${paymentId}/reversal-requests`, { reason: '收错户' });
    expect(asked).toMatchObject({ status: 201, body: { paymentId, accountNo: a.accountNo } });
    const twice = await s.cashier2.call('POST', `/api/payments/${paymentId}/reversal-requests`, { reason: '收错户' });
    expect(twice).toMatchObject({
      status: 409,
      body: { code: 'reversal_pending', processInstanceKey: asked.body.processInstanceKey },
    });

    const own = await s.cashier.call('POST', `/api/payments/${paymentId}/reversal`, { reason: '收错户' });
    expect(own).toMatchObject({
      status: 200,
      body: { paymentId, accountNo: a.accountNo, amountFen: 6_000, balanceFen: -6_000, arrearsFen: 6_000 },
    });
    const entries = await t.db
      .knex('cis.ledger_entries')
      .where({ account_id: a.id })
      .orderBy('id')
      .select('kind', 'amount_fen');
    expect(entries.map((e) => [e.kind, Number(e.amount_fen)])).toEqual([
      ['bill', -6_000],
      ['payment', 6_000],
      ['payment_reversal', -6_000],
    ]);
    const again = await s.cashier.call('POST', `/api/payments/${paymentId}/reversal`, { reason: '再次' });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_reversed' } });
    const request = await s.cashier.call('POST', `/api/payments/${paymentId}/reversal-requests`, { reason: '再次' });
    expect(request).toMatchObject({ status: 409, body: { code: 'already_reversed' } });
    expect((await s.cashier.call('POST', '/api/payments/987654/reversal', { reason: 'x' })).status).toBe(404);
    expect((await s.cashier.call('POST', '/api/payments/abc/reversal', { reason: 'x' })).status).toBe(404);
  });
});

describe('credit refund request', () => {
  test('checked against the credit before the approval starts: 409 or 422 with nothing written, else 201', async () => {
    const a = await billingAccount(t.db.knex);
    await s.cashier.call('POST', '/api/payments', {
      serial: serial(),
      method: 'cash',
      items: [{ accountNo: a.accountNo, amount: '50' }],
    });
    const before = await counts();
    const tooMuch = await s.clerk.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo,
      amount: '50.01',
      reason: '销户退预存',
    });
    expect(tooMuch).toMatchObject({ status: 409, body: { code: 'insufficient_credit', field: 'amount' } });
    expect(String(tooMuch.body.detail)).toContain('50.00');
    const bad = await s.clerk.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo,
      amount: '1.005',
      reason: 'x',
    });
    expect(bad).toMatchObject({ status: 422, body: { field: 'amount' } });
    expect(
      await s.clerk.call('POST', '/api/payments/refunds', { accountNo: a.accountNo, amount: '1', reason: ' ' }),
    ).toMatchObject({ status: 422, body: { field: 'reason' } });
    expect(
      await s.clerk.call('POST', '/api/payments/refunds', { accountNo: 'NOPE-1', amount: '1', reason: 'x' }),
    ).toMatchObject({ status: 404 });
    expect(await counts()).toEqual(before);

    const ok = await s.clerk.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo.toLowerCase(),
      amount: '30',
      reason: '多缴退费',
    });
    expect(ok).toMatchObject({
      status: 201,
      body: {
        accountNo: a.accountNo,
        amountFen: 3_000,
        creditFen: 5_000,
        processInstanceKey: expect.stringMatching(/^\d+$/),
      },
    });
    const row = await t.db.knex('cis.credit_refunds').where({ id: ok.body.refundId }).first();
    expect(row).toMatchObject({ status: 'requested', requested_by: 'clerk' });
  });
});

describe("the cashier's day (日结)", () => {
  test('close totals by method, cash to hand over; after the close no payment posts', async () => {
    const a = await billingAccount(t.db.knex);
    const pay = (amount: string, method: string, extra: Record<string, unknown> = {}) =>
      s.cashier3.call('POST', '/api/payments', {
        serial: serial(),
        method,
        items: [{ accountNo: a.accountNo, amount }],
        ...extra,
      });
    expect((await pay('30', 'cash', { tendered: '50' })).body).toMatchObject({ changeFen: 2_000 });
    await pay('20', 'qr');
    const taken = await pay('10', 'cash');
    const takenId = (taken.body.payments as Array<{ paymentId: number }>)[0].paymentId;
    expect((await s.cashier3.call('POST', `/api/payments/${takenId}/reversal`, { reason: '重复收费' })).status).toBe(
      200,
    );

    const open = await s.cashier3.call('GET', '/api/payments/day');
    expect(open).toMatchObject({ status: 200, body: { cashier: 'cashier3', closedAt: null, totalFen: 5_000 } });

    const closed = await s.cashier3.call('POST', '/api/payments/day/close', {});
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      cashier: 'cashier3',
      closedBy: 'cashier3',
      closedAt: expect.any(String),
      byMethod: [
        { method: 'cash', count: 2, amountFen: 4_000, reversedCount: 1, reversedFen: 1_000 },
        { method: 'qr', count: 1, amountFen: 2_000, reversedCount: 0, reversedFen: 0 },
      ],
      totalFen: 5_000,
      cashToHandOverFen: 3_000,
    });

    const before = await counts();
    const late = await pay('5', 'cash');
    expect(late).toMatchObject({ status: 409, body: { code: 'session_closed' } });
    // Nor does a counter reversal: after the close it takes an approval too.
    const firstId = (await t.db.knex('cis.payments').where({ cashier: 'cashier3' }).orderBy('id').first('id')).id;
    expect(await s.cashier3.call('POST', `/api/payments/${firstId}/reversal`, { reason: '收错' })).toMatchObject({
      status: 409,
      body: { code: 'session_closed' },
    });
    expect(await counts()).toEqual(before);
    expect(await s.cashier3.call('POST', '/api/payments/day/close', {})).toMatchObject({
      status: 409,
      body: { code: 'already_closed' },
    });

    const closes = await s.manager.call('GET', `/api/payments/closes?day=${closed.body.businessDay}`);
    const mine = (closes.body.items as Array<Record<string, unknown>>).find((c) => c.cashier === 'cashier3');
    expect(mine).toMatchObject({ totalFen: 5_000, cashToHandOverFen: 3_000, closedBy: 'cashier3' });
    expect((await s.auditor.call('GET', '/api/payments/closes?day=yesterday')).status).toBe(422);
  });

  test('a close racing payments: each payment is in the close or refused, none posts after it', async () => {
    await createUser(t.db.knex, {
      username: 'cashier4',
      displayName: '收费员四',
      password: 'demo',
      roles: ['cashier'],
    });
    const cashier = await t.signIn('cashier4');
    const a = await billingAccount(t.db.knex);
    const pay = (n: number) =>
      cashier.call('POST', '/api/payments', {
        serial: serial(),
        method: 'cash',
        items: [{ accountNo: a.accountNo, amount: String(n) }],
      });
    expect((await pay(1)).status).toBe(201); // opens the day
    const racing = Array.from({ length: 12 }, (_, i) => pay(i + 2));
    const close = cashier.call('POST', '/api/payments/day/close', {});
    const later = Array.from({ length: 4 }, (_, i) => pay(i + 20));
    const replies = await Promise.all([...racing, ...later]);
    const closed = await close;
    expect(closed.status).toBe(200);
    for (const r of replies) expect([201, 409]).toContain(r.status);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'session_closed' });
    const posted = replies.filter((r) => r.status === 201).map((r) => Number(r.body.totalFen));
    expect(closed.body.totalFen).toBe(100 + posted.reduce((sum, fen) => sum + fen, 0));
    const rows = await t.db.knex('cis.payments').where({ cashier: 'cashier4' }).sum({ fen: 'amount_fen' }).first();
    expect(Number(rows!.fen)).toBe(closed.body.totalFen);
  });
});
