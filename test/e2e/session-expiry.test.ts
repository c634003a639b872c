import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, openPage, submitSignIn } from './browser.js';

// A clerk's session ends while a task form is open: completing sends them to sign in with a message, and after
// signing back in the task opens again with everything they typed.
const now = { consistency: { waitUpToMs: 0 } };

describeWithBrowser('expired session with an open task form', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let pi: string;

  async function openTasks(elementId: string) {
    const s = await t.signIn('manager');
    const r = await s.call('GET', '/api/tasks?view=all&limit=200');
    return (r.body.items as Array<Record<string, string>>).filter(
      (x) => x.processInstanceKey === pi && x.elementId === elementId,
    );
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true });
    const created = await t.client('clerk').createProcessInstance({
      processDefinitionId: 'service-request' as never,
      variables: { customerName: '王五', subject: '水表漏水' },
    });
    pi = String(created.processInstanceKey);
    browser = await openBrowser();
    page = await openPage(browser);
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('completing after the session ended: sign-in with a message, back at the task with the typed values, completed', async () => {
    const [task] = await openTasks('review');
    const taskUrl = `/inbox/${task.userTaskKey}`;
    await page.goto(`${t.app.url}${taskUrl}`);
    await page.waitForURL(/\/sign-in\?next=/); // not signed in yet: the return path is kept from the start
    expect(await page.locator('[data-test=session-expired]').count()).toBe(0); // a first visit is not an expiry
    await submitSignIn(page, 'clerk');
    await page.waitForURL((u) => u.pathname === taskUrl);
    await page.locator('[data-test=claim]').click();
    await page.locator('[data-test=task-assignee]', { hasText: 'clerk' }).waitFor();

    const form = page.locator('[data-test=task-form]');
    const note = '现场核实，<b>阀门</b>需更换';
    await form.locator('textarea').fill(note);
    await form.locator('textarea').blur(); // form-js debounces typing; leaving the field hands the value on
    // form-js radios answer the keyboard reliably in headless Chromium (a synthetic click toggles them twice).
    await form.locator('input[type=radio]').first().focus();
    await page.keyboard.press('Space');
    await form.locator('.fjs-checked').first().waitFor();
    const chosen = await form.locator('.fjs-checked').first().innerText();

    // The session ends on the server (as when its time runs out) right after an inbox poll, so the next request
    // to notice it is the completion, not the poll.
    await page.waitForResponse((r) => r.url().includes('/api/tasks?'));
    const clerk = await t.db.knex('cis.users').where({ username: 'clerk' }).first('id');
    const ended = await t.db
      .knex('cis.sessions')
      .where({ user_id: clerk.id })
      .update({ expires_at: t.db.knex.raw(`now() - interval '1 second'`) });
    expect(ended).toBeGreaterThan(0);

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/complete')),
      page.locator('[data-test=complete]').click(),
    ]);
    expect(refused.status()).toBe(401);
    await page.waitForURL((u) => u.pathname === '/sign-in');
    const back = new URL(page.url());
    expect(back.searchParams.get('next')).toBe(taskUrl);
    expect(await page.locator('[data-test=session-expired]').innerText()).toContain('登录已过期');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'session-expired.png') });
    expect(await openTasks('review')).toHaveLength(1); // nothing was completed

    await submitSignIn(page, 'clerk');
    await page.waitForURL((u) => u.pathname === taskUrl);
    await expect(form.locator('textarea').inputValue()).resolves.toBe(note);
    expect(await form.locator('.fjs-checked').first().innerText()).toBe(chosen);

    await page.locator('[data-test=complete]').click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    expect(await openTasks('review')).toHaveLength(0);
    expect(await openTasks('confirm')).toHaveLength(1); // the process moved on
    // The completion stored what was typed before the expiry, and the draft is gone.
    const variables = await t
      .client('manager')
      .searchVariables({ filter: { processInstanceKey: pi as never, name: 'reviewNote' } }, now);
    expect(variables.items.map((v) => JSON.parse(v.value))).toEqual([note]);
    expect(await page.evaluate(`Object.keys(sessionStorage).filter((k) => k.startsWith('aquaflow.draft.'))`)).toEqual(
      [],
    );
  });
});
