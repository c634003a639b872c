import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { pdfText } from '../support/pdf-text.js';
import { describeWithBrowser, openBrowser, SCREENSHOTS, type Browser, signIn, openPage } from './browser.js';

// Incidents in the browser: a job out of retries shows with its translated type, message and element; a manager
// retries it; an auditor sees the list without the button and prints the instance's timeline as PDF.
const FAILING = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="http://aquaflow.example/test">
  <bpmn:process id="e2e-incident" name="异常演示 Incident demo" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="charge" name="扣款 Charge"><bpmn:extensionElements><zeebe:taskDefinition type="e2e-charge" retries="1" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="charge" />
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="e" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dd"><bpmndi:BPMNPlane id="pl" bpmnElement="e2e-incident">
    <bpmndi:BPMNShape id="s_di" bpmnElement="s"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="charge_di" bpmnElement="charge"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="e_di" bpmnElement="e"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describeWithBrowser('incidents in the browser', () => {
  let t: TestAquaflow;
  let browser: Browser;
  let page: Page;
  let pi: string;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  async function signInAs(username: string) {
    if (page.url().startsWith(t.app.url))
      await page.evaluate(() => fetch('/api/session', { method: 'DELETE', headers: { 'X-Aquaflow-Request': '1' } }));
    await signIn(page, t.app.url, username);
  }

  beforeAll(async () => {
    t = await startTestAquaflow({ buildWeb: true });
    const client = t.client('manager');
    await client.createDeployment({ resources: [new File([FAILING], 'e2e-incident.bpmn')] });
    pi = String(
      (await client.createProcessInstance({ processDefinitionId: 'e2e-incident' as never, variables: {} }))
        .processInstanceKey,
    );
    // A worker (the demo service identity) that fails its only try: the job runs out of retries, an incident.
    const worker = t.client('worker');
    const { jobs } = await worker.activateJobs({
      type: 'e2e-charge',
      maxJobsToActivate: 1,
      timeout: 60000,
      worker: 'e2e',
      requestTimeout: 5000,
    });
    await worker.failJob({ jobKey: jobs[0].jobKey, retries: 0, errorMessage: '银行接口超时 <b>bank timeout</b>' });
    browser = await openBrowser();
    page = await openPage(browser);
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('an auditor sees the incident translated, without a retry button, and prints the instance timeline', async () => {
    await signInAs('auditor');
    await page.locator('[data-test=nav-incidents]').click();
    const row = page.locator('[data-test=incidents] .el-table__body tr', { hasText: 'e2e-incident' });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('作业重试耗尽');
    expect(text).not.toContain('JOB_NO_RETRIES');
    expect(text).toContain('charge');
    expect(text).toContain('银行接口超时 <b>bank timeout</b>'); // shown as text, not markup
    expect(await row.locator('button').count()).toBe(0);

    await page.goto(`${t.app.url}/instances/${pi}`);
    // The incident is marked on its element once the diagram is drawn.
    await page.locator('[data-test=diagram] .djs-element.incident[data-element-id=charge]').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test=export-pdf]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`timeline-${pi}.pdf`);
    const pages = await pdfText(fs.readFileSync((await download.path())!));
    const pdf = pages.join('\n');
    expect(pdf).toContain('流程审计记录');
    expect(pdf).toContain('扣款 Charge');
    expect(pdf).toContain('作业失败');
  });

  test('a manager retries it: the incident leaves the list and the job is open again', async () => {
    await signInAs('manager');
    await page.locator('[data-test=nav-incidents]').click();
    const row = page.locator('[data-test=incidents] .el-table__body tr', { hasText: 'e2e-incident' });
    await row.waitFor();
    await shot('incidents-retry');
    await row.locator('button').click();
    await page.locator('.el-message--success').waitFor();
    await row.waitFor({ state: 'detached' });
    const { jobs } = await t
      .client('worker')
      .activateJobs({ type: 'e2e-charge', maxJobsToActivate: 1, timeout: 60000, worker: 'e2e', requestTimeout: 5000 });
    expect(jobs.map((j) => String(j.processInstanceKey))).toEqual([pi]);
  });
});
