import path from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { openBook } from '../integration/metering-fixtures.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// Meter reading in the browser: a reader keys a whole book in the entry grid with the keyboard only, then reads a
// book on the phone page.
describeWithBrowser('meter reading in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let book: Array<{ accountNo: string; serial: string | null }>;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  // The row of the focused element (strings: the test's TypeScript has no DOM types).
  const focusedRow = () => page.evaluate(`document.activeElement?.closest('tr')?.dataset.test ?? null`);
  const row = (accountNo: string) => page.locator(`[data-test=row-${accountNo}]`);

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, workers: [] });
    book = await openBook(t.db.knex, 'E2E1', 3, { initialReading: '100' });
    browser = await openBrowser();
    page = await openPage(browser);
    await signIn(page, t.app.url, 'reader');
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('hand entry: Enter saves and moves on, a held reading shows its rule inline, a bad number stays put', async () => {
    await page.goto(`${t.app.url}/metering/entry?book=E2E1&period=2026-11`);
    await row(book[0].accountNo).waitFor();
    expect(await row(book[0].accountNo).locator('[data-test=previous]').textContent()).toBe('100.000');
    await page.waitForFunction(`document.activeElement?.dataset.test === 'reading-input'`);
    expect(await focusedRow()).toBe(`row-${book[0].accountNo}`);

    await page.keyboard.type('110');
    await page.keyboard.press('Enter');
    await row(book[0].accountNo).locator('[data-test=row-status]').waitFor();
    expect(await row(book[0].accountNo).locator('[data-test=consumption]').textContent()).toBe('10.000');
    expect(await focusedRow()).toBe(`row-${book[1].accountNo}`);

    await page.keyboard.type('90');
    await page.keyboard.press('Enter');
    const problem = row(book[1].accountNo).locator('[data-test=row-problem]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('负用量'); // the rule, translated, with its explanation
    expect(await problem.textContent()).toContain('比上次读数少 10.000 m³');
    expect(await focusedRow()).toBe(`row-${book[2].accountNo}`);

    await page.keyboard.type('12,5');
    await page.keyboard.press('Enter');
    await row(book[2].accountNo).locator('[data-test=row-error]').waitFor();
    expect(await row(book[2].accountNo).locator('[data-test=row-error]').textContent()).toContain('reading');
    expect(await focusedRow()).toBe(`row-${book[2].accountNo}`);
    // The text is selected again: typing replaces it.
    await page.keyboard.type('125');
    await page.keyboard.press('Enter');
    await row(book[2].accountNo).locator('[data-test=row-status]').waitFor();
    expect(await page.locator('[data-test=progress]').textContent()).toContain('3 / 3');
    await shot('metering-entry');

    const readings = await t.db.knex('cis.readings').orderBy('id').select('reading', 'status', 'source', 'reader');
    expect(readings).toEqual([
      { reading: '110.000', status: 'accepted', source: 'manual', reader: 'reader' },
      { reading: '90.000', status: 'pending', source: 'manual', reader: 'reader' },
      { reading: '125.000', status: 'accepted', source: 'manual', reader: 'reader' },
    ]);

    // Back on the page: accepted rows are locked, the held one is where the cursor starts; arrows move between rows.
    await page.reload();
    await row(book[0].accountNo).waitFor();
    expect(await row(book[0].accountNo).locator('input').isDisabled()).toBe(true);
    await page.waitForFunction(`document.activeElement?.dataset.test === 'reading-input'`);
    expect(await focusedRow()).toBe(`row-${book[1].accountNo}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('104');
    await page.keyboard.press('Enter');
    await row(book[1].accountNo).locator('[data-test=row-status]', { hasText: '已接受' }).waitFor();
    expect(await row(book[1].accountNo).locator('[data-test=consumption]').textContent()).toBe('4.000');
  });

  test('phone page: the next meter of the reader own book, reading typed, next one', async () => {
    const phoneBook = await openBook(t.db.knex, 'E2E0', 2, { initialReading: '7' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${t.app.url}/reading`);
    const current = page.locator('[data-test=mobile-current]');
    await current.waitFor();
    expect(await current.textContent()).toContain(phoneBook[0].accountNo);
    expect(await page.locator('[data-test=mobile-previous]').textContent()).toBe('7.000');
    await page.locator('[data-test=mobile-reading]').fill('19');
    await page.locator('[data-test=mobile-submit]').click();
    await page.locator('[data-test=mobile-last]', { hasText: phoneBook[0].accountNo }).waitFor();
    expect(await current.textContent()).toContain(phoneBook[1].accountNo);
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await shot('metering-phone');
    const [r] = await t.db.knex('cis.readings').where({ source: 'mobile' });
    expect(r).toMatchObject({ reading: '19.000', consumption: '12.000', status: 'accepted' });
  });

  test('handheld page: a GBK results file uploaded, its report read line by line, the good lines confirmed', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const csv = ['表号,本次读数,备注', `${book[0].serial},130,`, 'NO-SUCH,5,', `${book[0].serial},131,重复`].join(
      '\r\n',
    );
    const other = await openBook(t.db.knex, 'E2E3', 1, { initialReading: '1' });
    const file = csv + `\r\n${other[0].serial},3,门口`;
    await page.goto(`${t.app.url}/metering/import?book=E2E3&period=2026-12`);
    await page.locator('[data-test=file]').setInputFiles({
      name: 'results.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(file, 'gbk'),
    });
    await page.locator('[data-test=upload]').click();
    const counts = page.locator('[data-test=counts]');
    await counts.waitFor();
    expect(await counts.textContent()).toContain('GBK');
    const lines = page.locator('[data-test=lines]');
    expect(await lines.textContent()).toContain('不属于本抄表本'); // line 2: E2E1's meter in book E2E3
    expect(await lines.textContent()).toContain('表号不存在');
    expect(await lines.textContent()).toContain('表号重复');
    expect(await t.db.knex('cis.readings').where({ source: 'handheld' })).toHaveLength(0);
    await shot('metering-import');
    await page.locator('[data-test=confirm]').click();
    await page.locator('[data-test=imported]').waitFor();
    const imported = await t.db.knex('cis.readings').where({ source: 'handheld' });
    expect(imported).toEqual([expect.objectContaining({ reading: '3.000', consumption: '2.000', note: '门口' })]);
  });
});
