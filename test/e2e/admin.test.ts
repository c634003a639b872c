import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// The admin screen at 1366×768: users and roles as the engine's identity API keeps them, in Chinese first.
describeWithBrowser('administration in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  // Shots wait for the screen's reload to finish, so they show the list, not the spinner over it.
  async function shot(name: string) {
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }
  async function fillUser(username: string, name: string, roles: string[]) {
    await page.locator('[data-test=user-username]').fill(username);
    await page.locator('[data-test=user-display-name]').fill(name);
    await page.locator('[data-test=user-password]').fill('initial-pass-1');
    for (const r of roles) await page.locator(`[data-test=user-role-${r}]`).click();
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, demoAccounts: 0 });
    browser = await openBrowser();
    page = await openPage(browser);
    page.on('pageerror', (err) => errors.push(err.message));
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('the admin opens the users screen from the menu, creates a clerk and sees her in the list', async () => {
    await signInAs('admin');
    await page.locator('[data-test=nav-admin]').hover();
    await page.locator('[data-test=nav-admin-users]').click();
    await page.locator('[data-test=users] .el-table__row', { hasText: 'Demo clerk' }).waitFor();
    // Roles show as words, never as the engine's ids.
    const clerkRow = page.locator('[data-test=users] .el-table__row', { hasText: 'Demo clerk' });
    expect(await clerkRow.innerText()).toContain('营业员');

    await page.locator('[data-test=user-create]').click();
    await fillUser('li.ming', '李明', ['clerk']);
    await page.locator('[data-test=user-submit]').click();
    const row = page.locator('[data-test=users] .el-table__row', { hasText: 'li.ming' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/李明[\s\S]*营业员[\s\S]*启用/);
    await shot('admin-users');

    // The engine's record of her is the one the screen showed.
    expect((await t.db.knex('cis.users').where({ username: 'li.ming' }).first('display_name')).display_name).toBe(
      '李明',
    );
  });

  test('worker with a person role: the engine refuses and the dialog says why, in Chinese', async () => {
    await page.locator('[data-test=user-create]').click();
    await fillUser('svc.mixed', '混合账号', ['clerk', 'worker']);
    await page.locator('[data-test=user-submit]').click();
    const error = page.locator('[data-test=user-error]');
    await error.waitFor();
    expect(await error.innerText()).toContain('不能与人员角色同时分配');
    expect(await error.innerText()).not.toMatch(/worker|INVALID_STATE|409/);
    await shot('admin-user-worker-conflict');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-test=users] .el-table__row', { hasText: 'svc.mixed' }).count()).toBe(0);
  });

  test('the admin deactivates the new clerk; the list says so', async () => {
    await page.locator('[data-test=user-deactivate-li\\.ming]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=user-status-li\\.ming]', { hasText: '已停用' }).waitFor();
  });

  test('roles and permissions: each role with its members and its permissions in words', async () => {
    await page.locator('[data-test=nav-admin]').hover();
    await page.locator('[data-test=nav-admin-roles]').click();
    await page.locator('[data-test=role-clerk]').click();
    const detail = page.locator('[data-test=role-detail]');
    await detail.locator('[data-test=role-members]', { hasText: 'Demo clerk' }).waitFor();
    const grants = await detail.locator('[data-test=role-authorizations]').innerText();
    expect(grants).toContain('发起流程');
    expect(grants).toContain('开户');
    expect(grants).not.toMatch(/CREATE_PROCESS_INSTANCE|PROCESS_DEFINITION/);
    // The shell scrolls inside its main area: a taller window shows the whole role in one shot.
    await page.setViewportSize({ width: 1366, height: 1200 });
    await shot('admin-roles');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  test('the admin grants the clerks "cancel instances" on every process, then takes it back', async () => {
    const row = page.locator('[data-test=role-authorizations] .el-table__row', { hasText: '查看流程定义' });
    await page.locator('[data-test=grant-permission-CANCEL_PROCESS_INSTANCE]').click();
    await page.locator('[data-test=grant-submit]').click();
    await row.locator('.el-tag', { hasText: '取消流程' }).waitFor();
    const grant = await t.db
      .knex('engine.authorizations')
      .where({ owner_type: 'ROLE', owner_id: 'clerk', resource_type: 'PROCESS_DEFINITION', resource_id: '*' })
      .first('permission_types');
    expect(grant.permission_types).toContain('CANCEL_PROCESS_INSTANCE');

    await row.locator('.el-tag', { hasText: '取消流程' }).locator('.el-tag__close').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await row.locator('.el-tag', { hasText: '取消流程' }).waitFor({ state: 'detached' });
    expect(await row.locator('.el-tag', { hasText: '查看任务' }).count()).toBe(1);
  });

  test('in English the same screen speaks English', async () => {
    await page.evaluate("localStorage.setItem('aquaflow.locale', 'en')");
    await page.goto(`${t.app.url}/admin/users`);
    const clerk = page.locator('[data-test=users] .el-table__row', { hasText: 'Demo clerk' });
    await clerk.waitFor();
    expect(await clerk.innerText()).toMatch(/Clerk[\s\S]*Active/);
    expect(await page.locator('[data-test=user-status-li\\.ming]').innerText()).toBe('Deactivated');
    await shot('admin-users-en');
    await page.evaluate("localStorage.setItem('aquaflow.locale', 'zh-CN')");
  });

  test('an auditor sees the screens without any button that changes something; a clerk has no menu entry', async () => {
    await signInAs('auditor');
    await page.goto(`${t.app.url}/admin/users`);
    await page.locator('[data-test=users] .el-table__row', { hasText: 'li.ming' }).waitFor();
    expect(await page.locator('[data-test=user-create]').count()).toBe(0);
    expect(await page.locator('[data-test^=user-edit-]').count()).toBe(0);
    await signInAs('clerk');
    expect(await page.locator('[data-test=nav-admin]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
