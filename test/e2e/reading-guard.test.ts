import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { openBook } from '../integration/metering-fixtures.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// Issue #20's guard before damage: 99,999 m³ keyed on a flat whose meter has no history is held before it is
// accepted, and the clerk answers it on the spot — confirms it, or keys the right figure — in the entry grid.
describeWithBrowser('the reading guard in the entry grid', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let book: Array<{ accountNo: string; serial: string | null }>;
  const row = (accountNo: string) => page.locator(`[data-test=row-${accountNo}]`);

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, workers: [] });
    book = await openBook(t.db.knex, 'GRD1', 2, { initialReading: '0' });
    browser = await openBrowser();
    page = await openPage(browser);
    await signIn(page, t.app.url, 'clerk');
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('an absurd first reading is held with its reason; the clerk corrects one and confirms the other', async () => {
    await page.goto(`${t.app.url}/metering/entry?book=GRD1&period=2025-02`);
    await row(book[0].accountNo).waitFor();
    await page.waitForFunction(`document.activeElement?.dataset.test === 'reading-input'`);
    for (const { accountNo } of book) {
      await page.keyboard.type('99999');
      await page.keyboard.press('Enter');
      const problem = row(accountNo).locator('[data-test=row-problem]');
      await problem.waitFor();
      expect(await problem.textContent()).toContain('超出合理上限');
      expect(await problem.textContent()).toContain('99999.000 m³');
    }
    expect(await t.db.knex('cis.readings').where({ status: 'accepted' }).count({ n: '*' })).toEqual([{ n: '0' }]);

    // the first was a typo: keyed again, it is accepted and the held one superseded
    const typo = row(book[0].accountNo).locator('[data-test=reading-input]');
    await typo.fill('12');
    await typo.press('Enter');
    await row(book[0].accountNo).locator('[data-test=consumption]', { hasText: '12.000' }).waitFor();
    // the second is real (a burst pipe the customer confirmed): the clerk confirms it as it stands
    await row(book[1].accountNo).locator('[data-test=row-confirm]').click();
    await row(book[1].accountNo).locator('[data-test=row-confirm]').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'metering-reading-guard.png') });
    const readings = await t.db.knex('cis.readings').orderBy('id').select('reading', 'status', 'failed_rule');
    expect(readings).toEqual([
      { reading: '99999.000', status: 'superseded', failed_rule: 'consumption_bound' },
      { reading: '99999.000', status: 'accepted', failed_rule: 'consumption_bound' },
      { reading: '12.000', status: 'accepted', failed_rule: null },
    ]);
    const audit = await t.db.knex('cis.audit_log').where({ entity: 'reading', action: 'confirmed' }).first('actor');
    expect(audit).toEqual({ actor: 'clerk' });
  });
});
