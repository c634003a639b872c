import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { pdfText } from '../support/pdf-text.js';

// The auditors' printed timeline: a finished instance's record log as PDF, read back as a reader would see it.
let t: TestAquaflow;
let auditor: ApiSession;
let clerk: ApiSession;
let pi: string;

async function openTask(elementId: string): Promise<string> {
  const r = await clerk.call('GET', '/api/tasks?view=group&process=service-request&limit=200');
  const task = (r.body.items as Array<Record<string, string>>).find(
    (x) => x.processInstanceKey === pi && x.elementId === elementId,
  );
  if (!task) throw new Error(`no open ${elementId} task`);
  return task.userTaskKey;
}

beforeAll(async () => {
  t = await startTestAquaflow();
  [auditor, clerk] = await Promise.all([t.signIn('auditor'), t.signIn('clerk')]);
  const created = await t.client('clerk').createProcessInstance({
    processDefinitionId: 'service-request' as never,
    variables: { customerName: '王五', subject: '水表漏水' },
  });
  pi = String(created.processInstanceKey);
  for (const [step, variables] of [
    ['review', { reviewNote: '已核实', decision: 'approve' }],
    ['confirm', {}],
  ] as const) {
    const key = await openTask(step);
    expect((await clerk.call('POST', `/api/tasks/${key}/claim`)).status).toBe(204);
    expect((await clerk.call('POST', `/api/tasks/${key}/complete`, { variables })).status).toBe(204);
  }
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('an auditor downloads the finished instance timeline as PDF with Chinese headings, element names and actors', async () => {
  const res = await fetch(`${t.app.url}/api/instances/${pi}/timeline.pdf`, { headers: { Cookie: auditor.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toContain(`timeline-${pi}.pdf`);
  const text = (await pdfText(new Uint8Array(await res.arrayBuffer()))).join('\n');
  for (const heading of ['流程审计记录', '时间', '环节', '事件', '操作人', '耗时', '变量变化'])
    expect(text).toContain(heading);
  expect(text).toContain('服务申请');
  expect(text).toContain('已完成');
  // Element names from the diagram, not only ids, and the clerk who completed the steps.
  for (const name of ['审核申请', '回访确认', 'Done']) expect(text).toContain(name);
  expect(text).toContain('clerk');
  expect(text).toContain('任务完成');
  expect(text).toContain('进入（人工任务）');
  expect(text).not.toContain('USER_TASK');
  // A variable change old → new.
  expect(text).toMatch(/reviewNote: ∅ → "已核实"/);
});

test('a clerk may not print it; an unknown instance is a 404', async () => {
  expect((await clerk.call('GET', `/api/instances/${pi}/timeline.pdf`)).status).toBe(403);
  expect((await auditor.call('GET', '/api/instances/2251799813699999/timeline.pdf')).status).toBe(404);
});
