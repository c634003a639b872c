import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { pdfText } from '../support/pdf-text.js';

// Issue #20: the auditors' timeline shows ID numbers and phones masked (DESIGN §5); managers, who act on what
// they read, see them in full. The printed timeline follows the screen.
let t: TestAquaflow;
let key: string;
const ID = '110101199001011237';

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  const started = await t.client('clerk').createProcessInstance({
    processDefinitionId: 'service-request' as never,
    variables: { idDocNumber: ID, contactPhone: '13800001111', phones: ['13900002222'], note: '换表 13800001111' },
  });
  key = String(started.processInstanceKey);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

type Entry = { kind: string; name?: string; newValue?: unknown };
const variables = async (user: string) => {
  const r = await (await t.signIn(user)).call('GET', `/api/instances/${key}`);
  const entries = (r.body.timeline as { entries: Entry[] }).entries.filter((e) => e.kind === 'variable-set');
  return Object.fromEntries(entries.map((e) => [e.name, e.newValue]));
};

test('an auditor reads ID numbers and phones masked; a manager in full; other values as they are', async () => {
  expect(await variables('auditor')).toMatchObject({
    idDocNumber: '110101********1237',
    contactPhone: '138****1111',
    phones: ['139****2222'],
    note: '换表 13800001111', // free text is the model's business, not a personal-data field
  });
  expect(await variables('manager')).toMatchObject({ idDocNumber: ID, contactPhone: '13800001111' });
});

test('the printed timeline of an auditor carries the masked values', async () => {
  const auditor = await t.signIn('auditor');
  const res = await fetch(`${t.app.url}/api/instances/${key}/timeline.pdf`, { headers: { Cookie: auditor.cookie } });
  expect(res.status).toBe(200);
  const text = (await pdfText(Buffer.from(await res.arrayBuffer()))).join('\n');
  expect(text).toContain('110101********1237');
  expect(text).not.toContain(ID);
});

test('a task’s variables: masked for an auditor, in full for those who work it', async () => {
  const found = await t
    .client('admin')
    .searchUserTasks({ filter: { processInstanceKey: key } } as never, { consistency: { waitUpToMs: 5000 } } as never);
  const taskKey = String((found.items[0] as { userTaskKey: string }).userTaskKey);
  const seen = async (user: string) =>
    (await (await t.signIn(user)).call('GET', `/api/tasks/${taskKey}`)).body.variables as Record<string, unknown>;
  expect(await seen('auditor')).toMatchObject({ idDocNumber: '110101********1237', contactPhone: '138****1111' });
  expect(await seen('clerk')).toMatchObject({ idDocNumber: ID, contactPhone: '13800001111' });
});
