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

/**
 * Content-Security-Policy violations seen by any page of any browser this test file opened (the server sends a
 * strict policy with the web app). Every browser test file fails, after its own clean-up, when there was one: a
 * screen that needs something the policy forbids is broken in real browsers even if the test's clicks passed.
 */
export const cspViolations: string[] = [];
if (typeof afterAll === 'function') {
  afterAll(() => {
    if (cspViolations.length)
      throw new Error(`Content Security Policy violations in the browser:\n${[...new Set(cspViolations)].join('\n')}`);
  });
}

const CSP_MESSAGE = /Content Security Policy/i;

/** Reports `securitypolicyviolation` events on the console too, so none goes unnoticed (report-only included). */
const REPORT_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' at ' + (e.sourceFile || location.pathname) + ':' + e.lineNumber));`;

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
  await context.addInitScript(REPORT_VIOLATIONS);
  context.on('console', (msg) => {
    if (CSP_MESSAGE.test(msg.text())) cspViolations.push(`${msg.page()?.url() ?? '?'}: ${msg.text()}`);
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

/**
 * Signs a demo user in through the sign-in page and waits for the app's frame. It asks for the inbox as the next
 * page, so every role starts in the shell; where each role lands by itself is test/e2e/landing.test.ts's.
 */
export async function signIn(page: Page, appUrl: string, username: string): Promise<void> {
  await page.goto(`${appUrl}/sign-in?next=%2Finbox`);
  await submitSignIn(page, username);
  await page.locator('[data-test=shell]').waitFor();
}
