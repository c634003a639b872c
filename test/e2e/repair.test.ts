import path from 'node:path';
import type { Page } from 'playwright-core';
import { openRepairAccount } from '../integration/repair-fixtures.js';
import type { TestAquaflow } from '../support/aquaflow.js';
import { eventually } from '../support/records.js';
import { startRepairApp } from '../support/repair-app.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// A real 1×1 PNG, so the ticket page can show it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// The agent takes a call at 1366×768; the dispatcher assigns the crew; the crew works the order on a phone (390×844).
describeWithBrowser('repair in the browser: call centre and the crew on a phone', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let accountNo: string;
  let ticketNo: string;

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }
  async function choose(selectTest: string, optionText: string) {
    await page.locator(`[data-test=${selectTest}]`).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
  }

  beforeAll(async () => {
    t = await startRepairApp({ buildWeb: true });
    accountNo = await openRepairAccount(t.db.knex, '林美华');
    browser = await openBrowser();
    page = await openPage(browser);
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`console: ${m.text()}\n`));
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('the agent finds the customer, sees address, meters and history, and takes the ticket', async () => {
    await signInAs('clerk');
    await page.goto(`${t.app.url}/repair/intake`);
    await page.locator('[data-test=repair-lookup]').fill('林美华');
    await page.locator('[data-test=repair-hits] .el-table__row', { hasText: accountNo }).click();
    await page.locator('[data-test=context-address]', { hasText: '和平街道' }).waitFor();
    await choose('category', '漏水');
    await page.locator('[data-test=description]').fill('<script>alert(1)</script> 水表井内漏水');
    // Without a phone the server names the field; the form keeps what was typed.
    await page.locator('[data-test=contact-phone]').fill('');
    await page.locator('[data-test=submit-ticket]').click();
    await page.locator('[data-test=intake-error]', { hasText: 'contactPhone' }).waitFor();
    expect(await page.locator('[data-test=description]').inputValue()).toContain('水表井内漏水');
    await page.locator('[data-test=contact-phone]').fill('13912345678');
    await page.locator('[data-test=submit-ticket]').click();
    const created = await page.locator('[data-test=ticket-created]').innerText();
    ticketNo = /RT-\d{8}-\d{4}/.exec(created)![0];
    await page.locator('[data-test=repair-history] .el-table__row', { hasText: ticketNo }).waitFor();
    // A second call for the same account: warned before anything is written; submitted again, it is taken.
    await page.locator('[data-test=submit-ticket]').click();
    await page.locator('[data-test=duplicate-before]', { hasText: ticketNo }).waitFor();
    expect(await t.db.knex('cis.repair_tickets').count({ n: '*' })).toEqual([{ n: '1' }]);
    await page.locator('[data-test=submit-ticket]', { hasText: '仍要新建工单' }).click();
    await page.locator('[data-test=duplicate-warning]', { hasText: ticketNo }).waitFor();
    expect(await t.db.knex('cis.repair_tickets').count({ n: '*' })).toEqual([{ n: '2' }]);
    await shot('repair-intake');
    expect(await page.content()).not.toContain('<script>alert(1)</script> 水表');
  });

  test('the dispatcher sends the crew; the crew opens its work order on a phone, records arrival, result and photos, completes', async () => {
    // The dispatcher picks the crew on the tickets screen (the inbox's dispatch form is the other way in).
    await signInAs('dispatcher');
    await page.goto(`${t.app.url}/repair/tickets`);
    await page.locator(`[data-test=dispatch-${ticketNo}]`).click();
    await choose('dispatch-crew', '(crew)');
    await page.locator('[data-test=dispatch-instructions]').fill('带 DN20 闸阀');
    await shot('repair-dispatch');
    await page.locator('[data-test=dispatch-submit]').click();
    const dispatcher = await t.signIn('dispatcher');
    await eventually(
      async () => (await dispatcher.call('GET', `/api/repair/tickets/${ticketNo}`)).body.status === 'dispatched',
    );

    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs('crew');
    await page.goto(`${t.app.url}/field`);
    await page.locator(`[data-test=field-order-${ticketNo}]`).click();
    await page.locator('[data-test=field-detail]', { hasText: '和平街道' }).waitFor();
    await page.locator('[data-test=field-arrive]').click();
    await page.locator('[data-test=field-arrived]').waitFor();
    await page.locator('[data-test=field-result]').fill('更换水表前阀门，试压正常');
    await page.locator('[data-test=field-add-material]').click();
    await page.locator('[data-test=material-name-0]').fill('闸阀 DN20');
    // A file that is no image is refused by name; the result typed so far stays.
    await page.locator('[data-test=field-photos]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not a photo'),
    });
    await page.locator('[data-test=field-error]', { hasText: 'photos[notes.txt]' }).waitFor();
    expect(await page.locator('[data-test=field-result]').inputValue()).toBe('更换水表前阀门，试压正常');
    await page
      .locator('[data-test=field-photos]')
      .setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-test=field-uploaded]').waitFor();
    await shot('repair-field');
    await page.locator('[data-test=field-complete]').click();
    await page.locator('[data-test=field-done]').waitFor();
    expect(await page.locator(`[data-test=field-order-${ticketNo}]`).count()).toBe(0);

    const clerk = await t.signIn('clerk');
    const done = (await clerk.call('GET', `/api/repair/tickets/${ticketNo}`)).body as Record<string, never>;
    expect(done.status).toBe('completed');
    expect(done.results).toEqual([
      expect.objectContaining({
        result: '更换水表前阀门，试压正常',
        materials: [expect.objectContaining({ name: '闸阀 DN20' })],
      }),
    ]);
  });

  test('the ticket page shows the result, the work order prints and the photo; script text stays text', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInAs('clerk');
    await page.goto(`${t.app.url}/repair/tickets/${ticketNo}`);
    await page.locator('[data-test=ticket-result]', { hasText: '试压正常' }).waitFor();
    expect(await page.locator('[data-test=ticket-description]').innerText()).toContain('<script>alert(1)</script>');
    await page.locator('[data-test=work-orders] .el-table__row', { hasText: 'crew' }).waitFor();
    await page.locator('[data-test=ticket-photo] img').waitFor();
    expect(
      await page
        .locator('[data-test=ticket-photo] img')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(1);
    await shot('repair-ticket');

    // The report for managers: by category and status, time per step from the process timelines, per crew.
    await signInAs('manager');
    await page.goto(`${t.app.url}/repair/stats`);
    await page.locator('[data-test=repair-steps] .el-table__row', { hasText: '现场维修' }).waitFor();
    await shot('repair-stats');
  });
});
