import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// The inbox filters through /api/tasks: customer (account number or name on process variables), together with
// the process, due/overdue and priority filters.
let t: TestAquaflow;
let clerk: ApiSession;
let accountNo: string;
const pis: Record<string, string> = {};

// An overdue, urgent clerk task, so the due and priority filters have something to find.
const URGENT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.example/test">
  <bpmn:process id="urgent-callback" name="紧急回访 Urgent call-back" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="call" name="回访"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="clerk" /><zeebe:taskSchedule dueDate="2020-01-01T00:00:00Z" /><zeebe:priorityDefinition priority="90" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

async function keysOf(query: string): Promise<string[]> {
  const r = await clerk.call('GET', `/api/tasks?view=group&limit=200&${query}`);
  expect(r.status).toBe(200);
  return (r.body.items as Array<{ processInstanceKey: string }>).map((x) => x.processInstanceKey).sort();
}

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 2 });
  clerk = await t.signIn('clerk');
  const client = t.client('manager');
  await client.createDeployment({ resources: [new File([URGENT], 'urgent-callback.bpmn')] });
  const start = async (processDefinitionId: string, variables: Record<string, unknown>) =>
    String(
      (await client.createProcessInstance({ processDefinitionId: processDefinitionId as never, variables }))
        .processInstanceKey,
    );
  pis.zhang = await start('service-request', { customerName: '张三丰', subject: '水压低' });
  pis.li = await start('service-request', { customerName: '李四', address: '和平街道 3 号', subject: '漏水' });
  pis.urgentZhang = await start('urgent-callback', { customerName: '张三丰' });
  accountNo = (await t.db.knex('cis.accounts').orderBy('account_no').first('account_no')).account_no;
  const started = await clerk.call('POST', '/api/cases', { processId: 'certificate-reissue', accountNo });
  pis.reissue = String(started.body.processInstanceKey);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('customer by name: a part of the name finds that customer’s tasks only', async () => {
  expect(await keysOf(`customer=${encodeURIComponent('张三')}`)).toEqual([pis.zhang, pis.urgentZhang].sort());
  expect(await keysOf(`customer=${encodeURIComponent('李四')}`)).toEqual([pis.li]);
  expect(await keysOf(`customer=${encodeURIComponent('王五')}`)).toEqual([]);
});

test('customer by account number (whole or part) finds the account’s cases', async () => {
  expect(await keysOf(`customer=${accountNo}`)).toEqual([pis.reissue]);
  expect(await keysOf(`customer=${accountNo.slice(-4)}`)).toContain(pis.reissue);
  expect(await keysOf('customer=99999999')).toEqual([]);
});

test('wildcards typed by the user are literal text, not patterns', async () => {
  expect(await keysOf(`customer=${encodeURIComponent('*')}`)).toEqual([]);
  expect(await keysOf(`customer=${encodeURIComponent('张?丰')}`)).toEqual([]);
});

test('the customer filter combines with process, overdue and priority', async () => {
  const zhang = `customer=${encodeURIComponent('张三')}`;
  expect(await keysOf(`${zhang}&process=service-request`)).toEqual([pis.zhang]);
  expect(await keysOf(`${zhang}&due=overdue`)).toEqual([pis.urgentZhang]);
  expect(await keysOf(`${zhang}&minPriority=76`)).toEqual([pis.urgentZhang]);
  expect(await keysOf('due=overdue')).toEqual([pis.urgentZhang]);
  expect(await keysOf('minPriority=61&process=service-request')).toEqual([]);
  expect((await clerk.call('GET', `/api/tasks?customer=${'x'.repeat(101)}`)).status).toBe(400);
});

test('each listed task names its customer (account number, name and address from the case variables)', async () => {
  const r = await clerk.call('GET', '/api/tasks?view=group&limit=200');
  const byInstance = new Map(
    (r.body.items as Array<{ processInstanceKey: string; customer: unknown }>).map((x) => [
      x.processInstanceKey,
      x.customer,
    ]),
  );
  expect(byInstance.get(pis.reissue)).toEqual({ accountNo, customerName: expect.any(String) });
  expect(byInstance.get(pis.li)).toEqual({ customerName: '李四', address: '和平街道 3 号' });
});
