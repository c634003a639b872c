import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// The modeler: problems of a flawed diagram on its elements, and each process's forms in the list.
describeWithBrowser('modeler in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true });
    browser = await openBrowser();
    page = await openPage(browser);
    await signIn(page, t.app.url, 'manager');
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a flawed diagram opened from a file shows its problems on the elements, never "0 problems" meanwhile', async () => {
    const original = fs.readFileSync(path.resolve('processes/demo/service-request.bpmn'), 'utf8');
    // review becomes a service task without a job type: an error; confirm has no form: a warning.
    const flawed = original
      .replace('<zeebe:userTask />', '')
      .replace('<zeebe:formDefinition formId="service-request-review" />', '<zeebe:taskDefinition />')
      .replace('<bpmn:userTask id="review"', '<bpmn:serviceTask id="review"')
      .replace(
        '</bpmn:userTask>\n    <bpmn:sequenceFlow id="f2"',
        '</bpmn:serviceTask>\n    <bpmn:sequenceFlow id="f2"',
      );
    const server = await (await t.signIn('manager')).call('POST', '/api/processes/lint', { xml: flawed });
    expect((server.body.problems as unknown[]).length).toBe(2);

    await page.locator('[data-test=nav-modeler]').click();
    await page.locator('[data-test=definitions]').waitFor();
    await page.locator('[data-test=import-file]').setInputFiles({
      name: 'service-request-flawed.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(flawed),
    });
    await page.locator('.djs-container').waitFor();
    // Until the server answers, the panel says it is checking; it never claims a clean diagram.
    expect(await page.locator('[data-test=lint-problems] strong').innerText()).not.toBe('检查问题：0');
    await page.locator('[data-test=lint-problems][data-state=done]').waitFor();
    expect(await page.locator('[data-test=lint-problems] strong').innerText()).toBe('检查问题：2');
    expect(await page.locator('[data-test=lint-problem-review]').innerText()).toContain('zeebe:TaskDefinition');
    const badge = page.locator('[data-test=lint-badge-review]');
    await badge.waitFor();
    expect(await badge.innerText()).toBe('1');
    expect(await badge.getAttribute('title')).toContain('<type>');
    expect(await page.locator('.djs-element.lint-error[data-element-id=review]').count()).toBe(1);
    expect(await page.locator('.djs-element.lint-warn[data-element-id=confirm]').count()).toBe(1);
    await shot('modeler-lint');
    // Deploying it is refused by the engine, and nothing is deployed.
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-error]').waitFor();
    const defs = await (await t.signIn('manager')).call('GET', '/api/processes');
    expect(
      (defs.body.items as Array<{ processDefinitionId: string }>).filter(
        (d) => d.processDefinitionId === 'service-request',
      ),
    ).toHaveLength(1);
  });

  test('forms are listed beside their processes, linked by form id to the user tasks', async () => {
    await page.locator('[data-test=back]').click();
    const defs = (await (await t.signIn('manager')).call('GET', '/api/processes')).body.items as Array<
      Record<string, string>
    >;
    const key = (id: string) => defs.find((d) => d.processDefinitionId === id)!.processDefinitionKey;
    const transfer = page.locator(`[data-test=forms-${key('account-transfer')}]`);
    await transfer.locator('[data-test=form-application]').waitFor();
    expect(await transfer.locator('[data-test=form-application]').innerText()).toContain(
      'account-transfer-application.form',
    );
    expect(await transfer.locator('[data-test=form-documents]').innerText()).toContain(
      'account-transfer-documents.form',
    );
    const request = page.locator(`[data-test=forms-${key('service-request')}]`);
    await request.locator('[data-test=form-confirm]').waitFor();
    expect(await request.locator('[data-test=form-review]').innerText()).toContain('service-request-review.form');
    expect(await request.locator('[data-test=form-confirm]').innerText()).toContain('无表单');
    await shot('modeler-list');
  });
});
