import pino from 'pino';
import { loadConfig } from '../../platform/config.js';
import { startAquaflow } from '../../server/lifecycle.js';
import { workerFactories } from '../../workers/index.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { freshDatabase } from '../support/db.js';
import { eventually } from '../support/records.js';

const NOW = { consistency: { waitUpToMs: 0 } } as never;

describe('start-up as npm start runs it', () => {
  let t: TestAquaflow;
  beforeAll(async () => {
    t = await startTestAquaflow({ workers: workerFactories });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('a new development database gets the demo accounts; the account processes are deployed and served by the in-process workers', async () => {
    const [{ n }] = await t.db.knex('cis.accounts').count({ n: '*' });
    expect(Number(n)).toBe(3000);

    const client = t.client('clerk');
    const defs = await client.searchProcessDefinitions(
      { filter: { processDefinitionId: 'certificate-reissue' } } as never,
      NOW,
    );
    expect(defs.items).toHaveLength(1);

    const account = await t.db.knex('cis.accounts').where({ status: 'active' }).orderBy('id').first();
    const pi = (
      await client.createProcessInstance({
        processDefinitionId: 'certificate-reissue' as never,
        variables: { accountNo: account.account_no },
      })
    ).processInstanceKey;
    for (const elementId of ['application', 'identity']) {
      const task = await eventually(async () => {
        const found = await client.searchUserTasks(
          { filter: { processInstanceKey: pi, elementId, state: 'CREATED' } } as never,
          NOW,
        );
        return found.items[0];
      });
      // As in Tasklist, a clerk completes only a task she has claimed (the engine refuses otherwise).
      await client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'clerk' });
      await client.completeUserTask({
        userTaskKey: task.userTaskKey,
        variables: elementId === 'application' ? { reason: 'lost' } : { identityConfirmed: true },
      });
    }
    await eventually(
      async () => (await client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state === 'COMPLETED',
    );
    const rows = await t.db.knex('cis.audit_log').where({ process_instance_key: pi }).orderBy('id');
    expect(rows.map((r) => r.action)).toEqual(['charged', 'certificate_reissued']);
  });
});

test('production: no demo accounts', async () => {
  const db = await freshDatabase();
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    INITIAL_ADMIN_PASSWORD: 'a-long-admin-password-1',
  });
  const app = await startAquaflow(config, {
    logger: pino({ level: 'silent' }),
    buildWeb: false,
    workers: [],
    deployProcesses: false,
  });
  try {
    expect(await db.knex('cis.accounts').first('id')).toBeUndefined();
  } finally {
    await app.stop();
    await db.drop();
  }
});
