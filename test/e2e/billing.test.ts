import path from 'node:path';
import type { Page } from 'playwright-core';
import { BILLING_WORKERS } from '../processes/billing-harness.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { addReading, billingAccount } from '../support/billing.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// A manager starts the month's bill run from the bill runs page at 1366×768 and sees it finish.
describeWithBrowser('bill runs in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;

  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 0, workers: BILLING_WORKERS });
    const a = await billingAccount(t.db.knex);
    await addReading(t.db.knex, a.id, '2026-06', '25');
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
    await page.locator('[data-test=runs] [role=progressbar][aria-valuenow="100"]').waitFor();
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
});
