import { existsSync } from 'node:fs';
import type { Knex } from 'knex';
import type { FormHistory, FormTypeListItem } from '../../contracts/receipts.js';
import { DEFAULT_LAYOUTS } from '../../documents/receipt-pdf.js';
import { postBills } from '../../domain/billing/posting.js';
import { billingAccount } from '../support/billing.js';
import { pdfText } from '../support/pdf-text.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/receipts through the running app: stock received and drawn, a paid batch printed on the cashier's next
// form and read back from the PDF, a failed print reprinted on the following number, the QR verification page,
// an e-invoice for a customer who wants one, and the role checks.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
let n = 0;

async function postedBill(knex: Knex, accountId: number, amountFen: number) {
  const tariff = await knex('cis.tariffs').where({ code: 'RES-2026' }).first('id');
  const [{ id }] = await knex('cis.bills')
    .insert({
      account_id: accountId,
      period: `2026-0${++n}-01`,
      tariff_id: tariff.id,
      household_size: 3,
      volume: '12.000',
      amount_fen: amountFen,
      status: 'computed',
    })
    .returning('id');
  await knex.transaction((trx) => postBills(trx, { billId: Number(id) }, '2026-05-01'));
}

async function paid(accountNo: string, amount: string): Promise<string> {
  const r = await s.cashier.call('POST', '/api/payments', {
    serial: `R${process.pid}${++n}`,
    method: 'cash',
    items: [{ accountNo, amount }],
    tendered: '100',
  });
  expect(r.status).toBe(201);
  return r.body.batch as string;
}

async function pdf(path: string): Promise<string> {
  const res = await fetch(`${t.app.url}${path}`, { headers: { Cookie: s.cashier.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return (await pdfText(new Uint8Array(await res.arrayBuffer()))).join('\n');
}

const ROLES = ['clerk', 'cashier', 'reader', 'manager', 'auditor', 'admin'];
const stockRows = async () => {
  const n = async (table: string) => Number((await t.db.knex(table).count({ n: '*' }).first())!.n);
  return Promise.all(
    ['cis.receipt_blocks', 'cis.receipt_forms', 'cis.receipt_form_events', 'cis.receipts', 'cis.einvoices'].map(n),
  );
};

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: [] });
  for (const u of ROLES) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('role matrix of /api/receipts: 403 exactly where the roles say; allowed bad input is a 4xx that writes nothing', async () => {
  // [method, path, body, roles that may]; the bodies and keys are wrong on purpose.
  const readers = ['cashier', 'manager', 'auditor', 'admin'];
  const keepers = ['manager', 'admin'];
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['POST', '/api/receipts/batches/NOPE', {}, ['cashier']],
    ['GET', '/api/receipts/999999/pdf', undefined, readers],
    ['POST', '/api/receipts/999999/print-failed', {}, ['cashier']],
    ['GET', '/api/receipts/stock/me', undefined, ['cashier']],
    ['GET', '/api/receipts/forms?state=nope', undefined, readers],
    ['GET', '/api/receipts/forms/counts?groupBy=nope', undefined, readers],
    ['GET', '/api/receipts/forms/SF/A/99999999/history', undefined, readers],
    ['POST', '/api/receipts/blocks', { formType: 'SF', series: 'A', from: '9', to: '1' }, keepers],
    ['POST', '/api/receipts/issue', { formType: 'SF', from: 'x' }, keepers],
    ['POST', '/api/receipts/return', { formType: 'SF', from: 'x' }, keepers],
    ['POST', '/api/receipts/lost', { formType: 'SF', from: 'x' }, keepers],
    ['POST', '/api/receipts/void-requests', { formType: 'SF' }, ['cashier', 'manager']],
    ['GET', '/api/receipts/form-types', undefined, readers],
    ['PUT', '/api/receipts/form-types/NOPE/layout', { kind: 'x' }, keepers],
    ['GET', '/api/receipts/form-types/NOPE/calibration.pdf', undefined, readers],
  ];
  const before = await stockRows();
  for (const [method, path, body, allowed] of matrix)
    for (const role of ROLES) {
      const r = await s[role].call(method, path, body);
      expect([role, method, path, r.status === 403]).toEqual([role, method, path, !allowed.includes(role)]);
      // the two plain reads answer; every other allowed call is refused for its input (never a 5xx)
      const plainRead = path === '/api/receipts/stock/me' || path === '/api/receipts/form-types';
      if (allowed.includes(role))
        expect([role, path, plainRead ? r.status === 200 : r.status >= 400 && r.status < 500]).toEqual([
          role,
          path,
          true,
        ]);
    }
  expect(await stockRows()).toEqual(before);
  expect((await fetch(`${t.app.url}/api/receipts/forms`)).status).toBe(401);
});

test('only stock keepers receive and hand out forms; cashiers and auditors read', async () => {
  const block = { formType: 'SF', series: 'T', from: '00000001', to: '00000050' };
  for (const u of ['cashier', 'clerk', 'auditor'])
    expect((await s[u].call('POST', '/api/receipts/blocks', block)).status).toBe(403);
  expect((await s.clerk.call('GET', '/api/receipts/forms')).status).toBe(403);
  expect((await s.manager.call('POST', '/api/receipts/blocks', block)).status).toBe(201);
  expect(
    (await s.manager.call('POST', '/api/receipts/blocks', { ...block, from: '00000040', to: '00000060' })).status,
  ).toBe(409);
  const issued = await s.manager.call('POST', '/api/receipts/issue', { ...block, to: '00000010', cashier: 'cashier' });
  expect(issued.status).toBe(200);
  expect((await s.auditor.call('GET', '/api/receipts/forms/counts?groupBy=state')).status).toBe(200);
  expect((await s.cashier.call('GET', '/api/receipts/stock/me')).status).toBe(200);
});

test('a paid batch prints on the next form; a failed print is reprinted on the following one; the QR page says which stands', async () => {
  const a = await billingAccount(t.db.knex);
  await postedBill(t.db.knex, a.id, 5678);
  const batch = await paid(a.accountNo, '56.78');

  const first = await s.cashier.call('POST', `/api/receipts/batches/${batch}`, {});
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ formType: 'SF', series: 'T', formNo: '00000001', preference: 'paper' });
  const text = await pdf(first.body.pdfUrl as string);
  expect(text).toContain('00000001');
  expect(text).toContain(a.accountNo);
  expect(text).toContain('伍拾陆元柒角捌分');

  const again = await s.cashier.call('POST', `/api/receipts/${first.body.receiptId}/print-failed`, {});
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ formNo: '00000002' });
  expect(await pdf(again.body.pdfUrl as string)).toContain('00000001'); // 补打 names the failed form

  const states = await t.db
    .knex('cis.receipt_forms')
    .where({ form_type: 'SF', series: 'T' })
    .whereIn('form_no', [1, 2]);
  expect(Object.fromEntries(states.map((f) => [Number(f.form_no), f.state]))).toEqual({ 1: 'print_failed', 2: 'used' });

  const docs = await t.db.knex('cis.receipts').where({ batch }).orderBy('id').select('document');
  const verify = async (url: string) => {
    const res = await fetch(`${t.app.url}${new URL(url).pathname}`);
    return { status: res.status, html: await res.text() };
  };
  const old = await verify(docs[0].document.verifyUrl);
  const current = await verify(docs[1].document.verifyUrl);
  expect(old.status).toBe(200);
  expect(old.html).toContain('已补打');
  expect(current.html).toContain('有效');
  expect(current.html).toContain('伍拾陆元柒角捌分');
  expect(current.html).not.toContain(a.accountNo); // masked
  expect((await verify(`${docs[1].document.verifyUrl}0`)).status).toBe(404);
});

test('a customer who wants an e-invoice gets one with the paper receipt; the signed files are written', async () => {
  const a = await billingAccount(t.db.knex);
  const acc = await t.db.knex('cis.accounts').where({ id: a.id }).first('customer_id');
  await t.db.knex('cis.customers').where({ id: acc.customer_id }).update({ receipt_preference: 'both' });
  await postedBill(t.db.knex, a.id, 3000);
  const batch = await paid(a.accountNo, '30');
  const r = await s.cashier.call('POST', `/api/receipts/batches/${batch}`, {});
  expect(r.status).toBe(201);
  const inv = r.body.einvoice as { invoiceNo: string; status: string; amountFen: number; xmlPath: string };
  expect(inv).toMatchObject({ status: 'issued', amountFen: 3000 });
  expect(existsSync(inv.xmlPath)).toBe(true);
  expect(existsSync(`${inv.xmlPath.replace(/\.xml$/, '')}.sig`) || existsSync(`${inv.xmlPath}.sig`)).toBe(true);
  // Printing the batch again (a retried request) issues no second invoice.
  await s.cashier.call('POST', `/api/receipts/${r.body.receiptId}/print-failed`, {});
  expect(await t.db.knex('cis.einvoices').where({ batch }).count('* as n').first()).toEqual({ n: '1' });

  // The cashier reverses the payment the same day: the invoice is red-lettered (红冲) with it.
  const paymentId = Number((await t.db.knex('cis.payments').where({ batch }).first('id')).id);
  const reversed = await s.cashier.call('POST', `/api/payments/${paymentId}/reversal`, { reason: '收错户' });
  expect(reversed.status).toBe(200);
  expect(reversed.body.redLettered).toEqual([inv.invoiceNo]);
  expect(await t.db.knex('cis.einvoices').where({ invoice_no: inv.invoiceNo }).first('status')).toEqual({
    status: 'red-lettered',
  });
});

test("a form without a series (the 'E' e-receipt stock) is read through '-' in the path", async () => {
  const block = { formType: 'E', series: '', from: '0001', to: '0020' };
  const received = await s.manager.call('POST', '/api/receipts/blocks', block);
  expect(received.status).toBe(201);
  expect(received.body).toMatchObject({ formType: 'E', series: '', from: '0001', to: '0020', count: 20 });
  expect(
    (await s.manager.call('POST', '/api/receipts/issue', { ...block, to: '0005', cashier: 'cashier' })).status,
  ).toBe(200);

  const h = await s.cashier.call('GET', '/api/receipts/forms/E/-/0003/history');
  expect(h.status).toBe(200);
  const history = h.body as unknown as FormHistory;
  expect(history.form).toMatchObject({
    formType: 'E',
    series: '',
    formNo: '0003',
    state: 'issued',
    cashier: 'cashier',
  });
  expect(history.events.map((e) => e.toState)).toEqual(['unused', 'issued']);
  expect((await s.cashier.call('GET', '/api/receipts/forms/E/-/0021/history')).status).toBe(404);
});

test('form types answer with the layout they print with: their own, else the default of their kind', async () => {
  const r = await s.auditor.call('GET', '/api/receipts/form-types');
  expect(r.status).toBe(200);
  const items = r.body.items as FormTypeListItem[];
  const sf = items.find((i) => i.code === 'SF');
  expect(sf).toMatchObject({
    kind: 'preprinted',
    layout: null,
    effectiveLayout: JSON.parse(JSON.stringify(DEFAULT_LAYOUTS.preprinted)),
  });
  expect(items.every((i) => i.effectiveLayout !== null)).toBe(true);
});

test('the calibration sheet prints the field names of a form type', async () => {
  const text = await pdf('/api/receipts/form-types/SF/calibration.pdf');
  expect(text.length).toBeGreaterThan(20);
});
