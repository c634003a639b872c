import pg from 'pg';
import type { Scenario } from '../scenario.js';

/** Sequential single-row queries on one connection: what the knex layer costs over the raw driver. */
export const dbRoundtrip: Scenario = {
  description: 'queries/s through knex vs the raw pg driver, one connection, sequential',
  defaultSize: 5000,
  async run({ databaseUrl, knex, size, progress }) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const viaKnex = async (n: number) => {
        for (let i = 0; i < n; i++) await knex.raw('select ?::int as n', [i]);
      };
      const viaPg = async (n: number) => {
        for (let i = 0; i < n; i++) await client.query('select $1::int as n', [i]);
      };
      progress('warming up');
      await viaKnex(Math.min(200, size));
      await viaPg(Math.min(200, size));
      progress(`knex: ${size} queries`);
      const ours = await rate(() => viaKnex(size), size);
      progress(`pg: ${size} queries`);
      const peer = await rate(() => viaPg(size), size);
      return {
        metric: 'queries_per_second',
        value: ours,
        unit: 'queries/s',
        better: 'higher',
        baseline: { name: 'pg (raw driver)', metric: 'queries_per_second', value: peer, unit: 'queries/s' },
      };
    } finally {
      await client.end();
    }
  },
};

async function rate(fn: () => Promise<void>, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return n / seconds;
}
