import path from 'node:path';
import type { Page } from 'playwright-core';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { postRun } from '../../domain/billing/run-post.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { ReceiptsService } from '../../domain/receipts/service.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { addReading, billingAccount } from '../support/billing.js';
import { pdfText } from '../support/pdf-text.js';
import { describeWithBrowser, openBrowser, openPage, SCREENSHOTS, signIn, type Browser } from './browser.js';

// A cashier at 收费台 with the keyboard only: look the account up, Enter, type the cash tendered, Enter, Enter —
// the bill is paid once, the change is shown, and the receipt prints on the cashier's next form.
describeWithBrowser('the counter in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  const CASHIER = 'cashier7';
  const PASSWORD = 'counter-e2e-7';
  const ctx = { actor: 'test' };
  // 20 m³ residential on the demo tariff: 9200 fen (as in test/processes/billing-late-fees.test.ts).
  const BILL_FEN = 9200;
  let a: { id: number; accountNo: string };
  let b: { id: number; accountNo: string };
  /** A second account of a's customer (another flat), also owing one bill. */
  let sibling: { id: number; accountNo: string };

  const knex = () => t.db.knex;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const focused = () => page.evaluate(`document.activeElement?.dataset.test ?? null`);
  const paymentsOf = async (accountId: number) =>
    (await knex()('cis.payments').where({ account_id: accountId }).select('amount_fen', 'cashier', 'batch')).map(
      (p) => ({ amountFen: Number(p.amount_fen), cashier: p.cashier, batch: p.batch }),
    );

  /**
   * Looks an account up by its number and picks it with Enter; the cursor lands in the tendered cash when the
   * arrears prefilled the amount, else in the amount.
   */
  async function pickAccount(accountNo: string, focus: 'tendered' | 'amount' = 'tendered') {
    await page.locator('input[data-test=counter-search-input]').waitFor();
    await page.locator('input[data-test=counter-search-input]:focus').waitFor();
    await page.keyboard.type(accountNo);
    await page.keyboard.press('Enter');
    await page.locator('[data-test=counter-account-no]', { hasText: accountNo }).waitFor();
    await page.locator(`input[data-test=${focus}]:focus`).waitFor();
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 0 });
    a = await billingAccount(knex());
    b = await billingAccount(knex());
    await addReading(knex(), a.id, '2026-01', '20');
    await addReading(knex(), b.id, '2026-01', '20');
    const customerId = (await knex()('cis.accounts').where({ id: a.id }).first('customer_id')).customer_id;
    const opened = await new AccountsService(knex()).openAccount(
      {
        customerId: Number(customerId),
        premise: { district: '城东区', street: '解放路', building: '99栋' },
        customerClass: 'residential',
        householdSize: 3,
        paymentMethod: 'counter',
        book: { code: 'BILL01' },
        meter: { serial: `SIB-${process.pid}` },
      },
      ctx,
    );
    sibling = {
      id: Number((await knex()('cis.accounts').where({ account_no: opened.accountNo }).first('id')).id),
      accountNo: opened.accountNo,
    };
    await addReading(knex(), sibling.id, '2026-01', '20');
    const run = await createRun(knex(), { period: '2026-01' }, ctx);
    await computeRun(knex(), run.id);
    await postRun(knex(), run.id, [], '2026-02-05', ctx);

    // A cashier of their own, made as an administrator makes one, holding fifty plain-paper forms.
    const admin = await t.signIn('admin');
    const made = await admin.call('POST', '/api/admin/users', {
      username: CASHIER,
      displayName: '收费员七',
      password: PASSWORD,
      roles: ['cashier'],
    });
    expect(made.status).toBe(201);
    const receipts = new ReceiptsService(knex());
    await receipts.receiveBlock({ formType: 'SF-A5', series: 'E2E', from: '00000001', to: '00000050' }, ctx);
    await receipts.issueRange(
      { formType: 'SF-A5', series: 'E2E', from: '00000001', to: '00000050', cashier: CASHIER },
      { actor: 'manager' },
    );

    browser = await openBrowser();
    page = await openPage(browser);
    // The receipt opens in a tab of its own; the test reads it through the page's link instead.
    browser.context.on('page', (p) => void p.close().catch(() => undefined));
    await page.goto(`${t.app.url}/sign-in`);
    await page.locator('input[name=username]').fill(CASHIER);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=shell]').waitFor();
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('account, Enter, tendered, Enter, Enter: paid once, change shown, the receipt names form, account and amount', async () => {
    await page.goto(`${t.app.url}/counter`);
    await pickAccount(a.accountNo);
    expect(await page.locator('[data-test=counter-arrears]').innerText()).toBe('¥92.00');
    expect(await page.locator('input[data-test=amount]').inputValue()).toBe('92.00');
    expect(await page.locator('[data-test=debts] .el-table__body').innerText()).toContain('2026-01');
    // The bill unfolds into its tariff lines.
    await page.locator('[data-test=debts] .el-table__expand-icon').first().click();
    await page.locator('[data-test=debt-lines]').waitFor();
    expect(await page.locator('[data-test=debt-lines] .el-table__body').innerText()).toContain('第 1 阶');
    await page.locator('input[data-test=tendered]').focus();

    await page.keyboard.type('100');
    await page.locator('[data-test=change]', { hasText: '¥8.00' }).waitFor(); // live, before confirming
    expect(await page.locator('[data-test=capitals]').innerText()).toBe('玖拾贰元整');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=confirm-step]').waitFor();
    expect(await page.locator('[data-test=confirm-total]').innerText()).toBe('¥92.00');
    expect(await page.locator('[data-test=confirm-method]').innerText()).toBe('现金');
    expect(await page.locator('[data-test=confirm-change]').innerText()).toBe('¥8.00');
    await shot('counter-confirm');
    await page.keyboard.press('Enter');

    await page.locator('[data-test=paid]').waitFor();
    expect(await page.locator('[data-test=paid-change]').innerText()).toBe('¥8.00');
    const link = page.locator('a[data-test=receipt-pdf]');
    await link.waitFor();
    const formNo = (await page.locator('[data-test=receipt-form-no]').innerText()).trim();
    expect(formNo).toBe('00000001');
    // Ready for the next customer: the lookup has the cursor again.
    expect(await focused()).toBe('counter-search-input');
    await shot('counter-paid');

    expect(await paymentsOf(a.id)).toEqual([expect.objectContaining({ amountFen: BILL_FEN, cashier: CASHIER })]);
    const form = await knex()('cis.receipt_forms').where({ form_type: 'SF-A5', series: 'E2E', form_no: 1 }).first();
    expect(form).toMatchObject({ state: 'used', cashier: CASHIER });

    const href = (await link.getAttribute('href'))!;
    const bytes = await page.evaluate(async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      return [...new Uint8Array(await res.arrayBuffer())];
    }, href);
    const text = (await pdfText(new Uint8Array(bytes))).join('\n');
    expect(text).toContain(formNo);
    expect(text).toContain(a.accountNo);
    expect(text).toContain('92.00');
  });

  test('a double Enter on the confirm step posts one payment; a failed print reprints on the next form', async () => {
    await pickAccount(b.accountNo);
    await page.keyboard.type('92');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=confirm-step]').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=paid]').waitFor();
    await page.locator('[data-test=receipt-form-no]').waitFor();
    expect(await page.locator('[data-test=paid-change]').innerText()).toBe('¥0.00');
    const paid = await paymentsOf(b.id);
    expect(paid).toEqual([expect.objectContaining({ amountFen: BILL_FEN })]);
    expect(await knex()('cis.receipts').where({ batch: paid[0].batch }).count({ n: '*' })).toEqual([{ n: '1' }]);
    expect(await page.locator('[data-test=receipt-form-no]').innerText()).toBe('00000002');

    // The printer jammed: the form is spoilt and the same receipt prints on the next one.
    await page.locator('[data-test=print-failed]').click();
    await page.locator('[data-test=reprint-note]', { hasText: '00000003' }).waitFor();
    expect(await page.locator('[data-test=receipt-form-no]').innerText()).toBe('00000003');
    const states = await knex()('cis.receipt_forms')
      .where({ form_type: 'SF-A5', series: 'E2E' })
      .whereIn('form_no', [2, 3])
      .orderBy('form_no')
      .pluck('state');
    expect(states).toEqual(['print_failed', 'used']);
    expect(await paymentsOf(b.id)).toHaveLength(1);
  });

  test('the same day, the cashier reverses a payment from the last payments: the bill is open again', async () => {
    await page.keyboard.press('Escape');
    await pickAccount(b.accountNo, 'amount');
    expect(await page.locator('[data-test=counter-arrears]').innerText()).toBe('¥0.00');
    await page.locator('[data-test=last-payments] [data-test^=reverse-]').first().click();
    await page.locator('.el-message-box input').fill('收错户号');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--success').waitFor();
    await page.locator('[data-test=counter-arrears]', { hasText: '¥92.00' }).waitFor();
    expect(await knex()('cis.payment_reversals').count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  test("several accounts in one go: the customer's other account ticked, more than owed goes to credit, by card", async () => {
    await page.keyboard.press('Escape');
    await pickAccount(a.accountNo, 'amount');
    await page.keyboard.type('10');
    await page.locator(`[data-test=sibling-${sibling.accountNo}]`).click();
    expect(await page.locator(`input[data-test=sibling-amount-${sibling.accountNo}]`).inputValue()).toBe('92.00');
    await page.locator('[data-test=total]', { hasText: '¥102.00' }).waitFor();
    expect(await page.locator('[data-test=to-credit]').innerText()).toContain('10.00');
    await page.keyboard.press('F3');
    await page.locator('input[data-test=tendered]').waitFor({ state: 'detached' });
    await page.locator('input[data-test=amount]').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-test=confirm-method]').innerText()).toBe('银行卡');
    expect(await page.locator('[data-test=confirm-total]').innerText()).toBe('¥102.00');
    await shot('counter-siblings');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=paid-total]', { hasText: '102.00' }).waitFor();
    await page.locator('[data-test=receipt-form-no]').waitFor();
    expect((await paymentsOf(a.id)).map((p) => p.amountFen).sort()).toEqual([1000, BILL_FEN]);
    expect((await paymentsOf(sibling.id)).map((p) => p.amountFen)).toEqual([BILL_FEN]);
    const [{ method }] = await knex()('cis.payments').where({ account_id: sibling.id }).select('method');
    expect(method).toBe('card');
  });

  test('in English the counter labels carry no Chinese, and the F-keys switch the method', async () => {
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item', { hasText: 'English' }).click();
    await page.goto(`${t.app.url}/counter`);
    const placeholder = await page.locator('input[data-test=counter-search-input]').getAttribute('placeholder');
    expect(placeholder).not.toMatch(/\p{Script=Han}/u);
    await pickAccount(a.accountNo, 'amount');
    await page.keyboard.press('F3');
    await page.locator('[data-test=method-card].is-active').waitFor();
    // F4 is QR, F5 cheque — and F5 never reloads the page: the account stays on screen.
    await page.keyboard.press('F4');
    await page.locator('[data-test=method-qr].is-active').waitFor();
    await page.keyboard.press('F5');
    await page.locator('[data-test=method-cheque].is-active').waitFor();
    expect(await page.locator('[data-test=counter-account-no]').innerText()).toBe(a.accountNo);
    await page.keyboard.press('Alt+1');
    await page.locator('[data-test=method-cash].is-active').waitFor();
    const labels = await page
      .locator(
        [
          '[data-test=counter] .el-descriptions__label',
          '[data-test=counter] th',
          '[data-test=counter] button',
          '[data-test=counter] .field > span',
          '[data-test=counter] dt',
          '[data-test=counter] h3',
          '[data-test=counter] .hint',
          '[data-test=counter] .keys',
          '[data-test=counter] .el-table__empty-text',
          '[data-test=counter] .el-radio-button',
        ].join(', '),
      )
      .allInnerTexts();
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
    expect(await page.locator('[data-test=capitals]').count()).toBe(0);
    await shot('counter-english');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '中文' }).click();
  });

  test('日结: the day shows the forms used and the cash to hand over; after closing it is closed', async () => {
    // The cashier's own stock on 票据: the next form is the fifth; no stock keeping for a cashier.
    await page.goto(`${t.app.url}/receipts`);
    await page.locator('[data-test=my-next]', { hasText: 'SF-A5 E2E 00000005' }).waitFor();
    expect(await page.locator('[data-test=receive]').count()).toBe(0);
    await page.goto(`${t.app.url}/counter/close`);
    await page.locator('[data-test=close-cash]').waitFor();
    // Two bills of 92.00 in cash, one of them reversed the same day, and 10.00 + 92.00 by card; four forms gone
    // (1, 2 spoilt by the printer, 3, 4).
    expect(await page.locator('[data-test=forms-used]').innerText()).toBe('4');
    expect(await page.locator('[data-test=forms-print-failed]').innerText()).toBe('1');
    expect(await page.locator('[data-test=close-total]').innerText()).toBe('¥194.00');
    expect(await page.locator('[data-test=close-cash]').innerText()).toBe('¥92.00');
    expect(await page.locator('[data-test=close-methods] .el-table__body').innerText()).toContain('现金');
    await page.locator('[data-test=close-day]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=close-state]', { hasText: '已日结' }).waitFor();
    expect(await page.locator('[data-test=close-day]').count()).toBe(0);
    await shot('counter-daily-close');
    const session = await knex()('cis.cashier_sessions').where({ cashier: CASHIER }).first();
    expect(session.closed_at).not.toBeNull();
  });

  test('after the close a reversal needs approval: the cashier is offered the request, and the approval starts', async () => {
    await page.goto(`${t.app.url}/counter`);
    await pickAccount(sibling.accountNo, 'amount');
    await page.locator('[data-test=last-payments] [data-test^=reverse-]').first().click();
    await page.locator('.el-message-box input').fill('客户要求退回');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message-box', { hasText: '经理审批' }).waitFor();
    await page.locator('.el-message-box__btns .el-button--primary', { hasText: '提交申请' }).click();
    await page.locator('.el-message--success', { hasText: '冲正申请已提交' }).waitFor();
    expect(await knex()('cis.payment_reversals').count({ n: '*' })).toEqual([{ n: '1' }]); // nothing reversed yet
    const started = await t.client('manager').searchProcessInstances(
      { filter: { processDefinitionId: 'payment-reversal' as never } } as never,
      {
        consistency: { waitUpToMs: 5000 },
      } as never,
    );
    expect(started.items).toHaveLength(1);
  });

  test("a manager sees every cashier's close, the forms by state with a form's history, and the account's payments", async () => {
    await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, 'manager');
    await page.goto(`${t.app.url}/counter/closes`);
    await page.locator(`[data-test=close-${CASHIER}] [data-test=close-state]`, { hasText: '已日结' }).waitFor();
    expect(await page.locator(`[data-test=close-${CASHIER}] [data-test=close-cash]`).innerText()).toBe('¥92.00');

    await page.goto(`${t.app.url}/receipts`);
    await page.locator('[data-test=count-used]', { hasText: '已使用 3' }).waitFor();
    await page.locator('[data-test=count-issued]', { hasText: '已领用 46' }).waitFor();
    await page.locator('[data-test=count-print_failed]', { hasText: '打印失败 1' }).waitFor();
    await page.locator('[data-test=count-used]').click();
    await page.locator('[data-test=forms] .el-table__body tr', { hasText: '00000005' }).waitFor({ state: 'detached' });
    expect(await page.locator('[data-test=forms] .el-table__body tr').count()).toBe(3);
    await page
      .locator('[data-test=forms] .el-table__body tr', { hasText: '00000001' })
      .locator('[data-test=form-history-open]')
      .click();
    await page.locator('[data-test=form-history] .el-table__body', { hasText: '已领用 → 已使用' }).waitFor();
    // The domain's reasons are said in Chinese too: no English sentence in a Chinese dialog.
    const history = await page.locator('[data-test=form-history] .el-table__body').innerText();
    expect(history).toContain(`发放给 ${CASHIER}`);
    expect(history).not.toMatch(/received|issued|receipt of/);
    await shot('receipts-history');
    await page.keyboard.press('Escape');
    await page.locator('.el-tabs__item', { hasText: '票据版式' }).click();
    await page.locator('[data-test=layout-fields]').waitFor();
    // The editor starts from the default positions of a pre-printed form (the number box at 178 mm from the left,
    // 14 from the top); measured on the utility's own paper it sits at 180 and 15.
    const formNoRow = page.locator('[data-test=layout-fields] .el-table__body tr').first();
    const formNoAt = formNoRow.locator('.el-input-number input');
    expect(Number(await formNoAt.nth(0).inputValue())).toBe(178);
    expect(Number(await formNoAt.nth(1).inputValue())).toBe(14);
    await formNoAt.nth(0).fill('180');
    await page.keyboard.press('Tab');
    await formNoAt.nth(1).fill('15');
    await page.keyboard.press('Tab');
    await page.locator('[data-test=layout-save]').click();
    await page.locator('.el-message--success', { hasText: '版式已保存' }).waitFor();
    const sf = await knex()('cis.receipt_form_types').where({ code: 'SF' }).first('layout');
    expect(sf.layout.fields.formNo).toEqual({ xMm: 180, yMm: 15, widthMm: 45 });
    await shot('receipts-layouts');
    const calibration = await page.locator('[data-test=calibration]').getAttribute('href');
    expect(calibration).toMatch(/^\/api\/receipts\/form-types\/[A-Z0-9-]+\/calibration\.pdf$/);

    await page.goto(`${t.app.url}/customers/${b.accountNo}`);
    await page.locator('[data-test=account-money]').waitFor();
    expect(await page.locator('[data-test=money-arrears]').innerText()).toBe('¥92.00');
    expect(await page.locator('[data-test=account] [data-test=last-payments] .el-table__body').innerText()).toContain(
      '已冲正',
    );
  });
});
