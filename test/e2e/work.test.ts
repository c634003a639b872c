import path from 'node:path';
import type { Page } from 'playwright-core';
import { createUser } from '../../server/auth/users.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// One server and one browser for the file: a clerk works a task through the inbox, a manager deploys version 2
// from the modeler, an auditor reads the finished instance's timeline.
describeWithBrowser('work in the browser: inbox, modeler, timeline', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let pi: string;

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }
  async function openTasks(pi: string, elementId: string) {
    const s = await t.signIn('manager');
    const r = await s.call('GET', '/api/tasks?view=all&limit=200');
    return (r.body.items as Array<Record<string, string>>).filter(
      (x) => x.processInstanceKey === pi && x.elementId === elementId,
    );
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true });
    await createUser(t.db.knex, { username: 'clerk2', displayName: '第二柜员', password: 'demo', roles: ['clerk'] });
    const created = await t.client('clerk').createProcessInstance({
      processDefinitionId: 'service-request' as never,
      variables: { customerName: '李四', subject: '<img src=x onerror=alert(1)> 水压低' },
    });
    pi = String(created.processInstanceKey);
    browser = await openBrowser();
    page = await openPage(browser);
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a clerk claims a task, fills its form and completes it; the process moves on; a second clerk cannot claim it', async () => {
    await signInAs('clerk');
    await page.locator('[data-test=view-group]').click();
    await page.locator('[data-test=task-review]').first().click();
    await page.locator('[data-test=claim]').click();
    await page.locator('[data-test=task-assignee]', { hasText: 'clerk' }).waitFor();
    // The second clerk is refused with a clear message.
    const [task] = await openTasks(pi, 'review');
    const clerk2 = await t.signIn('clerk2');
    const refused = await clerk2.call('POST', `/api/tasks/${task.userTaskKey}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('already claimed by clerk');

    const form = page.locator('[data-test=task-form]');
    await form.locator('input[name=subject], #fjs-form-subject, input').first().waitFor();
    // Prefilled and escaped: the script-bearing subject shows as text.
    expect(await form.innerText()).toBeDefined();
    expect(await page.content()).not.toContain('<img src=x');
    // Completing with an empty required field is refused by the form's validation.
    await page.locator('[data-test=complete]').click();
    await page.locator('[data-test=inbox-error]').waitFor();
    // One language (issue #20): the model's "审核意见 Review note" shows its Chinese half, form-js's own texts too.
    const labels = async () =>
      (await form.locator('.fjs-form-field-label, .fjs-inline-label').allInnerTexts()).map((l) => l.replace(/\*$/, ''));
    expect(await labels()).toEqual(expect.arrayContaining(['审核意见', '同意', '驳回']));
    expect((await labels()).join(' ')).not.toMatch(/[A-Za-z]{3,}/);
    expect(await form.locator('.fjs-form-field-error').first().innerText()).toBe('此项为必填项。');
    await form.locator('textarea').fill('资料齐全 <b>ok</b>');
    // Switched to English the form is drawn again in English, keeping what was typed; then back to Chinese.
    const switchTo = async (language: string) => {
      await page.locator('[data-test=language]').click();
      await page.locator('.el-select-dropdown__item', { hasText: language }).click();
    };
    await switchTo('English');
    await form.locator('.fjs-form-field-label', { hasText: 'Review note' }).waitFor();
    expect(await labels()).toEqual(expect.arrayContaining(['Review note', 'Approve', 'Reject']));
    expect((await labels()).join(' ')).not.toMatch(/\p{Script=Han}/u);
    expect(await form.locator('textarea').inputValue()).toBe('资料齐全 <b>ok</b>');
    await switchTo('中文');
    await form.locator('.fjs-form-field-label', { hasText: '审核意见' }).waitFor();
    // form-js radios answer the keyboard reliably in headless Chromium (a synthetic click toggles them twice).
    await form.locator('input[type=radio]').first().focus();
    await page.keyboard.press('Space');
    await form.locator('.fjs-checked').first().waitFor();
    await shot('inbox-task-form');
    await page.locator('[data-test=complete]').click();
    await page.waitForURL(/\/inbox$/);
    await page.locator('[data-test=view-group]').click();
    // The next step is open, and the inbox shows it without a reload.
    await page.locator('[data-test=task-confirm]').first().waitFor({ timeout: 15000 });
    expect(await openTasks(pi, 'confirm')).toHaveLength(1);
    await shot('inbox');
  });

  test('an auditor cannot complete a task', async () => {
    const [task] = await openTasks(pi, 'confirm');
    const auditor = await t.signIn('auditor');
    const r = await auditor.call('POST', `/api/tasks/${task.userTaskKey}/complete`, { variables: {} });
    expect(r.status).toBe(403);
    await signInAs('auditor');
    await page.goto(`${t.app.url}/inbox/${task.userTaskKey}`);
    await page.locator('[data-test=task-title]').waitFor();
    expect(await page.locator('[data-test=complete]').count()).toBe(0);
    expect(await page.locator('[data-test=claim]').count()).toBe(0);
  });

  test('a manager changes a diagram and deploys version 2', async () => {
    await signInAs('manager');
    await page.locator('[data-test=nav-modeler]').click();
    await page.locator('[data-test=edit-service-request-1]').click();
    await page.locator('.djs-container').waitFor();
    await page.locator('[data-test=lint-problems]').waitFor();
    const name = page.locator('#bio-properties-panel-name');
    if (!(await name.isVisible()))
      await page.locator('.bio-properties-panel-group-header', { hasText: 'General' }).first().click();
    await name.waitFor();
    await name.fill('服务申请 v2');
    await name.press('Tab');
    await shot('modeler');
    await page.locator('[data-test=deploy]').click();
    // Deploying asks first, with the version it creates (issue #20).
    await page.locator('[data-test=deploy-confirm]').waitFor();
    expect(await page.locator('[data-test=deploy-version]').innerText()).toBe('service-request：将创建 版本 2');
    await page.locator('[data-test=deploy-confirm-button]').click();
    await page.locator('.el-message--success').waitFor();
    const defs = await (await t.signIn('manager')).call('GET', '/api/processes');
    const versions = (defs.body.items as Array<{ processDefinitionId: string; version: number }>)
      .filter((d) => d.processDefinitionId === 'service-request')
      .map((d) => d.version);
    expect(versions).toContain(2);
  });

  test('an auditor opens a finished instance and sees every step with its actor', async () => {
    const clerk = await t.signIn('clerk');
    const [task] = await openTasks(pi, 'confirm');
    expect((await clerk.call('POST', `/api/tasks/${task.userTaskKey}/claim`)).status).toBe(204);
    expect((await clerk.call('POST', `/api/tasks/${task.userTaskKey}/complete`, { variables: {} })).status).toBe(204);
    await signInAs('auditor');
    await page.locator('[data-test=nav-instances]').click();
    await page.locator('[data-test=instance-list]').getByText(pi).click();
    await page.locator('[data-test=diagram] .djs-container').waitFor();
    await page.locator('[data-test=timeline] [data-test=actor]').first().waitFor();
    const rows = await page.locator('[data-test=timeline] .el-table__body tr').allInnerTexts();
    const text = rows.join('\n');
    // The steps by their names in the model, in the screen's language ("审核申请 Review request" → 审核申请).
    for (const step of ['审核申请', '回访确认']) expect(text).toContain(step);
    expect(text).not.toContain('Review request');
    expect(rows.some((r) => r.includes('clerk') && r.includes('审核申请'))).toBe(true);
    const diagram = await page.locator('[data-test=diagram]').innerText();
    expect(diagram).toContain('审核申请');
    expect(diagram).not.toContain('Review request');
    expect(text).toContain('reviewNote');
    expect(await page.locator('.djs-element.done').count()).toBeGreaterThan(2);
    await shot('timeline');
    await page.locator('[data-test=nav-incidents]').click();
    await page.locator('[data-test=incidents]').waitFor();
    await shot('incidents');
  });
});
