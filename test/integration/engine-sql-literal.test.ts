import pg from 'pg';
import { literal, quote } from '../../engine/store/sql.js';

// The engine's flush renders every value as an SQL literal: a wrong quote would corrupt data or
// open an injection, so each case is checked against pg.escapeLiteral and read back by PostgreSQL.
const CASES = [
  '',
  'plain',
  "it's",
  'back\\slash',
  "both ' and \\ and '' \\\\",
  '{"a":"x\\"y","b":"O\'Neil"}',
  "'; DROP TABLE engine.job; --",
  '中文 ünïcode',
];

describe('SQL literals of the engine flush', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.AQUAFLOW_TEST_PG_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it.each(CASES)('quotes %j as pg.escapeLiteral does, and PostgreSQL reads it back unchanged', async (s) => {
    expect(quote(s)).toBe(pg.escapeLiteral(s));
    const { rows } = await client.query(`SELECT ${quote(s)}::text AS v`);
    expect(rows[0].v).toBe(s);
  });

  it('renders dates, arrays and JSON through the same quoting', async () => {
    const value = { k: "v'\\", n: [1, 'x'] };
    const { rows } = await client.query(
      `SELECT ${literal(new Date('2026-01-02T03:04:05.006Z'))} AS d, ${literal(["a'b", 'c\\'])} AS a, ${literal(value)} AS j`,
    );
    expect(rows[0].d.toISOString()).toBe('2026-01-02T03:04:05.006Z');
    expect(rows[0].a).toEqual(["a'b", 'c\\']);
    expect(rows[0].j).toEqual(value);
  });
});
