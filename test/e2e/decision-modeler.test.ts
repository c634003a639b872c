import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// The decision modeler (dmn-js): a manager creates a decision table, edits its rule, saves a draft, deploys it after
// a confirmation naming the version, and the engine then decides with the edited rule; dmn-js speaks the UI's language.
describeWithBrowser('decision modeler in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const cell = (id: string) => page.locator(`td[data-element-id="${id}"] [contenteditable]`);

  async function typeInto(id: string, text: string) {
    await cell(id).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
    await page.locator('.dmn-decision-table-container .tjs-table').click({ position: { x: 5, y: 5 } });
  }

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

  test('create a decision table, edit its rule, save a draft, deploy version 1, evaluate it through /v2', async () => {
    await page.locator('[data-test=nav-modeler]').click();
    await page.locator('[data-test=decision-definitions]').waitFor();
    // dmn-js is not loaded with the modeler's list: only when a decision is opened.
    expect(
      await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /DecisionEditor/.test(r.name))),
    ).toBe(false);
    await page.locator('[data-test=new-decision]').click();
    await page.locator('.dmn-decision-table-container').waitFor();
    await page.locator('[data-test=decision-problems][data-state=done]').waitFor();
    expect(await page.locator('[data-test=decision-problems] strong').innerText()).toBe('检查问题：0');
    // dmn-js's own texts in Chinese (its translate service), never English.
    expect(await page.locator('.hit-policy .dms-label').innerText()).toBe('命中策略：');
    expect(await page.locator('th.input-cell .clause').innerText()).toBe('当');
    expect(await page.locator('th.output-cell .clause').innerText()).toBe('则');
    expect(await page.locator('.dmn-decision-table-container').innerText()).not.toMatch(
      /Hit policy|When|Then|Add rule/,
    );

    // The rule "amount > 100 → "high"" becomes "amount >= 50 → "large"".
    await typeInto('rule1-input1', '>= 50');
    await typeInto('rule1-output1', '"large"');
    await page.locator('[data-test=save-draft]').click();
    await page.locator('.el-message--success').waitFor();

    // Back to the list and into a new decision again: the saved draft of new-decision.dmn is what opens.
    await page.locator('[data-test=back]').click();
    await page.locator('[data-test=new-decision]').click();
    await page.locator('[data-test=draft-restored]').waitFor();
    await page.locator('.dmn-decision-table-container').waitFor();
    expect((await cell('rule1-input1').innerText()).trim()).toBe('>= 50');
    expect((await cell('rule1-output1').innerText()).trim()).toBe('"large"');
    await shot('decision-modeler-table');

    await page.locator('[data-test=deploy-decision]').click();
    const confirm = page.locator('.decision-deploy-confirm');
    await confirm.waitFor();
    expect(await confirm.locator('.el-message-box__message').innerText()).toBe('将创建 new-decision 的第 1 版');
    await confirm.locator('.el-button--primary').click();
    await page.locator('.el-message--success', { hasText: '已部署决策 new-decision 版本 1' }).waitFor();

    const camunda = t.client('manager');
    const large = await camunda.evaluateDecision({
      decisionDefinitionId: 'new-decision' as never,
      variables: { amount: 60 },
    });
    expect(JSON.parse(large.output)).toBe('large');
    // 40 matches no rule: a UNIQUE table without a match decides null.
    const none = await camunda.evaluateDecision({
      decisionDefinitionId: 'new-decision' as never,
      variables: { amount: 40 },
    });
    expect(JSON.parse(none.output)).toBeNull();

    // The list shows the decision beside the processes, with its file.
    await page.locator('[data-test=back]').click();
    const row = page.locator('[data-test=decision-definitions] tr', { hasText: 'new-decision.dmn' });
    await row.waitFor();
    expect(await row.innerText()).toContain('new-decision');
  });

  test("the engine's refusal is shown in the UI's language; unchanged, the confirmation says no new version", async () => {
    await page.locator('[data-test=edit-decision-new-decision-1]').click();
    await page.locator('.dmn-decision-table-container').waitFor();
    await page.locator('[data-test=decision-problems][data-state=done]').waitFor();
    await page.locator('[data-test=deploy-decision]').click();
    const confirm = page.locator('.decision-deploy-confirm');
    await confirm.waitFor();
    // dmn-js writes back the bytes it deployed: the engine would keep version 1.
    expect(await confirm.locator('.el-message-box__message').innerText()).toBe(
      'new-decision 与已部署的第 1 版相同，不会创建新版本',
    );
    await confirm.locator('.el-button:not(.el-button--primary)').click();
    await confirm.waitFor({ state: 'hidden' });

    // The DRD of the file: the decision on it, dmn-js's palette in Chinese.
    await page.locator('[data-test=decision-view-new-decision-requirements]').click();
    await page.locator('.djs-element[data-element-id=new-decision]').waitFor();
    expect(await page.locator('.djs-palette [aria-label="新建决策"]').count()).toBe(1);
    await page.locator('[data-test=decision-view-new-decision]').click();
    await page.locator('.dmn-decision-table-container').waitFor();

    await typeInto('rule1-input1', '>= 50)');
    await page.locator('[data-test=decision-problem-feelSyntax]').waitFor();
    expect(
      await page.locator('[data-test=decision-problems] [data-test=decision-problem-feelSyntax]').innerText(),
    ).toContain('FEEL 表达式无法解析：>= 50)');
    await page.locator('[data-test=deploy-decision]').click();
    await page.locator('.decision-deploy-confirm .el-button--primary').click();
    const refused = page.locator('[data-test=deploy-error]');
    await refused.waitFor();
    expect(await refused.locator('strong').first().innerText()).toBe('引擎拒绝了部署：');
    expect(await refused.locator('[data-test=decision-problem-feelSyntax]').innerText()).toContain(
      'FEEL 表达式无法解析：>= 50)',
    );
    await shot('decision-modeler-refused');
    const versions = (await (await t.signIn('manager')).call('GET', '/api/decisions')).body.items as Array<
      Record<string, unknown>
    >;
    expect(versions.filter((d) => d.decisionDefinitionId === 'new-decision').map((d) => d.version)).toEqual([1]);
  });

  test('in English, dmn-js and the editor speak English only', async () => {
    await page.evaluate("localStorage.setItem('aquaflow.locale', 'en')");
    await page.reload();
    await page.locator('[data-test=decision-definitions]').waitFor();
    await page.locator('[data-test=edit-decision-new-decision-1]').click();
    await page.locator('.dmn-decision-table-container').waitFor();
    expect(await page.locator('.hit-policy .dms-label').innerText()).toBe('Hit policy:');
    expect(await page.locator('th.input-cell .clause').innerText()).toBe('When');
    expect(await page.locator('[data-test=decision-editor]').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    // Viewing a version is read-only: no deploy, no check panel.
    await page.locator('[data-test=back]').click();
    await page.locator('[data-test=view-decision-new-decision-1]').click();
    await page.locator('.dmn-decision-table-container').waitFor();
    expect(await page.locator('[data-test=decision-editor] .el-tag').innerText()).toBe('Read-only');
    expect(await page.locator('[data-test=deploy-decision]').count()).toBe(0);
    expect(await page.locator('td[data-element-id="rule1-output1"]').innerText()).toContain('"large"');
    await page.evaluate("localStorage.setItem('aquaflow.locale', 'zh-CN')");
  });
});
