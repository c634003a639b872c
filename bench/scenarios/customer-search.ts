import type { Knex } from '../../db/index.js';
import { seedDemoAccounts } from '../../db/seeds/accounts/generate.js';
import { searchAccounts } from '../../domain/accounts/search.js';
import type { Scenario } from '../scenario.js';

export type QueryKind = 'number_prefix' | 'name_fragment' | 'pinyin_initials' | 'address_fragment' | 'phone_suffix';
export interface BenchQuery {
  kind: QueryKind;
  q: string;
}

const KINDS: QueryKind[] = ['number_prefix', 'name_fragment', 'pinyin_initials', 'address_fragment', 'phone_suffix'];
const LIMIT = 20;
// The peer scans every row per query: a few per kind give its p95 without an hour-long run.
const NAIVE_PER_KIND = 2;

/**
 * What a service agent types, taken from real rows spread over the table (every k-th account):
 * 7 leading digits of an account number, two characters of a name, the pinyin initials, a
 * community with its building, the last 6 digits of a phone.
 */
export async function sampleQueries(knex: Knex, perKind: number, offset: number): Promise<BenchQuery[]> {
  const { rows } = await knex.raw(
    `WITH n AS (SELECT count(*) AS total FROM cis.accounts)
     SELECT a.account_no, c.name, c.name_initials, p.community, p.building,
            (SELECT ph.phone FROM cis.customer_phones ph WHERE ph.customer_id = c.id ORDER BY ph.id LIMIT 1) AS phone
     FROM generate_series(0, ? - 1) i
     CROSS JOIN n
     JOIN LATERAL (SELECT * FROM cis.accounts a WHERE a.id >= (SELECT min(id) FROM cis.accounts) + ((i * 7919 + ?) % n.total) ORDER BY a.id LIMIT 1) a ON true
     JOIN cis.customers c ON c.id = a.customer_id
     JOIN cis.premises p ON p.id = a.premise_id`,
    [perKind, offset],
  );
  const out: BenchQuery[] = [];
  for (const r of rows) {
    const name = Array.from(r.name as string);
    out.push(
      { kind: 'number_prefix', q: (r.account_no as string).slice(0, 7) },
      { kind: 'name_fragment', q: name.length >= 3 ? name.slice(-2).join('') : name.join('') },
      { kind: 'pinyin_initials', q: r.name_initials },
      { kind: 'address_fragment', q: `${r.community}${r.building}` },
      { kind: 'phone_suffix', q: (r.phone as string).replace(/\D/g, '').slice(-6) },
    );
  }
  return out;
}

/**
 * The peer: what a first version does — ILIKE '%text%' over every searchable column of the same
 * tables (EXISTS for the one-to-many ones, so it is not also paying for a row explosion).
 */
export async function naiveSearch(knex: Knex, q: string, limit = LIMIT): Promise<string[]> {
  const like = '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
  const { rows } = await knex.raw(
    `SELECT a.account_no
     FROM cis.accounts a
     JOIN cis.customers c ON c.id = a.customer_id
     JOIN cis.premises p ON p.id = a.premise_id
     WHERE a.account_no ILIKE :like OR c.name ILIKE :like OR c.name_pinyin ILIKE :like OR c.name_initials ILIKE :like
        OR (p.district || p.street || p.community || p.building || p.unit || p.room || p.address_text) ILIKE :like
        OR EXISTS (SELECT 1 FROM cis.meters m WHERE m.account_id = a.id AND m.serial ILIKE :like)
        OR EXISTS (SELECT 1 FROM cis.customer_phones ph WHERE ph.customer_id = c.id AND ph.phone ILIKE :like)
     ORDER BY a.account_no
     LIMIT :limit`,
    { like, limit },
  );
  return rows.map((r: { account_no: string }) => r.account_no);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeAll(queries: BenchQuery[], fn: (q: string) => Promise<unknown[]>) {
  const ms: number[] = [];
  const empty: BenchQuery[] = [];
  for (const query of queries) {
    const t = process.hrtime.bigint();
    const hits = await fn(query.q);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (hits.length === 0) empty.push(query);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), empty };
}

export const customerSearch: Scenario = {
  description:
    'call-centre lookup p95 over mixed queries (number prefix, name, pinyin initials, address, phone suffix) vs naive ILIKE',
  defaultSize: 1_000_000,
  async run({ knex, size, progress }) {
    const existing = Number((await knex('cis.accounts').count('* as n').first())?.n ?? 0);
    if (existing < size) {
      progress(`generating ${size - existing} accounts (set-based)`);
      const t = Date.now();
      await seedDemoAccounts(knex, { count: size - existing, seed: 7, log: (l) => progress(`  ${l}`) });
      progress(`generated in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    } else progress(`reusing ${existing} accounts`);

    const perKind = 40;
    const warm = await sampleQueries(knex, 10, 12345);
    const queries = await sampleQueries(knex, perKind, 1);
    progress(`warming up with ${warm.length} queries`);
    for (const q of warm) await searchAccounts(knex, q.q, LIMIT);

    progress(`ours: ${queries.length} queries`);
    const ours = await timeAll(queries, (q) => searchAccounts(knex, q, LIMIT));
    for (const kind of KINDS) {
      const k = await timeAll(
        queries.filter((q) => q.kind === kind),
        (q) => searchAccounts(knex, q, LIMIT),
      );
      progress(`  ${kind}: p50 ${k.p50.toFixed(1)} ms, p95 ${k.p95.toFixed(1)} ms`);
    }
    if (ours.empty.length)
      progress(`  WARNING: ${ours.empty.length} queries found nothing, e.g. ${JSON.stringify(ours.empty[0])}`);
    progress(`ours: p50 ${ours.p50.toFixed(1)} ms, p95 ${ours.p95.toFixed(1)} ms`);

    const naiveQueries = KINDS.flatMap((kind) => queries.filter((q) => q.kind === kind).slice(0, NAIVE_PER_KIND));
    progress(`naive ILIKE: ${naiveQueries.length} queries`);
    const naive = await timeAll(naiveQueries, (q) => naiveSearch(knex, q, LIMIT));
    progress(`naive: p50 ${naive.p50.toFixed(1)} ms, p95 ${naive.p95.toFixed(1)} ms`);

    return {
      metric: 'p95_latency',
      value: ours.p95,
      unit: 'ms',
      better: 'lower',
      baseline: { name: "naive ILIKE '%…%' over the same tables", metric: 'p95_latency', value: naive.p95, unit: 'ms' },
    };
  },
};
