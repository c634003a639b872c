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
    // Deploying asks first and its lint errors block the dialog's button; nothing is deployed.
    await page.locator('[data-test=deploy]').click();
    await page.locator('[data-test=deploy-blocked]').waitFor();
    expect(await page.locator('[data-test=deploy-version]').innerText()).toBe('service-request：将创建 版本 2');
    expect(await page.locator('[data-test=deploy-confirm-button]').isDisabled()).toBe(true);
    await page.locator('[data-test=deploy-cancel]').click();
    await page.locator('[data-test=deploy-confirm]').waitFor({ state: 'detached' });
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

  test('deploying asks first: a start event alone is blocked with its errors; a test diagram shows the version it creates, deploys on confirm, and is listed apart and deleted', async () => {
    await page.locator('[data-test=new-diagram]').click();
    await page.locator('.djs-container').waitFor();
    await page.locator('[data-test=deploy]').click();
    const dialog = page.locator('[data-test=deploy-confirm]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test=deploy-version]').innerText()).toBe('new-process：将创建 版本 1');
    expect(await dialog.locator('[data-test=deploy-blocked]').innerText()).toContain('改正后才能部署');
    expect(await dialog.locator('[data-code=noEndEvent]').innerText()).toContain('流程没有结束事件');
    expect(await dialog.locator('[data-code=noWork]').innerText()).toContain('只有事件和网关');
    expect(await page.locator('[data-test=deploy-confirm-button]').isDisabled()).toBe(true);
    await shot('modeler-deploy-blocked');
    await page.locator('[data-test=deploy-cancel]').click();
    await dialog.waitFor({ state: 'detached' });
    const manager = await t.signIn('manager');
    const ids = async () =>
      ((await manager.call('GET', '/api/processes')).body.items as Array<{ processDefinitionId: string }>).map(
        (d) => d.processDefinitionId,
      );
    expect(await ids()).not.toContain('new-process');

    // A finished diagram under a test id: version 1 on confirm, then "no new version" for the same XML.
    const good = fs
      .readFileSync(path.resolve('processes/demo/service-request.bpmn'), 'utf8')
      .replace('<bpmn:process id="service-request"', '<bpmn:process id="test-guard"')
      .replace('bpmnElement="service-request"', 'bpmnElement="test-guard"');
    await page.locator('[data-test=back]').click();
    await page.locator('[data-test=import-file]').setInputFiles({
      name: 'test-guard.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(good),
    });
    await page.locator('.djs-container').waitFor();
    await page.locator('[data-test=deploy]').click();
    await dialog.waitFor();
    expect(await dialog.locator('[data-test=deploy-version]').innerText()).toBe('test-guard：将创建 版本 1');
    expect(await dialog.locator('[data-test=deploy-blocked]').count()).toBe(0);
    await shot('modeler-deploy-confirm');
    await page.locator('[data-test=deploy-confirm-button]').click();
    await page.locator('.el-message--success').filter({ hasText: '已部署 test-guard 版本 1' }).waitFor();
    expect(await ids()).toContain('test-guard');
    await page.locator('[data-test=deploy]').click();
    await dialog.waitFor();
    expect(await dialog.locator('[data-test=deploy-version]').innerText()).toBe(
      'test-guard：与已部署的 版本 1 相同，不会创建新版本',
    );
    await page.locator('[data-test=deploy-cancel]').click();
    await dialog.waitFor({ state: 'detached' });

    // The list keeps it apart from production, and the manager deletes it.
    await page.locator('[data-test=back]').click();
    const drafts = page.locator('[data-test=draft-definitions]');
    await drafts.locator('[data-test=delete-test-guard-1]').waitFor();
    expect(await page.locator('[data-test=definitions] [data-test=edit-test-guard-1]').count()).toBe(0);
    await shot('modeler-drafts');
    await drafts.locator('[data-test=delete-test-guard-1]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('.el-message--success').filter({ hasText: '已删除 test-guard 版本 1' }).waitFor();
    await drafts.waitFor({ state: 'detached' });
    expect(await ids()).not.toContain('test-guard');
  });
});
