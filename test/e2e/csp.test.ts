import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import {
  cspViolations,
  describeWithBrowser,
  openBrowser,
  openPage,
  SCREENSHOTS,
  signIn,
  type Browser,
} from './browser.js';

// The web app is served with a strict Content-Security-Policy (server/http/security-headers.ts). A tour of the
// main screens in Chromium, with the libraries that need the most (Element Plus, bpmn-js modeler and viewer,
// form-js, ECharts), must not trip it. browser.ts also fails every other browser test file on a violation.
describeWithBrowser('Content-Security-Policy in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let pi: string;

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

  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }

  async function visit(pathname: string, ready: string) {
    await page.goto(`${t.app.url}${pathname}`);
    await page.locator(ready).first().waitFor({ timeout: 20000 });
    await page.waitForLoadState('networkidle');
  }

  test('the app page carries the policy, and the sign-in page and the main screens work under it', async () => {
    const res = await page.goto(`${t.app.url}/sign-in`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    await page.locator('[data-test=sign-in-form]').waitFor();

    // A clerk: inbox with a task form (form-js), customer lookup and an account page.
    await signInAs('clerk');
    await page.locator('[data-test=view-group]').click();
    await page.locator('[data-test=task-review]').first().click();
    await page.locator('[data-test=task-form]').waitFor();
    await page.waitForLoadState('networkidle');
    const account = await t.db.knex('cis.accounts').first('account_no');
    await visit('/customers', '[data-test=shell]');
    if (account) await visit(`/customers/${account.account_no}`, '[data-test=shell]');
    await visit('/metering/entry', '[data-test=shell]');
    await visit('/metering/import', '[data-test=shell]');

    // A manager: the modeler with a diagram and its properties panel (bpmn-js), billing, incidents.
    await signInAs('manager');
    await visit('/modeler', '[data-test=definitions]');
    await page.locator('[data-test=import-file]').setInputFiles({
      name: 'service-request.bpmn',
      mimeType: 'application/xml',
      buffer: fs.readFileSync(path.resolve('processes/demo/service-request.bpmn')),
    });
    await page.locator('.djs-container').waitFor();
    await page.locator('.djs-element[data-element-id=review]').click();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'csp-modeler.png') });
    await visit('/billing', '[data-test=shell]');
    await visit('/incidents', '[data-test=shell]');
    await visit('/repair/stats', '[data-test=shell]');

    // An auditor: the instance list and an instance's timeline with its diagram (bpmn-js viewer).
    await signInAs('auditor');
    await visit('/instances', '[data-test=shell]');
    await visit(`/instances/${pi}`, '[data-test=diagram] .djs-container');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'csp-timeline.png') });

    // Phone pages of the field staff.
    await signInAs('reader');
    await visit('/reading', 'body');
    await signInAs('crew');
    await visit('/field', 'body');

    expect(cspViolations).toEqual([]);
  });
});
