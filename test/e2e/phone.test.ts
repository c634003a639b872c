import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// A phone (390×844): the shell folds its navigation behind a menu button; the field pages fit the width.
describeWithBrowser('phone layout', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  // Sideways scrolling in px (the test's tsconfig has no DOM types, so the expression travels as text).
  const overflow = () => page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 3 });
    browser = await openBrowser();
    page = await openPage(browser, { width: 390, height: 844 });
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a clerk on a phone: navigation folded behind the menu button, pages without sideways scrolling', async () => {
    await signIn(page, t.app.url, 'clerk');
    await page.locator('[data-test=inbox]').waitFor();
    expect(await page.locator('[data-test=nav]').isVisible()).toBe(false);
    expect(await page.locator('[data-test=nav-toggle]').isVisible()).toBe(true);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('phone-inbox');

    await page.locator('[data-test=nav-toggle]').click();
    await page.locator('[data-test=nav]').waitFor();
    const inbox = await page.locator('[data-test=nav-inbox]').boundingBox();
    const customers = await page.locator('[data-test=nav-customers]').boundingBox();
    expect(customers!.y).toBeGreaterThan(inbox!.y); // stacked, not side by side
    await shot('phone-menu');
    await page.locator('[data-test=nav-customers]').click();
    await page.waitForURL(/\/customers/);
    await page.locator('[data-test=nav]').waitFor({ state: 'hidden' }); // closes after choosing

    const accountNo = (await t.db.knex('cis.accounts').orderBy('account_no').first('account_no')).account_no;
    await page.locator('input[data-test=lookup]').fill(accountNo);
    await page.locator('[data-test=hits] .el-table__body tr', { hasText: accountNo }).click();
    await page.locator('[data-test=account]').waitFor();
    const lookup = await page.locator('input[data-test=lookup]').boundingBox();
    const account = await page.locator('[data-test=account]').boundingBox();
    expect(account!.y).toBeGreaterThan(lookup!.y); // one column: the account below the lookup
    expect(account!.width).toBeLessThanOrEqual(390);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('phone-customer');
  });

  test('at desktop width the navigation is a bar again, without the menu button', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('[data-test=nav]').waitFor();
    expect(await page.locator('[data-test=nav-toggle]').count()).toBe(0);
    expect(await page.locator('[data-test=current-user]').isVisible()).toBe(true);
  });
});
