import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';

// A newcomer's first start: the demo cashier finds accounts in arrears and forms to print on, and the first
// payment prints a receipt — no set-up before the counter works.
let t: TestAquaflow;
beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 7 });
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('the demo cashier pays a demo account in arrears and prints its receipt on the first demo form', async () => {
  const cashier = await t.signIn('cashier');
  const stock = await cashier.call('GET', '/api/receipts/stock/me');
  expect(stock.status).toBe(200);
  expect(JSON.stringify(stock.body)).toContain('00000001');

  const { rows } = await t.db.knex.raw(
    `SELECT a.account_no FROM cis.accounts a JOIN cis.ledger_entries e ON e.account_id = a.id
     GROUP BY a.account_no HAVING sum(e.amount_fen) < 0 ORDER BY a.account_no LIMIT 1`,
  );
  const accountNo = rows[0].account_no as string;
  const view = await cashier.call('GET', `/api/payments/accounts/${accountNo}`);
  const arrearsFen = view.body.arrearsFen as number;
  expect(arrearsFen).toBeGreaterThan(0);

  const paid = await cashier.call('POST', '/api/payments', {
    serial: `DEMO${process.pid}`,
    method: 'cash',
    items: [{ accountNo, amount: (arrearsFen / 100).toFixed(2) }],
  });
  expect(paid.status).toBe(201);
  const receipt = await cashier.call('POST', `/api/receipts/batches/${paid.body.batch}`, {});
  expect(receipt).toMatchObject({ status: 201, body: { formType: 'SF', series: 'A', formNo: '00000001' } });
  expect((await cashier.call('GET', `/api/payments/accounts/${accountNo}`)).body).toMatchObject({ arrearsFen: 0 });
});
