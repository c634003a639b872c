import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// A first start shows business cases at work (issue #20's demo history): on a new demo database the front desk
// lists a new connection, a planned shut-off and an inspection, each with its process running.
let t: TestAquaflow;
let clerk: ApiSession;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 4 });
  clerk = await t.signIn('clerk');
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('the demo cases are open, each with its process', async () => {
  const r = await clerk.call('GET', '/api/business-cases?status=open');
  const items = r.body.items as Array<{ caseType: string; processInstanceKey: string | null; createdBy: string }>;
  expect(items.map((c) => c.caseType).sort()).toEqual([
    'new-connection',
    'water-shutoff-approval',
    'water-use-inspection',
  ]);
  for (const c of items) {
    expect(c.processInstanceKey).toMatch(/^\d+$/);
    const pi = await t.client('admin').getProcessInstance({ processInstanceKey: c.processInstanceKey as never }, {
      consistency: { waitUpToMs: 0 },
    } as never);
    expect([c.caseType, pi.state]).toEqual([c.caseType, 'ACTIVE']);
  }
});

test('a second start of the same database opens no more', async () => {
  const before = await t.db.knex('cis.cases').count({ n: '*' });
  const { seedDemoCases } = await import('../../server/demo-cases.js');
  const started: string[] = [];
  await seedDemoCases(
    t.db.knex,
    async (id) => (started.push(id), '1'),
    (await import('pino')).pino({ level: 'silent' }),
  );
  expect(started).toEqual([]);
  expect(await t.db.knex('cis.cases').count({ n: '*' })).toEqual(before);
});
