import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../platform/config.js';
import { startAquaflow, type RunningAquaflow } from '../../server/lifecycle.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser } from './browser.js';

describeWithBrowser('first page in a browser', () => {
  let db: TestDatabase;
  let aquaflow: RunningAquaflow;
  let browser: Browser;

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    aquaflow = await startAquaflow(config, { logger: pino({ level: 'silent' }) });
    browser = await openBrowser();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await aquaflow?.stop();
    await db?.drop();
  });

  test('the sign-in page comes first; a wrong password is refused; the clerk signs in and sees the shell', async () => {
    const page = await browser.context.newPage();
    await page.goto(aquaflow.url);
    await page.waitForURL(/\/sign-in$/);
    const form = page.locator('[data-test=sign-in-form]');
    await form.waitFor();
    expect(await page.title()).toBe('Aquaflow');
    expect(await page.locator('[data-test=submit]').innerText()).toBe('登录'); // Chinese first
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });

    await page.locator('input[name=username]').fill('clerk');
    await page.locator('input[name=password]').fill('wrong');
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=sign-in-error]').waitFor();
    expect(await page.locator('[data-test=sign-in-error]').innerText()).toContain('用户名或密码错误');

    // What the first inbox screen costs a slow district link: every script and stylesheet compressed at build.
    const transfers: Array<{ url: string; encoding: string | undefined; bytes: Promise<number> }> = [];
    page.on('response', (r) => {
      if (/\.(js|css)$/.test(new URL(r.url()).pathname))
        transfers.push({
          url: r.url(),
          encoding: r.headers()['content-encoding'],
          bytes: r
            .request()
            .sizes()
            .then((s) => s.responseBodySize),
        });
    });
    await page.locator('input[name=password]').fill('demo');
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=shell]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox'); // the shell opens on the work inbox
    await page.waitForLoadState('networkidle');
    const sizes = await Promise.all(transfers.map((t) => t.bytes));
    const total = sizes.reduce((a, b) => a + b, 0);
    fs.writeFileSync(
      path.join(SCREENSHOTS, 'inbox-transfer.txt'),
      `first inbox screen: ${transfers.length} scripts and stylesheets, ${(total / 1024).toFixed(1)} KiB transferred\n`,
    );
    // (files under 1 KiB are not compressed: the headers would outweigh the saving)
    expect(transfers.filter((t, i) => t.encoding !== 'br' && sizes[i] >= 1024).map((t) => t.url)).toEqual([]);
    expect(total).toBeLessThan(400 * 1024);
    expect(await page.locator('[data-test=current-user]').innerText()).toContain('Demo clerk');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'shell.png') });

    // The session is a cookie: a reload stays signed in; signing out returns to the sign-in page.
    await page.reload();
    await page.locator('[data-test=shell]').waitFor();
    await page.locator('[data-test=sign-out]').click();
    await page.waitForURL(/\/sign-in$/);
  });
});
