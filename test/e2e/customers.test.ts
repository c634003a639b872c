import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// The customer 360 in a browser: codes shown as Chinese words, and a clerk starting 过户 from the account page.
describeWithBrowser('customer 360 in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let accountNo: string;

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 5 });
    const row = await t.db.knex('cis.accounts').where({ status: 'active' }).orderBy('account_no').first('account_no');
    accountNo = row.account_no;
    await t.client('clerk').createProcessInstance({
      processDefinitionId: 'service-request' as never,
      variables: { customerName: '另一位客户', subject: '水压低' },
    });
    browser = await openBrowser();
    page = await openPage(browser);
    await signIn(page, t.app.url, 'clerk');
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('the account page shows status, class, payment method and meter status in Chinese, never the raw codes', async () => {
    await page.locator('[data-test=nav-customers]').click();
    await page.locator('input[data-test=lookup]').fill(accountNo);
    await page.locator('[data-test=hits] .el-table__body tr', { hasText: accountNo }).click();
    await page.locator('[data-test=account]').waitFor();
    expect((await page.locator('[data-test=account-status]').innerText()).trim()).toBe('正常');
    expect(['居民', '非居民', '特种行业']).toContain(
      (await page.locator('[data-test=customer-class]').innerText()).trim(),
    );
    expect(['柜台缴费', '银行代扣', 'IC 卡预付']).toContain(
      (await page.locator('[data-test=payment-method]').innerText()).trim(),
    );
    const meters = await page.locator('[data-test=account-meters] .el-table__body').innerText();
    expect(meters).toContain('在用');
    const text = await page.locator('[data-test=account]').innerText();
    for (const code of ['active', 'in_service', 'residential', 'bank_debit', 'counter', 'ordinary', 'ACTIVE'])
      expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
    // The role tag in the header is a word too.
    expect(await page.locator('[data-test=shell] .el-header').innerText()).toContain('营业员');
    await shot('customer-360');
  });

  test('a clerk starts 过户 from the account page: the case is listed, its first task is in the inbox', async () => {
    await page.locator('[data-test=start-account-transfer]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--success').waitFor();
    const cases = page.locator('[data-test=account-cases] .el-table__body tr', { hasText: '过户' });
    await cases.first().waitFor();
    expect(await cases.first().innerText()).toContain('进行中');
    await shot('customer-360-case-started');
    await page.locator('[data-test=nav-inbox]').click();
    await page.locator('[data-test=view-group]').click();
    await page.locator('[data-test=task-application]').first().waitFor();
    // Another customer's task is in the same view until the inbox is filtered by this account's number.
    await page.locator('[data-test=task-review]').first().waitFor();
    await page.locator('input[data-test=filter-customer]').fill(accountNo);
    await page.locator('input[data-test=filter-customer]').press('Enter');
    await page.locator('[data-test=task-review]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-test=task-application]').count()).toBe(1);
    expect(await page.locator('[data-test=task-account]').first().innerText()).toContain(accountNo);
    await shot('inbox-filtered-by-customer');
    await page.locator('[data-test=task-application]').click();
    expect(await page.locator('[data-test=task-state]').innerText()).toBe('待办理');
    const r = await (await t.signIn('clerk')).call('GET', '/api/tasks?view=group&process=account-transfer');
    expect((r.body.items as unknown[]).length).toBe(1);
  });

  test("a manager opens a case's timeline from the account page", async () => {
    await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, 'manager');
    await page.goto(`${t.app.url}/customers/${accountNo}`);
    await page.locator('[data-test=account-cases] .el-table__body tr', { hasText: '过户' }).first().click();
    await page.waitForURL(/\/instances\/\d+$/);
    await page.locator('[data-test=diagram] .djs-container').waitFor();
    expect(await page.locator('[data-test=instance-state]').innerText()).toBe('进行中');
  });
});
