import path from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { insertCase, pdfFile } from '../integration/case-documents-fixtures.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, openPage, SCREENSHOTS, signIn, type Browser } from './browser.js';

const CASE = 'YW-20261207-0077';

// The documents panel on the case page: a clerk uploads a site photo and a drawing (PDF), previews both, and
// uploads a second version of the drawing; the first version stays in its history.
describeWithBrowser('case documents in the browser: upload, versions, preview', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;

  const panel = () => page.locator('[data-test=case-documents]');
  const row = (text: string) =>
    panel().locator('[data-test=documents-table] .el-table__row', { hasText: text }).first();
  async function choose(selectTest: string, optionText: string) {
    await page.locator(`[data-test=${selectTest}]`).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
  }
  async function uploadFile(name: string, mimeType: string, buffer: Buffer) {
    await page.locator('[data-test=document-file]').setInputFiles({ name, mimeType, buffer });
    await page.locator('[data-test=document-submit]').click();
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ demoAccounts: 0, buildWeb: true, deployProcesses: false });
    await insertCase(t.db.knex, CASE, '赵六');
    browser = await openBrowser();
    page = await openPage(browser);
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a clerk uploads a photo and a PDF drawing, previews both, and adds a second version of the drawing', async () => {
    await signIn(page, t.app.url, 'clerk');
    await page.goto(`${t.app.url}/cases/${CASE}`);
    await panel().waitFor();

    await choose('document-kind', '现场照片');
    await uploadFile('水表井.png', 'image/png', await QRCode.toBuffer(CASE, { width: 240 }));
    await row('水表井.png').waitFor();

    await choose('document-kind', '设计图纸');
    await page.locator('[data-test=document-upload] input:not([type=file])').last().fill('总平面图');
    await uploadFile('plan.pdf', 'application/pdf', await pdfFile('总平面图 第一稿'));
    await row('总平面图').waitFor();

    // the photo in the dialog, drawn by the browser from the server's inline answer
    await row('水表井.png').locator('[data-test=document-preview]').click();
    const img = page.locator('[data-test=preview-image]');
    await img.waitFor();
    await page.waitForFunction("document.querySelector('[data-test=preview-image]')?.naturalWidth === 240");
    await page.waitForTimeout(400); // the dialog's opening animation, for the screenshot
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-documents-photo.png') });
    await page.keyboard.press('Escape');
    await img.waitFor({ state: 'detached' });

    // the PDF in the dialog's frame: served inline as a PDF, so the browser's viewer shows it
    await row('总平面图').locator('[data-test=document-preview]').click();
    const frame = page.locator('[data-test=preview-pdf]');
    await frame.waitFor();
    const src = (await frame.getAttribute('src'))!;
    const served = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return [r.status, r.headers.get('content-type'), r.headers.get('content-disposition')?.split(';')[0]];
    }, src);
    expect(served).toEqual([200, 'application/pdf', 'inline']);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-documents-pdf.png') });
    await page.keyboard.press('Escape');
    await frame.waitFor({ state: 'detached' });

    // a second version of the drawing; both stay
    await row('总平面图').locator('[data-test=document-add-version]').click();
    await page.locator('[data-test=document-upload]', { hasText: '上传新版本：总平面图' }).waitFor();
    await uploadFile('plan-v2.pdf', 'application/pdf', await pdfFile('总平面图 第二稿'));
    await row('总平面图').locator('.el-tag', { hasText: 'v2' }).waitFor();
    await row('总平面图').locator('.el-table__expand-icon').click();
    const history = panel().locator('[data-test=document-versions] .el-table__row');
    await history.nth(1).waitFor();
    expect(await history.allInnerTexts()).toEqual([
      expect.stringContaining('plan-v2.pdf'),
      expect.stringContaining('plan.pdf'),
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-documents-versions.png'), fullPage: true });
  });

  test('an .exe renamed .pdf is refused with the reason on the form; nothing is added', async () => {
    await choose('document-kind', '设计图纸');
    await uploadFile('setup.pdf', 'application/pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]));
    await page.locator('[data-test=document-problem]', { hasText: '文件内容不是该类别允许的类型' }).waitFor();
    expect(Number((await t.db.knex('cis.case_document_versions').count('* as n').first())!.n)).toBe(3);
  });

  test('an auditor sees the documents but no upload form', async () => {
    await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, 'auditor');
    await page.goto(`${t.app.url}/cases/${CASE}`);
    await row('总平面图').waitFor();
    expect(await page.locator('[data-test=document-upload]').count()).toBe(0);
    expect(await page.locator('[data-test=document-add-version]').count()).toBe(0);
  });
});
