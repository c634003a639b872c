import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, openPage, SCREENSHOTS, submitSignIn, type Browser } from './browser.js';

// Each role lands where its work is (issue #20): signing in without a `next` page opens the role's own screen,
// and the inbox is one click from it. The inbox's list shows the case's customer and a priority word.
describeWithBrowser('each role lands on its work', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true });
    await t.client('clerk').createProcessInstance({
      processDefinitionId: 'service-request' as never,
      variables: { customerName: '王五', accountNo: 'A0000777', address: '和平街道 12 号', subject: '水压低' },
    });
    browser = await openBrowser();
    page = await openPage(browser);
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function signInFresh(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await page.goto(`${t.app.url}/sign-in`);
    await submitSignIn(page, username);
  }

  const landings: Array<[role: string, pathname: string, screen: string]> = [
    ['crew', '/field', 'field-page'],
    ['reader', '/reading', 'reading-mobile'],
    ['cashier', '/counter', 'counter'],
    ['dispatcher', '/repair/tickets', 'repair-tickets'],
    ['auditor', '/instances', 'instances'],
    ['manager', '/dashboard', 'dashboard'],
    ['clerk', '/inbox', 'inbox'],
  ];

  test.each(landings)('%s lands on %s, and the inbox is one click away', async (role, pathname, screen) => {
    await signInFresh(role);
    await page.locator(`[data-test=${screen}]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(pathname);
    if (role === 'manager') await page.locator('[data-test=dash-tasks-count]', { hasText: /^\d+$/ }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, `landing-${role}.png`) });
    if (role === 'clerk') return; // already there
    // In the shell the menu's inbox item; on the phone pages (crew, reader) a link in their header.
    const shell = await page.locator('[data-test=shell]').count();
    await page.locator(shell ? '[data-test=nav-inbox]' : '[data-test=to-inbox]').click();
    await page.locator('[data-test=inbox]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox');
  });

  test("the manager's overview counts open work and links each count to its screen", async () => {
    await signInFresh('manager');
    await page.locator('[data-test=dashboard]').waitFor();
    const tasks = page.locator('[data-test=dash-tasks-count]');
    await page.locator('[data-test=dash-group-clerk]').waitFor();
    expect(Number(await tasks.innerText())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-test=dash-group-clerk]').innerText()).toMatch(/^营业员: \d+$/);
    // every count read from its API: a number, not "not available"
    for (const tile of ['incidents', 'tickets', 'cases'])
      await page.locator(`[data-test=dash-${tile}-count]`, { hasText: /^\d+$/ }).waitFor();
    await page.locator('[data-test=dash-cases] a').click();
    await page.waitForURL(/\/cases$/);
    await page.locator('[data-test=dashboard]').waitFor({ state: 'detached' });
  });

  test('the task list shows the customer, account, address, the case in words and a priority word', async () => {
    await signInFresh('clerk');
    await page.locator('[data-test=view-group]').click();
    const row = page.locator('[data-test=task-list] tr', { has: page.locator('[data-test=task-review]') }).first();
    await row.waitFor();
    expect(await row.locator('[data-test=task-customer]').innerText()).toBe('王五');
    expect(await row.locator('[data-test=task-account]').innerText()).toBe('A0000777');
    expect(await row.locator('[data-test=task-address]').innerText()).toBe('和平街道 12 号');
    expect(await row.locator('[data-test=task-review]').innerText()).toBe('审核申请'); // one language per string
    expect(await row.locator('[data-test=task-process]').innerText()).toBe('服务申请'); // not "service-request"
    const priority = await row.locator('[data-test=task-priority]').innerText();
    expect(priority).toBe('中'); // the model's 60
    expect(priority).not.toMatch(/\d/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-business-columns.png') });
    // Giving a task back is not a rejection.
    await row.click();
    await page.locator('[data-test=claim]').click();
    const giveBack = page.locator('[data-test=unclaim]');
    await giveBack.waitFor();
    expect((await giveBack.innerText()).trim()).toBe('放回任务池');
    await giveBack.click();
    await page.locator('[data-test=claim]').waitFor();
  });
});
