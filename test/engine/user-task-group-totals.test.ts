import { startTestEngine, type TestEngine } from '../support/engine.js';
import { compileSearch } from '../../engine/store/search/run.js';
import { userTaskSearch } from '../../engine/store/read/user-tasks.js';

// "My groups' unassigned tasks" takes its total from per-group-list counts a trigger keeps beside the
// task rows (migration 0016). Every way a task enters or leaves that set must keep the total exactly
// equal to counting the rows — checked against the same search made to count rows.

// Our searches read committed rows (read-your-writes): no waiting for an exporter.
const now = { consistency: { waitUpToMs: 0 } };

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('grouped-user-task.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const inbox = (groups: string[]) => ({
  state: 'CREATED' as const,
  assignee: { $exists: false },
  candidateGroup: groups.length === 1 ? groups[0] : { $in: groups },
});

/** The total as the inbox gets it, and as counting rows gives it (an extra, neutral filter key). */
async function totals(groups: string[]): Promise<[number, number]> {
  const filter = inbox(groups);
  const fast = await t.client.searchUserTasks({ filter, page: { limit: 1 } } as never, now);
  const counted = await t.client.searchUserTasks(
    { filter: { ...filter, tenantId: '<default>' }, page: { limit: 1 } } as never,
    now,
  );
  return [fast.page.totalItems, counted.page.totalItems];
}

async function start(groups: string[] | null, assignee?: string) {
  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'grouped-user-task' as never,
    variables: { groups, ...(assignee ? { assignee } : {}) },
  });
  const row = await t.db.knex('engine.user_task').where({ process_instance_key: pi.processInstanceKey }).first();
  return { pi: pi.processInstanceKey, task: String(row.key) };
}

test('the inbox total comes from the kept counts, not from counting task rows', () => {
  const { count } = compileSearch(userTaskSearch, { filter: inbox(['clerk', 'cashier']) });
  expect(count.toSQL().toNative().sql).toContain('user_task_open_group_count');
  const other = compileSearch(userTaskSearch, { filter: { ...inbox(['clerk']), priority: 5 } });
  expect(other.count.toSQL().toNative().sql).not.toContain('user_task_open_group_count');
});

test('creation, assignment, unassignment, group changes, completion and cancellation keep the total exact', async () => {
  const sets = [['clerk'], ['cashier'], ['clerk', 'cashier'], ['engineer'], ['clerk', 'manager', 'cashier']];
  const check = async () => {
    for (const g of sets) {
      const [fast, counted] = await totals(g);
      expect({ groups: g, total: fast }).toEqual({ groups: g, total: counted });
    }
  };

  const a = await start(['clerk']);
  const b = await start(['cashier', 'clerk']); // both groups: counted once for [clerk, cashier]
  const c = await start(['clerk', 'clerk']); // a repeated group is one group
  const d = await start(['engineer'], 'li'); // assigned: not in the set
  await start([]); // no groups: in no group's inbox
  await start(null);
  await check();
  expect(await totals(['clerk', 'cashier'])).toEqual([3, 3]);

  await t.client.assignUserTask({ userTaskKey: a.task as never, assignee: 'zhang' });
  await check();
  await t.client.unassignUserTask({ userTaskKey: d.task as never });
  await check();
  await t.client.updateUserTask({ userTaskKey: b.task as never, changeset: { candidateGroups: ['manager'] } });
  await check();
  await t.client.completeUserTask({ userTaskKey: c.task as never });
  await check();
  await t.client.cancelProcessInstance({ processInstanceKey: b.pi as never });
  await check();
  await t.client.unassignUserTask({ userTaskKey: a.task as never });
  await check();
  expect(await totals(['clerk'])).toEqual([1, 1]);
  expect(await totals(['engineer'])).toEqual([1, 1]);
});
