import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { postBills } from '../../domain/billing/posting.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { ReceiptsError, ReceiptsService } from '../../domain/receipts/service.js';
import { billingAccount } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Receipts of payment batches (M4): each prints on the cashier's next form, a number is never used twice, a
// failed print is printed again on the next number, a void needs an approval, and every form's history says so.
let db: TestDatabase;
let receipts: ReceiptsService;
let payments: PaymentsService;
let tariffId: number;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
  tariffId = Number((await db.knex('cis.tariffs').where({ customer_class: 'residential' }).first('id')).id);
  receipts = new ReceiptsService(db.knex);
  payments = new PaymentsService(db.knex);
  await receipts.receiveBlock({ formType: 'SF', series: 'A', from: '00000001', to: '00001000' }, keeper);
  await receipts.issueRange({ formType: 'SF', series: 'A', from: '1', to: '100', cashier: 'cashier1' }, keeper);
});
afterAll(async () => {
  await db?.drop();
});

const keeper = { actor: 'stock.wang' };
const cashier1 = { actor: 'cashier1' };

async function refusal(p: Promise<unknown>): Promise<ReceiptsError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReceiptsError);
  return e as ReceiptsError;
}

/** A posted bill of `period` with its tier lines (fen), as a bill run leaves it. */
async function bill(accountId: number, period: string, lines: Array<[string, number, string, number]>) {
  const amount = lines.reduce((s, [, , volume, price]) => s + Math.round(Number(volume) * price), 0);
  return db.knex.transaction(async (trx) => {
    const [{ id }] = await trx('cis.bills')
      .insert({
        account_id: accountId,
        period: `${period}-01`,
        tariff_id: tariffId,
        household_size: 3,
        volume: lines[0][2],
        amount_fen: amount,
        status: 'approved',
      })
      .returning('id');
    await trx('cis.bill_lines').insert(
      lines.map(([component, tier, volume, price], n) => ({
        bill_id: id,
        line_no: n + 1,
        component,
        tier,
        volume,
        price_fen: price,
        amount_fen: Math.round(Number(volume) * price),
      })),
    );
    await postBills(trx, { billId: Number(id) }, `${period}-28`);
    return Number(id);
  });
}

let serials = 0;
const pay = (items: Array<{ accountNo: string; amount: string }>, extra: Record<string, unknown> = {}) =>
  payments.post({ serial: `R${++serials}`, method: 'cash', items, ...extra }, cashier1);

test('a receipt: the payment, what it settled (periods, volumes, tier lines), the credit left, on the next form', async () => {
  const a = await billingAccount(db.knex);
  // January 10 m³: water 10 × 3.45 + sewage 10 × 0.95 = 44.00; February 5 m³: 17.25 + 4.75 = 22.00.
  await bill(a.id, '2026-01', [
    ['水费', 1, '10.000', 345],
    ['污水处理费', 1, '10.000', 95],
  ]);
  await bill(a.id, '2026-02', [
    ['水费', 1, '5.000', 345],
    ['污水处理费', 1, '5.000', 95],
  ]);
  // 50.00 tendered 60.00: January in full (44.00), 6.00 of February, no credit.
  const paid = await pay([{ accountNo: a.accountNo, amount: '50' }], { tendered: '60' });

  const r = await receipts.issueReceipt(paid.batch, { formType: 'SF', cashier: 'cashier1' }, cashier1);
  expect(r).toMatchObject({ formType: 'SF', series: 'A', formNo: '00000001', layout: null });
  expect(r.document).toMatchObject({
    formType: 'SF',
    series: 'A',
    formNo: '00000001',
    utility: '示范自来水公司',
    cashier: 'cashier1',
    accountNo: a.accountNo,
    method: 'cash',
    amountFen: 5000,
    tenderedFen: 6000,
    changeFen: 1000,
    creditAfterFen: 0,
  });
  const { verify_base_url: base } = await db.knex('cis.payment_settings').first('verify_base_url');
  expect(r.document.verifyUrl).toMatch(new RegExp(`^${base}${r.receiptId}-[0-9a-f]{10}$`));
  expect(r.document.customerName).toMatch(/^计费/);
  expect(r.document.address).toContain('解放路');
  expect(r.document.reprintOf).toBeUndefined();
  expect(r.document.lines).toEqual([
    {
      period: '2026-01',
      kind: 'bill',
      label: '水费',
      volume: '10.000',
      amountFen: 4400,
      components: [
        { component: '水费', tier: 1, volume: '10.000', priceFen: 345, amountFen: 3450 },
        { component: '污水处理费', tier: 1, volume: '10.000', priceFen: 95, amountFen: 950 },
      ],
    },
    // Part of a bill: no breakdown, which would claim more than was paid.
    { period: '2026-02', kind: 'bill', label: '水费', volume: '5.000', amountFen: 600 },
  ]);

  const h = await receipts.formHistory({ formType: 'SF', series: 'A', formNo: '1' });
  expect(h.form.state).toBe('used');
  expect(h.events.at(-1)).toMatchObject({
    fromState: 'issued',
    toState: 'used',
    cashier: 'cashier1',
    receiptId: r.receiptId,
  });
  expect(h.receipts).toEqual([expect.objectContaining({ receiptId: r.receiptId, batch: paid.batch })]);
  const stored = await receipts.getReceipt(r.receiptId);
  expect(stored).toMatchObject({
    document: r.document,
    kind: 'preprinted',
    layout: null,
    state: 'used',
    batch: paid.batch,
  });
  // The same content on no form, for an e-invoice without a paper receipt.
  const { issuedAt: _i, ...content } = await receipts.documentOfBatch(paid.batch, 'cashier1');
  const { issuedAt: _j, formType: _t, series: _s, formNo: _f, verifyUrl: _u, ...printed } = r.document;
  expect(content).toEqual({ ...printed, formType: '', series: '', formNo: '', verifyUrl: '' });

  // The batch has its receipt: a second one would be a second paper for one payment.
  const again = await refusal(receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, cashier1));
  expect(again).toMatchObject({ status: 409, code: 'already_receipted' });
  expect(again.message).toContain('SF A 00000001');
});

test('two accounts in one batch, credit left: one line per settled bill and one credit line per account', async () => {
  const a = await billingAccount(db.knex);
  const b = await billingAccount(db.knex);
  await db
    .knex('cis.accounts')
    .where({ id: b.id })
    .update({ customer_id: db.knex('cis.accounts').where({ id: a.id }).select('customer_id') });
  await bill(a.id, '2026-03', [['水费', 1, '2.000', 345]]);
  const paid = await pay([
    { accountNo: a.accountNo, amount: '10' },
    { accountNo: b.accountNo, amount: '5.5' },
  ]);
  const r = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, cashier1);
  expect(r.document).toMatchObject({
    accountNo: `${a.accountNo}、${b.accountNo}`,
    amountFen: 1550,
    creditAfterFen: 310 + 550,
  });
  expect(r.document.tenderedFen).toBeUndefined();
  expect(r.document.lines.map((l) => [l.period, l.kind, l.label, l.amountFen])).toEqual([
    ['2026-03', 'bill', `${a.accountNo} 水费`, 690],
    ['', 'credit', `${a.accountNo} 预存`, 310],
    ['', 'credit', `${b.accountNo} 预存`, 550],
  ]);
  const sum = r.document.lines.reduce((s, l) => s + l.amountFen, 0);
  expect(sum).toBe(r.document.amountFen);
  expect((await receipts.receiptsOfAccount(b.accountNo)).map((x) => x.receiptId)).toEqual([r.receiptId]);
});

test('20 receipts at once for one cashier get 20 distinct consecutive numbers, no gaps', async () => {
  const a = await billingAccount(db.knex);
  const batches: string[] = [];
  for (let n = 0; n < 20; n++) batches.push((await pay([{ accountNo: a.accountNo, amount: '1' }])).batch);
  const stockBefore = await receipts.cashierStock('cashier1');
  const first = Number(stockBefore.next[0].formNo);

  const issued = await Promise.all(
    batches.map((batch) => receipts.issueReceipt(batch, { cashier: 'cashier1' }, cashier1)),
  );
  const numbers = issued.map((r) => Number(r.formNo)).sort((x, y) => x - y);
  expect(numbers).toEqual(Array.from({ length: 20 }, (_, n) => first + n));
  const stockAfter = await receipts.cashierStock('cashier1');
  expect(stockAfter.next[0].formNo).toBe(String(first + 20).padStart(8, '0'));
  expect(stockAfter.next[0].remaining).toBe(stockBefore.next[0].remaining - 20);
});

test('a request retried with its key answers with the receipt it printed, on no new form', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '2' }]);
  const keyed = { ...cashier1, idempotencyKey: `receipt:${paid.batch}` };
  const first = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, keyed);
  const next = (await receipts.cashierStock('cashier1')).next[0].formNo;
  expect(await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, keyed)).toEqual(first);
  expect((await receipts.cashierStock('cashier1')).next[0].formNo).toBe(next);
});

test('print failed: the form is print_failed for ever, the same receipt prints on the next number, both recorded', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '12.34' }]);
  const first = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, cashier1);
  const next = Number(first.formNo) + 1;

  const { failed, reprint } = await receipts.printFailed(first.receiptId, cashier1);
  expect(failed).toEqual({ receiptId: first.receiptId, form: `SF A ${first.formNo}`, state: 'print_failed' });
  expect(Number(reprint.formNo)).toBe(next);
  const { formNo: _n, verifyUrl: _v, reprintOf, ...same } = reprint.document;
  const { formNo: _n1, verifyUrl: _v1, ...original } = first.document;
  expect(same).toEqual(original);
  expect(reprintOf).toBe(`SF A ${first.formNo}`);

  const failedHistory = await receipts.formHistory({ formType: 'SF', series: 'A', formNo: first.formNo });
  expect(failedHistory.form.state).toBe('print_failed');
  expect(failedHistory.events.slice(-3).map((e) => [e.fromState, e.toState, e.receiptId, e.reason])).toEqual([
    ['issued', 'used', first.receiptId, `receipt of batch ${paid.batch}`],
    ['used', 'print_failed', first.receiptId, 'print failed'],
    ['print_failed', 'print_failed', reprint.receiptId, `reprinted on SF A ${reprint.formNo}`],
  ]);
  const reprintHistory = await receipts.formHistory({ formType: 'SF', series: 'A', formNo: reprint.formNo });
  expect(reprintHistory.receipts).toEqual([
    expect.objectContaining({ receiptId: reprint.receiptId, reprintOf: first.receiptId }),
  ]);
  expect(reprintHistory.events.at(-1)).toMatchObject({
    toState: 'used',
    reason: `reprint of SF A ${first.formNo}, batch ${paid.batch}`,
  });

  // A failed form is never printed on again, and a failure is reported once.
  const twice = await refusal(receipts.printFailed(first.receiptId, cashier1));
  expect(twice).toMatchObject({ status: 409, code: 'illegal_transition' });
  expect(twice.message).toContain('print_failed → print_failed');
  expect((await receipts.receiptsOfBatch(paid.batch)).map((x) => [x.form, x.state])).toEqual([
    [`SF A ${first.formNo}`, 'print_failed'],
    [`SF A ${reprint.formNo}`, 'used'],
  ]);

  // 补打 of a receipt that printed: the earlier form becomes reprinted.
  const copy = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1', reprintOf: reprint.receiptId }, cashier1);
  expect(copy.document.reprintOf).toBe(`SF A ${reprint.formNo}`);
  expect((await receipts.formHistory({ formType: 'SF', series: 'A', formNo: reprint.formNo })).form.state).toBe(
    'reprinted',
  );
  expect((await receipts.verifyReceipt(reprint.receiptId)).status).toBe('replaced');
});

test('a cashier with no forms left is told to draw forms, and nothing is written', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '3' }]);
  const e = await refusal(
    receipts.issueReceipt(paid.batch, { formType: 'SF', cashier: 'cashier9' }, { actor: 'cashier9' }),
  );
  expect(e).toMatchObject({ status: 409, code: 'no_forms' });
  expect(e.message).toContain('draw forms');
  expect(await receipts.receiptsOfBatch(paid.batch)).toEqual([]);
  expect((await refusal(receipts.issueReceipt('NO-SUCH-BATCH', { cashier: 'cashier1' }, cashier1))).status).toBe(404);
});

test('void: requested, approved by the receipt-void process, voided for ever; a voided form is never used', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '8' }]);
  const r = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, cashier1);
  const form = { formType: 'SF', series: 'A', formNo: r.formNo };

  const asked = await receipts.requestVoid(form, '金额开错', cashier1);
  expect(asked).toEqual({ form: `SF A ${r.formNo}`, state: 'used', pending: true, reason: '金额开错' });
  expect((await receipts.formHistory(form)).form.pendingVoid).toEqual({ reason: '金额开错', requestedBy: 'cashier1' });
  expect((await refusal(receipts.requestVoid(form, '再次', cashier1))).code).toBe('void_pending');

  const approver = { actor: 'manager.zhao', processInstanceKey: '2251799813690001' };
  // The engine delivers the decision job twice: one decision, one event.
  const job = { ...approver, idempotencyKey: 'job:2251799813690007' };
  const voided = await receipts.decideVoid(form, true, job);
  expect(voided).toMatchObject({ state: 'voided', pending: false });
  expect(await receipts.decideVoid(form, true, job)).toEqual(voided);
  expect((await receipts.formHistory(form)).events.filter((e) => e.toState === 'voided')).toHaveLength(1);
  const h = await receipts.formHistory(form);
  expect(h.form).toMatchObject({ state: 'voided', pendingVoid: null });
  expect(h.events.at(-1)).toMatchObject({
    fromState: 'used',
    toState: 'voided',
    actor: 'manager.zhao',
    processInstanceKey: '2251799813690001',
    reason: 'void approved: 金额开错',
  });
  expect((await receipts.verifyReceipt(r.receiptId)).status).toBe('voided');

  // Voided stays voided: no second decision, no reprint, no drawing or returning it.
  expect((await refusal(receipts.decideVoid(form, true, approver))).code).toBe('no_void_request');
  expect((await refusal(receipts.requestVoid(form, '再次', cashier1))).code).toBe('illegal_transition');
  expect((await refusal(receipts.printFailed(r.receiptId, cashier1))).message).toContain('voided → print_failed');
  const back = await refusal(
    receipts.returnRange({ formType: 'SF', series: 'A', from: r.formNo, to: r.formNo, cashier: 'cashier1' }, keeper),
  );
  expect(back.message).toContain('voided → unused is not allowed');

  // A blank form can be voided too (spoilt), and the next receipt skips a form waiting for the decision.
  const stock = await receipts.cashierStock('cashier1');
  const blank = { formType: 'SF', series: 'A', formNo: stock.next[0].formNo };
  await receipts.requestVoid(blank, '污损', cashier1);
  const paid2 = await pay([{ accountNo: a.accountNo, amount: '9' }]);
  const r2 = await receipts.issueReceipt(paid2.batch, { cashier: 'cashier1' }, cashier1);
  expect(Number(r2.formNo)).toBe(Number(blank.formNo) + 1);
  // Refused: the blank form is the cashier's next form again.
  await receipts.decideVoid(blank, false, approver, '可继续使用');
  expect((await receipts.formHistory(blank)).events.at(-1)).toMatchObject({
    fromState: 'issued',
    toState: 'issued',
    reason: 'void refused: 可继续使用',
  });
  expect((await receipts.cashierStock('cashier1')).next[0].formNo).toBe(blank.formNo);

  // Unused forms in the safe cannot be voided.
  const unused = await refusal(
    receipts.requestVoid({ formType: 'SF', series: 'A', formNo: '00000900' }, '污损', keeper),
  );
  expect(unused.message).toContain('unused → voided is not allowed');
});

test('verification shows the form, date, amount and a masked account, nothing personal; a forged token is 404', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '20' }]);
  const r = await receipts.issueReceipt(paid.batch, { cashier: 'cashier1' }, cashier1);
  const token = r.document.verifyUrl.split('/').at(-1) as string;
  const v = await receipts.verifyReceipt(token);
  expect(v).toEqual({
    form: `SF A ${r.formNo}`,
    formType: 'SF',
    series: 'A',
    formNo: r.formNo,
    issuedAt: r.document.issuedAt,
    amountFen: 2000,
    accountNo: `${a.accountNo.slice(0, 2)}${'*'.repeat(a.accountNo.length - 4)}${a.accountNo.slice(-2)}`,
    utility: '示范自来水公司',
    status: 'valid',
    reprintOf: null,
  });
  expect(JSON.stringify(v)).not.toContain(r.document.customerName);
  expect((await refusal(receipts.verifyReceipt(`${r.receiptId}-0000000000`))).status).toBe(404);
  expect((await refusal(receipts.verifyReceipt(String(r.receiptId)))).status).toBe(404);
});

test('an e-receipt prints on its own stock; layouts are checked against the page', async () => {
  await receipts.receiveBlock({ formType: 'E', from: '000001', to: '000010' }, keeper);
  await receipts.issueRange({ formType: 'E', from: '1', to: '10', cashier: 'cashier1' }, keeper);
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '7' }]);
  const paper = await receipts.issueReceipt(paid.batch, { formType: 'SF', cashier: 'cashier1' }, cashier1);
  const e = await receipts.issueReceipt(paid.batch, { formType: 'E', cashier: 'cashier1' }, cashier1);
  expect([paper.formType, e.formType, e.formNo]).toEqual(['SF', 'E', '000001']);
  // With blank forms of a paper type and the e-receipt type, the paper type is the default.
  const paid2 = await pay([{ accountNo: a.accountNo, amount: '7' }]);
  expect((await receipts.issueReceipt(paid2.batch, { cashier: 'cashier1' }, cashier1)).formType).toBe('SF');

  const layout = {
    kind: 'preprinted',
    pageWidthMm: 241,
    pageHeightMm: 140,
    fields: { formNo: { xMm: 178, yMm: 14, widthMm: 45 }, accountNo: { xMm: 34, yMm: 31 } },
    qr: { xMm: 212, yMm: 26, sizeMm: 22 },
    linesArea: { xMm: 22, yMm: 50, widthMm: 186, rowHeightMm: 6, maxRows: 8 },
  };
  const set = await receipts.setLayout('SF', layout, { actor: 'admin' });
  expect(set.layout).toEqual(layout);
  const paid3 = await pay([{ accountNo: a.accountNo, amount: '7' }]);
  expect((await receipts.issueReceipt(paid3.batch, { cashier: 'cashier1' }, cashier1)).layout).toEqual(layout);

  const bad: Array<[unknown, string]> = [
    [{ ...layout, fields: { formNo: { xMm: 230, yMm: 14, widthMm: 45 } } }, 'layout.fields.formNo.widthMm'],
    [{ ...layout, pageWidthMm: -1 }, 'layout.pageWidthMm'],
    [{ ...layout, qr: { xMm: 230, yMm: 26, sizeMm: 22 } }, 'layout.qr'],
    [{ ...layout, linesArea: { ...layout.linesArea, maxRows: 20 } }, 'layout.linesArea'],
    [{ ...layout, fields: { total: { xMm: 1, yMm: 1 } } }, 'layout.fields'],
    [{ ...layout, kind: 'plain' }, 'layout.kind'],
  ];
  for (const [l, field] of bad) {
    const err = await refusal(receipts.setLayout('SF', l, { actor: 'admin' }));
    expect({ status: err.status, field: err.field }).toEqual({ status: 422, field });
  }
  const unknownField = await refusal(
    receipts.setLayout('SF', { ...layout, fields: { total: { xMm: 1, yMm: 1 } } }, { actor: 'admin' }),
  );
  expect(unknownField.message).toContain('total');
  expect((await receipts.getFormType('SF')).layout).toEqual(layout);
  // A box removed in the editor comes as null and is not stored.
  const removed = await receipts.setLayout(
    'SF',
    { ...layout, fields: { ...layout.fields, accountNo: null } },
    { actor: 'admin' },
  );
  expect(removed.layout?.fields).toEqual({ formNo: layout.fields.formNo });
  expect((await receipts.listFormTypes()).map((t) => [t.code, t.kind])).toEqual([
    ['E', 'e-receipt'],
    ['SF', 'preprinted'],
    ['SF-A5', 'plain'],
  ]);
});

test('e-invoice bookkeeping: recorded once per number, red-lettered once; the customer’s preference', async () => {
  const a = await billingAccount(db.knex);
  const paid = await pay([{ accountNo: a.accountNo, amount: '30' }]);
  expect(await receipts.receiptPreference(paid.batch)).toBe('paper');
  await db
    .knex('cis.customers')
    .where({ id: db.knex('cis.accounts').where({ id: a.id }).select('customer_id') })
    .update({ receipt_preference: 'both' });
  expect(await receipts.receiptPreference(paid.batch)).toBe('both');

  const input = {
    batch: paid.batch,
    invoiceNo: '26110000000000000001',
    provider: 'local',
    status: 'issued',
    amountFen: 3000,
    pdfPath: 'einvoice/1.pdf',
    xmlPath: 'einvoice/1.xml',
  };
  const inv = await receipts.recordEInvoice(input, cashier1);
  expect(inv).toMatchObject({ invoiceNo: input.invoiceNo, status: 'issued', amountFen: 3000, redLetterNo: null });
  expect((await receipts.recordEInvoice(input, cashier1)).id).toBe(inv.id);
  const clash = await refusal(receipts.recordEInvoice({ ...input, amountFen: 1 }, cashier1));
  expect(clash).toMatchObject({ status: 409, code: 'invoice_exists', field: 'invoiceNo' });

  const red = await receipts.markRedLettered(input.invoiceNo, '26110000000000000002', cashier1);
  expect(red).toMatchObject({ status: 'red-lettered', redLetterNo: '26110000000000000002' });
  expect((await receipts.markRedLettered(input.invoiceNo, '26110000000000000002', cashier1)).id).toBe(inv.id);
  expect((await refusal(receipts.markRedLettered(input.invoiceNo, '26110000000000000003', cashier1))).code).toBe(
    'already_red_lettered',
  );
  expect((await receipts.einvoicesOfBatch(paid.batch)).map((i) => i.status)).toEqual(['red-lettered']);
  expect((await refusal(receipts.recordEInvoice({ ...input, batch: 'NOPE', invoiceNo: 'X1' }, cashier1))).status).toBe(
    404,
  );
});

test('every gap is explained: each number is in one state, a receipt or a reason stands behind every one', async () => {
  const byState = await receipts.countForms({ groupBy: 'state' });
  const total = byState.reduce((s, c) => s + c.count, 0);
  const received = await db.knex('cis.receipt_blocks').sum({ n: db.knex.raw('last_no - first_no + 1') });
  expect(total).toBe(Number(received[0].n));
  const byCashier = await receipts.countForms({ groupBy: 'cashier' });
  expect(byCashier.reduce((s, c) => s + c.count, 0)).toBe(total);
  expect(byCashier.find((c) => c.key === 'cashier1')?.count).toBe(100 + 10);

  // Up to the highest number printed on, a form without a receipt is blank in the drawer, lost or voided; a form
  // with one is used, print_failed, reprinted or voided (a number is printed on once: receipts_form_key).
  const { rows } = await db.knex.raw(
    `SELECT f.state, EXISTS (SELECT 1 FROM cis.receipts r
                             WHERE (r.form_type, r.series, r.form_no) = (f.form_type, f.series, f.form_no)) AS printed,
            count(*)::int AS n
     FROM cis.receipt_forms f
     WHERE f.form_type = 'SF' AND f.series = 'A'
       AND f.form_no <= (SELECT max(form_no) FROM cis.receipts WHERE form_type = 'SF' AND series = 'A')
     GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  for (const r of rows) {
    const allowed = r.printed ? ['used', 'print_failed', 'reprinted', 'voided'] : ['issued', 'lost', 'voided'];
    expect(allowed).toContain(r.state);
  }
  expect(rows.reduce((s: number, r: { n: number }) => s + r.n, 0)).toBe(
    Number((await db.knex('cis.receipts').where({ form_type: 'SF', series: 'A' }).max({ m: 'form_no' }))[0].m),
  );
});
