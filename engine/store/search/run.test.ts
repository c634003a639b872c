import pg from 'pg';
import { freshDatabase, type TestDatabase } from '../../../test/support/db.js';
import type { FilterField, SortField } from './fields.js';
import { SearchRequestError } from './request-error.js';
import { compileSearch, runSearch, type SearchDefinition } from './run.js';

// The compiler is generic: it is tested here on a table of its own, against real PostgreSQL.
interface Item {
  key: string;
  name: string | null;
  due: string | null;
  prio: number;
  state: string;
  groups: string[];
}

const filter: Record<string, FilterField> = {
  key: { kind: 'key', column: 't.key' },
  name: { kind: 'string', column: 't.name' },
  due: { kind: 'datetime', column: 't.due' },
  prio: { kind: 'int', column: 't.prio' },
  state: { kind: 'enum', column: 't.state', values: { ACTIVE: ['ACTIVATING', 'ACTIVATED'], COMPLETED: ['COMPLETED'] } },
  group: { kind: 'string', column: 't.groups', array: true },
  done: { kind: 'boolean', column: "(t.state = 'COMPLETED')" },
  exactName: { kind: 'string', column: 't.name', plainOnly: true },
};
const sort: Record<string, SortField> = {
  name: { kind: 'string', column: 't.name', nullable: true },
  due: { kind: 'datetime', column: 't.due', nullable: true },
  prio: { kind: 'int', column: 't.prio' },
};
const def: SearchDefinition<Item> = {
  base: (knex) => knex.from('qtest.t as t').select('t.key', 't.name', 't.due', 't.prio', 't.state', 't.groups'),
  key: 't.key',
  filter,
  sort,
  toItem: (r) => ({
    key: r.key as string,
    name: r.name as string | null,
    due: r.due ? (r.due as Date).toISOString() : null,
    prio: r.prio as number,
    state: r.state as string,
    groups: r.groups as string[],
  }),
};

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await freshDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await db.knex.raw(`
    CREATE SCHEMA qtest;
    CREATE TABLE qtest.t (key bigint PRIMARY KEY, name text, due timestamptz, prio int NOT NULL, state text NOT NULL, groups text[] NOT NULL DEFAULT '{}');
    INSERT INTO qtest.t
    SELECT 1000 + g,
           CASE WHEN g % 7 = 0 THEN NULL ELSE 'task ' || (g % 5) END,
           CASE WHEN g % 3 = 0 THEN NULL ELSE timestamptz '2026-01-01T00:00:00Z' + (g % 4) * interval '1 day' END,
           g % 4,
           (ARRAY['ACTIVATING','ACTIVATED','COMPLETED'])[1 + g % 3],
           CASE WHEN g % 2 = 0 THEN ARRAY['clerk'] ELSE ARRAY['cashier','manager'] END
    FROM generate_series(1, 53) g;
  `);
  // Through a binding: knex would read the `?` inside a literal as a placeholder.
  await db.knex('qtest.t').insert({ key: 9000, name: '100% * done?', prio: 9, state: 'COMPLETED' });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const search = (body: unknown) => runSearch(pool, def, body);
const keys = async (body: unknown) => (await search(body)).items.map((i) => Number(i.key));
async function sqlKeys(where: string): Promise<number[]> {
  const { rows } = await db.knex.raw(`SELECT key FROM qtest.t WHERE ${where} ORDER BY key`);
  return rows.map((r: { key: string }) => Number(r.key));
}

describe('search compiler: filters', () => {
  it('plain values are equality, operator objects are ANDed', async () => {
    expect(await keys({ filter: { name: 'task 1' } })).toEqual(await sqlKeys(`name = 'task 1'`));
    expect(await keys({ filter: { prio: { $gte: 1, $lt: 3 } } })).toEqual(await sqlKeys('prio >= 1 AND prio < 3'));
    expect(await keys({ filter: { key: '1005' } })).toEqual([1005]);
  });

  it('$neq and $notIn include rows where the property is absent', async () => {
    expect(await keys({ filter: { name: { $neq: 'task 1' } } })).toEqual(
      await sqlKeys(`name IS DISTINCT FROM 'task 1'`),
    );
    expect(await keys({ filter: { name: { $notIn: ['task 1', 'task 2'] } } })).toEqual(
      await sqlKeys(`name IS NULL OR name NOT IN ('task 1','task 2')`),
    );
  });

  it('$in, $exists, date-time ranges', async () => {
    expect(await keys({ filter: { key: { $in: ['1001', '1002', '77'] } } })).toEqual([1001, 1002]);
    expect(await keys({ filter: { name: { $exists: false } } })).toEqual(await sqlKeys('name IS NULL'));
    expect(await keys({ filter: { name: null } })).toEqual(await sqlKeys('name IS NULL'));
    expect(await keys({ filter: { due: { $gt: '2026-01-02T00:00:00Z', $lte: '2026-01-03T00:00:00.000Z' } } })).toEqual(
      await sqlKeys(`due > '2026-01-02Z' AND due <= '2026-01-03Z'`),
    );
    expect(await keys({ filter: { due: { $in: ['2026-01-01T00:00:00+00:00'] } } })).toEqual(
      await sqlKeys(`due = '2026-01-01Z'`),
    );
  });

  it('$like takes Camunda wildcards and escapes, literally otherwise', async () => {
    expect(await keys({ filter: { name: { $like: 'task ?' } } })).toEqual(await sqlKeys(`name LIKE 'task _'`));
    expect(await keys({ filter: { name: { $like: '100% \\* done\\?' } } })).toEqual([9000]);
    expect(await keys({ filter: { name: { $like: '100_*' } } })).toEqual([]);
  });

  it('$like with many stars matches the same rows, in SQL and for enums', async () => {
    const stars = '*'.repeat(28);
    expect(await keys({ filter: { name: { $like: `${stars}4` } } })).toEqual(await sqlKeys(`name LIKE '%4'`));
    expect(await keys({ filter: { name: { $like: `${stars}t${stars}4${stars}` } } })).toEqual(
      await sqlKeys(`name LIKE '%t%4%'`),
    );
    expect(await keys({ filter: { name: { $like: `${stars}x` } } })).toEqual([]);
    expect(await keys({ filter: { state: { $like: `${stars}ED` } } })).toEqual(await sqlKeys(`state = 'COMPLETED'`));
    expect(await keys({ filter: { state: { $like: `${stars}E${stars}` } } })).toEqual(await sqlKeys('true'));
    expect(await keys({ filter: { state: { $like: `${stars}x` } } })).toEqual([]);
    expect(await keys({ filter: { group: { $like: `${stars}i${stars}r` } } })).toEqual(
      await sqlKeys(`'cashier' = ANY(groups)`),
    );
  });

  it('$like against a long value: PostgreSQL and the enum matcher stay polynomial', async () => {
    await db.knex('qtest.t').insert({ key: 9001, name: 'a'.repeat(5000), prio: 9, state: 'COMPLETED' });
    try {
      expect(await keys({ filter: { name: { $like: '*a'.repeat(28) + 'X' } } })).toEqual([]);
      expect(await keys({ filter: { name: { $like: '*a'.repeat(28) + '*' } } })).toEqual([9001]);
    } finally {
      await db.knex('qtest.t').where({ key: 9001 }).delete();
    }
  });

  it('enum values stand for their stored states', async () => {
    expect(await keys({ filter: { state: 'ACTIVE' } })).toEqual(await sqlKeys(`state IN ('ACTIVATING','ACTIVATED')`));
    expect(await keys({ filter: { state: { $neq: 'ACTIVE' } } })).toEqual(await sqlKeys(`state = 'COMPLETED'`));
    expect(await keys({ filter: { state: { $like: 'COMP*' } } })).toEqual(await sqlKeys(`state = 'COMPLETED'`));
  });

  it('array columns match when any element matches', async () => {
    expect(await keys({ filter: { group: 'manager' } })).toEqual(await sqlKeys(`'manager' = ANY(groups)`));
    expect(await keys({ filter: { group: { $in: ['clerk', 'manager'] } } })).toEqual(
      await sqlKeys(`cardinality(groups) > 0`),
    );
    expect(await keys({ filter: { group: { $exists: false } } })).toEqual([9000]);
    expect(await keys({ filter: { group: { $like: 'cash*' } } })).toEqual(await sqlKeys(`'cashier' = ANY(groups)`));
  });

  it('booleans', async () => {
    expect(await keys({ filter: { done: true } })).toEqual(await sqlKeys(`state = 'COMPLETED'`));
  });
});

describe('search compiler: sort and pages', () => {
  it('sorts stably with NULLs last and the key as tie-breaker', async () => {
    const items = (await search({ sort: [{ field: 'due', order: 'DESC' }, { field: 'prio' }], page: { limit: 1000 } }))
      .items;
    const { rows } = await db.knex.raw(`SELECT key FROM qtest.t ORDER BY due DESC NULLS LAST, prio ASC, key ASC`);
    expect(items.map((i) => i.key)).toEqual(rows.map((r: { key: string }) => r.key));
  });

  it('offset pages and totals', async () => {
    const r = await search({ page: { from: 50, limit: 10 } });
    expect(r.items.map((i) => Number(i.key))).toEqual([1051, 1052, 1053, 9000]);
    expect(r.page).toMatchObject({ totalItems: 54, hasMoreTotalItems: false });
    expect(r.page.startCursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const empty = await search({ filter: { key: '1' } });
    expect(empty).toEqual({ items: [], page: { totalItems: 0, hasMoreTotalItems: false } });
  });

  it.each([
    [[{ field: 'name' }]],
    [
      [
        { field: 'due', order: 'DESC' },
        { field: 'name', order: 'ASC' },
      ],
    ],
    [[{ field: 'prio', order: 'DESC' }]],
    [undefined],
  ])('cursors walk every row exactly once, forwards and backwards (sort %j)', async (sortBy) => {
    const all = (await search({ sort: sortBy, page: { limit: 1000 } })).items.map((i) => i.key);
    const forward: string[] = [];
    let page = await search({ sort: sortBy, page: { limit: 7 } });
    while (page.items.length > 0) {
      expect(page.page.totalItems).toBe(all.length);
      forward.push(...page.items.map((i) => i.key));
      page = await search({ sort: sortBy, page: { limit: 7, after: page.page.endCursor } });
    }
    expect(forward).toEqual(all);

    const backward: string[] = [];
    page = await search({ sort: sortBy, page: { limit: 1000, from: all.length - 5 } });
    backward.unshift(...page.items.map((i) => i.key));
    while (page.items.length > 0) {
      page = await search({ sort: sortBy, page: { limit: 5, before: page.page.startCursor } });
      backward.unshift(...page.items.map((i) => i.key));
    }
    expect(backward).toEqual(all);
  });
});

describe('search compiler: bad requests name the field', () => {
  const bad = (body: unknown): string => {
    try {
      compileSearch(def, body);
    } catch (e) {
      expect(e).toBeInstanceOf(SearchRequestError);
      return (e as SearchRequestError).field;
    }
    throw new Error(`accepted: ${JSON.stringify(body)}`);
  };

  it.each([
    [{ filter: { nope: 1 } }, 'filter.nope'],
    [{ filter: { name: { $gt: 'a' } } }, 'filter.name.$gt'],
    [{ filter: { prio: 'high' } }, 'filter.prio'],
    [{ filter: { prio: { $in: [1, 'x'] } } }, 'filter.prio.$in[1]'],
    [{ filter: { prio: 1.5 } }, 'filter.prio'],
    [{ filter: { due: 'yesterday' } }, 'filter.due'],
    [{ filter: { due: '2026-02-30T00:00:00Z' } }, 'filter.due'],
    [{ filter: { due: '2026-01-01T24:00:00Z' } }, 'filter.due'],
    [{ filter: { due: '2026-01-01T10:00:00' } }, 'filter.due'],
    [{ filter: { key: 'abc' } }, 'filter.key'],
    [{ filter: { key: '99999999999999999999' } }, 'filter.key'],
    [{ filter: { state: 'SLEEPING' } }, 'filter.state'],
    [{ filter: { exactName: { $like: 'x' } } }, 'filter.exactName'],
    [{ filter: { done: { $eq: true } } }, 'filter.done'],
    [{ filter: { name: { $exists: 'yes' } } }, 'filter.name.$exists'],
    [{ filter: { $or: [{ name: 'x' }] } }, 'filter.$or'],
    [{ filter: [] }, 'filter'],
    [{ sort: [{ field: 'nope' }] }, 'sort[0].field'],
    [{ sort: [{ field: 'name', order: 'UP' }] }, 'sort[0].order'],
    [{ sort: { field: 'name' } }, 'sort'],
    [{ page: { limit: 10001 } }, 'page.limit'],
    [{ page: { limit: -1 } }, 'page.limit'],
    [{ page: { from: 'x' } }, 'page.from'],
    [{ page: { size: 1 } }, 'page.size'],
    [{ page: { from: 1, after: 'abcd' } }, 'page.after'],
    [{ page: { after: 'not a cursor!' } }, 'page.after'],
    [{ page: { before: Buffer.from('[1,2]').toString('base64') } }, 'page.before'],
    [{ filters: {} }, 'filters'],
  ])('%j → %s', (body, field) => {
    expect(bad(body)).toBe(field);
  });

  it('refuses a cursor carrying a NUL character', async () => {
    const { page } = await search({ sort: [{ field: 'name' }], page: { limit: 2 } });
    const [signature, , key] = JSON.parse(Buffer.from(page.endCursor as string, 'base64').toString('utf8'));
    const forged = Buffer.from(JSON.stringify([signature, 'task\u0000', key])).toString('base64');
    expect(bad({ sort: [{ field: 'name' }], page: { after: forged } })).toBe('page.after');
  });

  it('refuses a cursor made for another sort order', async () => {
    const { page } = await search({ sort: [{ field: 'name' }], page: { limit: 2 } });
    expect(bad({ sort: [{ field: 'prio' }], page: { after: page.endCursor } })).toBe('page.after');
  });
});
