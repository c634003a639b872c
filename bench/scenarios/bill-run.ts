import type { Knex } from '../../db/index.js';
import { seedDemoAccounts } from '../../db/seeds/accounts/generate.js';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import type { Scenario } from '../scenario.js';
import { billAccountByAccount, loadTariffs } from './bill-run-peer.js';

const YEAR = 2026;
const PERIOD = `${YEAR}-12-01`;
const PEER_SAMPLE = 2000;

/** Runs `load` with the secondary indexes of `tables` dropped and FK triggers skipped (bulk set-up only). */
async function bulkLoad(knex: Knex, tables: string[], load: (trx: Knex.Transaction) => Promise<void>) {
  await knex.transaction(async (trx) => {
    await trx.raw(`SET LOCAL synchronous_commit = off`);
    await trx.raw(`SET LOCAL maintenance_work_mem = '512MB'`);
    const { rows } = await trx.raw(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'cis' AND i.tablename = ANY(?)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = 'cis'::regnamespace)`,
      [tables],
    );
    for (const r of rows) await trx.raw(`DROP INDEX cis.${r.indexname}`);
    const { rows: su } = await trx.raw(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    if (su[0]?.rolsuper) await trx.raw(`SET LOCAL session_replication_role = replica`);
    await load(trx);
    await trx.raw(`SET LOCAL session_replication_role = DEFAULT`);
    for (const r of rows) await trx.raw(r.indexdef);
  });
  for (const t of tables) await knex.raw(`ANALYZE cis.${t}`);
}

/**
 * A year of monthly readings for every account (3–27 m³ a month, spread so that many households climb into
 * the second and third annual tiers), and the earlier bills of the year (January–November: the volume the
 * December bills' annual tiers start from; amounts and lines left out, they are not read). Set-based.
 */
async function generateYear(knex: Knex, progress: (m: string) => void) {
  const t = Date.now();
  await bulkLoad(knex, ['readings', 'bills'], async (trx) => {
    await trx.raw(
      `INSERT INTO cis.readings (account_id, meter_id, book_id, period, read_at, reading, consumption, source, status)
       SELECT a.id, m.id, a.book_id, make_date(?, k, 1), make_timestamptz(?, k, 25, 10, 0, 0, 'Asia/Shanghai'),
              k * 30 + v.vol, v.vol, 'handheld', 'accepted'
       FROM cis.accounts a
       LEFT JOIN (SELECT account_id, min(id) AS id FROM cis.meters WHERE account_id IS NOT NULL GROUP BY account_id) m
         ON m.account_id = a.id
       CROSS JOIN generate_series(1, 12) k
       CROSS JOIN LATERAL (SELECT (3 + ((a.id * 7919 + k * 104729) % 2400) / 100.0)::numeric(12, 3) AS vol) v`,
      [YEAR, YEAR],
    );
    progress(`  readings: ${((Date.now() - t) / 1000).toFixed(0)} s`);
    await trx.raw(
      `INSERT INTO cis.bills (account_id, period, tariff_id, household_size, volume, amount_fen, status, note)
       SELECT r.account_id, r.period, t.id, a.household_size, r.consumption, 0, 'posted', 'bench: earlier bill'
       FROM cis.readings r
       JOIN cis.accounts a ON a.id = r.account_id
       JOIN cis.tariffs t ON t.customer_class = a.customer_class AND daterange(t.effective_from, t.effective_to, '[]') @> r.period
       WHERE r.period >= make_date(?, 1, 1) AND r.period < ?::date`,
      [YEAR, PERIOD],
    );
  });
  progress(`readings and earlier bills generated in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

export const billRun: Scenario = {
  description:
    'monthly bill run (set-based SQL, as the bill-run process computes) over N accounts with a year of readings vs a per-account TypeScript loop on a sample, scaled',
  defaultSize: 1_000_000,
  async run({ knex, size, progress }) {
    const existing = Number((await knex('cis.accounts').count('* as n').first())?.n ?? 0);
    if (existing < size) {
      progress(`generating ${size - existing} accounts (set-based)`);
      await seedDemoAccounts(knex, { count: size - existing, seed: 11, log: (l) => progress(`  ${l}`) });
    }
    await seedDemoTariffs(knex);
    if (!(await knex('cis.readings').where({ period: PERIOD }).first('id'))) await generateYear(knex, progress);
    // A repeated bench on the same database (DATABASE_URL) starts from a period not billed yet.
    await knex.raw(`DELETE FROM cis.bill_lines WHERE bill_id IN (SELECT id FROM cis.bills WHERE period = ?)`, [PERIOD]);
    await knex('cis.bills').where({ period: PERIOD }).delete();
    await knex('cis.bill_runs').where({ period: PERIOD }).delete();
    await knex.raw(`VACUUM ANALYZE cis.readings`);
    await knex.raw(`VACUUM ANALYZE cis.bills`);

    // The peer first, on a sample spread over the table; its bills are kept aside and removed again.
    const { rows: sample } = await knex.raw(
      `SELECT id FROM cis.accounts WHERE id % greatest(1, (SELECT count(*) FROM cis.accounts) / ?) = 0 ORDER BY id LIMIT ?`,
      [PEER_SAMPLE, PEER_SAMPLE],
    );
    const ids = sample.map((r: { id: string }) => Number(r.id));
    const peerRun = await createRun(knex, { period: '2026-12' }, { actor: 'bench' });
    const tariffs = await loadTariffs(knex, PERIOD);
    progress(`peer: per-account loop over ${ids.length} accounts`);
    let t = process.hrtime.bigint();
    const peer = await billAccountByAccount(knex, ids, PERIOD, peerRun.id, tariffs);
    const peerSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    const peerScaled = (peerSeconds / ids.length) * size;
    progress(`peer: ${peerSeconds.toFixed(2)} s for ${ids.length} → ${peerScaled.toFixed(0)} s for ${size} accounts`);
    await knex.raw(`DELETE FROM cis.bill_lines WHERE bill_id IN (SELECT id FROM cis.bills WHERE run_id = ?)`, [
      peerRun.id,
    ]);
    await knex('cis.bills').where({ run_id: peerRun.id }).delete();

    progress(`ours: computeRun over ${size} accounts`);
    const timer = setInterval(async () => {
      const r = await knex('cis.bill_runs').where({ id: peerRun.id }).first('accounts_done', 'accounts_total');
      progress(`  ${r.accounts_done} / ${r.accounts_total}`);
    }, 5000);
    t = process.hrtime.bigint();
    let result;
    try {
      result = await computeRun(knex, peerRun.id);
    } finally {
      clearInterval(timer);
    }
    const oursSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    const billed = Number((await knex('cis.bills').where({ run_id: peerRun.id }).count('* as n').first())?.n ?? 0);
    progress(
      `ours: ${oursSeconds.toFixed(1)} s, ${billed} bills (${result.total} accounts, ${result.withoutTariff} without tariff), ` +
        `${(billed / oursSeconds).toFixed(0)} bills/s`,
    );

    const ours = await knex('cis.bills')
      .where({ run_id: peerRun.id })
      .whereIn('account_id', ids)
      .select('account_id', 'amount_fen');
    const mismatched = ours.filter((b) => peer.get(Number(b.account_id)) !== Number(b.amount_fen));
    if (mismatched.length || ours.length !== peer.size)
      progress(`WARNING: ${mismatched.length} of ${ours.length} sample bills differ from the peer's (${peer.size})`);
    else progress(`the ${ours.length} sample bills agree with the peer's to the fen`);

    return {
      metric: 'bill_run_time',
      value: oursSeconds,
      unit: 's',
      better: 'lower',
      baseline: {
        name: 'per-account TypeScript loop (sample, scaled)',
        metric: 'bill_run_time',
        value: peerScaled,
        unit: 's',
      },
    };
  },
};
