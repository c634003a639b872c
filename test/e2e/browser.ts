import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser), or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);
export const skipReason = `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package or set CHROMIUM_PATH`;

/** `describe`, or `describe.skip` with the reason in its title, so a missing browser shows as skipped, never passed. */
export function describeWithBrowser(title: string, fn: () => void): void {
  if (chromiumAvailable) describe(title, fn);
  else {
    // The title carries the reason in verbose output; the warning shows it in the default summary too.
    process.stderr.write(`SKIPPED browser tests "${title}": ${skipReason}\n`);
    describe.skip(`${title} — SKIPPED: ${skipReason}`, fn);
  }
}

export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, no background traffic. */
export async function openBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page of the given size (desktop 1366×768 by default), with the screenshot folder ready. */
export async function openPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return page;
}

/** Fills the sign-in form on the current page for a demo user (password `demo`) and submits it. */
export async function submitSignIn(page: Page, username: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo');
  await page.locator('[data-test=submit]').click();
}

/** Signs a demo user in through the sign-in page and waits for the app's frame. */
export async function signIn(page: Page, appUrl: string, username: string): Promise<void> {
  await page.goto(`${appUrl}/sign-in`);
  await submitSignIn(page, username);
  await page.locator('[data-test=shell]').waitFor();
}
