import path from 'node:path';
import type { Page } from 'playwright-core';
import { CasesService } from '../../domain/cases/service.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import caseEscalate from '../../workers/case-escalate.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { eventually } from '../support/records.js';
import { describeWithBrowser, openBrowser, openPage, SCREENSHOTS, signIn, type Browser } from './browser.js';

// The case record on the case page and the 考核 screen, over the record tests' fixture model: one case whose
// 现场检查 ran 09:00 → 14:00 on a Monday (3h30 of working time against 2h: overdue, escalated).
const FIXTURE = path.resolve(import.meta.dirname, '../integration/fixtures/case-record');
const NOW = { consistency: { waitUpToMs: 0 } } as never;
const at = (local: string) => Date.parse(`${local}+08:00`);

describeWithBrowser('the case record and the case statistics in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let caseNo: string;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true, deployProcesses: false, demoAccounts: 0, workers: [caseEscalate] });
    const client = t.client('manager');
    const admin = t.client('admin');
    await client.createDeployment({ resources: deploymentResources(processFiles(FIXTURE)) });
    await admin.pinClock({ timestamp: at('2027-01-04T09:00') } as never);
    const cases = new CasesService(t.db.knex);
    const opened = await cases.openCase(
      { caseType: 'water-use-inspection', applicantName: '甲', applicantPhone: '13812345678' },
      { actor: 'clerk' },
    );
    caseNo = opened.caseNo;
    const started = await client.createProcessInstance({
      processDefinitionId: 'water-use-inspection' as never,
      variables: await cases.processVariables(caseNo),
    });
    const pi = String(started.processInstanceKey);
    await cases.attachProcess(caseNo, pi, { actor: 'clerk' });
    const task = (elementId: string) =>
      eventually(
        async () =>
          (
            await client.searchUserTasks(
              { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } } as never,
              NOW,
            )
          ).items[0],
      );
    await client.assignUserTask({ userTaskKey: (await task('inspect')).userTaskKey, assignee: 'engineer' } as never);
    await admin.pinClock({ timestamp: at('2027-01-04T14:00') } as never);
    await eventually(async () => (await t.db.knex('cis.case_escalations').first('id')) !== undefined);
    await client.completeUserTask({ userTaskKey: (await task('inspect')).userTaskKey });
    await admin.resetClock();

    browser = await openBrowser();
    page = await openPage(browser);
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(page, t.app.url, 'manager');
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('the case page shows the steps, the overdue one marked, the escalation and the PDF link', async () => {
    await page.goto(`${t.app.url}/cases/${caseNo}`);
    const steps = page.locator('[data-test=case-record-steps]');
    await steps.locator('.el-table__row', { hasText: '现场检查' }).waitFor();
    const first = await steps.locator('.el-table__row').first().innerText();
    expect(first).toContain('engineer');
    expect(first).toContain('3小时30分');
    expect(first).toContain('2小时');
    expect(first).toContain('超时');
    expect(await steps.locator('.el-table__row.overdue').count()).toBe(1);
    expect(await page.locator('[data-test=case-record]').innerText()).toContain('督办记录');
    expect(await page.locator('[data-test=case-record-pdf]').getAttribute('href')).toBe(
      `/api/business-cases/${caseNo}/record.pdf`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-record.png'), fullPage: true });
  });

  test('the statistics screen lists time per step with the overdue count and offers the downloads', async () => {
    await page.goto(`${t.app.url}/cases/stats`);
    const row = page.locator('[data-test=case-stats-steps] .el-table__row', { hasText: '现场检查' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/用水监察\s+现场检查\s+1\s+3小时30分\s+3小时30分\s+1/);
    expect(await page.locator('[data-test=case-stats-xlsx]').getAttribute('href')).toBe(
      '/api/business-cases/statistics.xlsx',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-stats.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
