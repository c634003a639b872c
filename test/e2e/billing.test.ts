import path from 'node:path';
import type { Page } from 'playwright-core';
import { BILLING_WORKERS } from '../processes/billing-harness.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { BillingService } from '../../domain/billing/service.js';
import { addReading, billingAccount } from '../support/billing.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// A manager starts the month's bill run from the bill runs page at 1366×768 and sees it finish.
describeWithBrowser('bill runs in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let rebilled: { id: number; accountNo: string };

  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 0, workers: BILLING_WORKERS });
    const a = await billingAccount(t.db.knex);
    await addReading(t.db.knex, a.id, '2026-06', '25');
    // An account with two posted months (April 100 m³, May 100 m³) whose April reading is then corrected to 70.
    rebilled = await billingAccount(t.db.knex);
    const billing = new BillingService(t.db.knex);
    const april = await addReading(t.db.knex, rebilled.id, '2026-04', '100');
    await addReading(t.db.knex, rebilled.id, '2026-05', '100');
    for (const period of ['2026-04', '2026-05']) {
      const run = await billing.createRun({ period }, { actor: 'manager' });
      await billing.computeRun(run.id);
      await billing.postRun(run.id, [], `${period}-28`, { actor: 'manager' });
    }
    // corrected in place, as the reading-correction API does (a new reading would be a late one, billed by the
    // next run on its own)
    await t.db.knex('cis.readings').where({ id: april }).update({ reading: '70', consumption: '70' });
    browser = await openBrowser();
    page = await openPage(browser);
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a manager picks the month and starts the run; the list shows it done with full progress', async () => {
    await signInAs('manager');
    await page.locator('[data-test=nav-billing]').click();
    await page.locator('[data-test=runs]').waitFor();
    await page.locator('[data-test=run-period] input').fill('2026-06');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=run-start]').click();
    await page.locator('[data-test=run-status-2026-06]', { hasText: '已完成' }).waitFor({ timeout: 30000 });
    await page
      .locator('[data-test=runs] tr', { hasText: '2026-06' })
      .locator('[role=progressbar][aria-valuenow="100"]')
      .waitFor();
    expect(await page.locator('[data-test=runs]').innerText()).toContain('1 / 1');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'billing-runs.png'), fullPage: true });
  });

  test('a cashier sees the runs but no start button; the auditor too', async () => {
    for (const user of ['cashier', 'auditor']) {
      await signInAs(user);
      await page.goto(`${t.app.url}/billing`);
      await page.locator('[data-test=run-status-2026-06]').waitFor();
      expect(await page.locator('[data-test=start-run]').count()).toBe(0);
    }
  });

  test('a clerk re-bills April from the account page: the preview shows May following, one confirmation posts both', async () => {
    await signInAs('clerk');
    await page.goto(`${t.app.url}/customers/${rebilled.accountNo}`);
    await page.locator('[data-test=rebill-2026-04]').click();
    await page.locator('input[data-test=rebill-reason]').fill('四月读数抄错'); // ElInput puts attributes on its input
    await page.locator('[data-test=rebill-preview-button]').click();
    const preview = page.locator('[data-test=rebill-preview] .el-table__body');
    await preview.waitFor();
    // April 100 → 70 m³: 46000 → 32200 fen; May on 70–170 instead of 100–200: 100 × 460 = 46000 → 46000, but
    // 200 crossed 180 before: 80 × 345 + 20 × 483 + 100 × 115 = 48760 → 46000.
    const rows = await preview.innerText();
    expect(rows).toContain('¥460.00 → ¥322.00');
    expect(rows).toContain('¥487.60 → ¥460.00');
    expect(rows).toContain('随之重算');
    expect(await page.locator('[data-test=rebill-total]').innerText()).toContain('-165.60');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'billing-rebill-preview.png') });
    await page.locator('[data-test=rebill-confirm]').click();
    await page.locator('.el-message--success').waitFor();
    const current = await t.db
      .knex('cis.bills')
      .where({ account_id: rebilled.id, status: 'posted' })
      .orderBy('period')
      .pluck('amount_fen');
    expect(current.map(Number)).toEqual([32200, 46000]);
    // the list shows the new April bill once it has reloaded
    await page.locator('[data-test=account-bills] .el-table__body', { hasText: '322.00' }).waitFor();
  });

  test('a cashier sees the bills but no re-bill button', async () => {
    await signInAs('cashier');
    await page.goto(`${t.app.url}/customers/${rebilled.accountNo}`);
    await page.locator('[data-test=account-bills]').waitFor();
    expect(await page.locator('[data-test^=rebill-]').count()).toBe(0);
  });

  test('a clerk records a household size change (户口) on the account page; the list shows it', async () => {
    await signInAs('clerk');
    await page.goto(`${t.app.url}/customers/${rebilled.accountNo}`);
    await page.locator('[data-test=household-change]').click();
    await page.getByPlaceholder('生效日期').fill('2026-06-01');
    await page.keyboard.press('Enter');
    await page.locator('.el-dialog .el-input-number input').fill('6');
    await page.getByPlaceholder('户口本编号').fill('户-2026-0001');
    await page.locator('[data-test=household-save]').click();
    await page.locator('[data-test=household-changes] .el-table__body', { hasText: '户-2026-0001' }).waitFor();
    const text = await page.locator('[data-test=household-changes] .el-table__body').innerText();
    expect(text).toContain('2026-06-01');
    expect(text).toContain('3 → 6');
    const row = await t.db.knex('cis.household_changes').where({ document_ref: '户-2026-0001' }).first('persons');
    expect(row.persons).toBe(6);
  });
});
