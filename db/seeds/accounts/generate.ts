import { fakerZH_CN, type Faker } from '@faker-js/faker';
import type { Knex } from 'knex';
import { nameKeys } from '../../../domain/accounts/pinyin.js';
import { BOOK_AREAS_SQL } from '../../sql/book-areas.js';

export interface SeedOptions {
  /** How many accounts to add. */
  count: number;
  /** Faker seed: the same seed and count give the same names, addresses and amounts. */
  seed?: number;
  /** Accounts per meter book (a reader's route). */
  bookSize?: number;
  /**
   * Load as a bulk job (default from 20,000 accounts): secondary indexes of the touched tables are
   * dropped and rebuilt afterwards, and where the role may, row-level FK triggers are skipped (the
   * generator's rows are consistent by construction). Holds exclusive locks: not for a live system.
   */
  bulk?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface SeedResult {
  accounts: number;
  books: number;
  firstAccountNo: string | null;
  lastAccountNo: string | null;
}

const DISTRICTS = ['城东区', '城西区', '城南区', '城北区', '高新区', '经开区', '滨江区', '新城区'];
const COMMUNITY_SUFFIXES = ['小区', '花园', '家园', '苑', '新村', '公寓'];
const VENDORS = [
  ['NB', '宁波水表', 'LXS-'],
  ['SC', '三川智慧', 'LXSY-'],
  ['XT', '新天科技', 'LXSK-'],
  ['HZ', '汇中股份', 'SCL-'],
  ['AM', '埃美柯', 'LXH-'],
] as const;
// Name pools bigger than this add little realism and cost pinyin time; accounts reuse names (as towns do).
const MAX_PERSON_NAMES = 20000;
const HOUSEHOLDS_PER_BUILDING = 216; // 3 units × 18 floors × 4 rooms
const BULK_FROM = 20000;
const TOUCHED_TABLES = [
  'customers',
  'customer_phones',
  'premises',
  'accounts',
  'meters',
  'meter_replacements',
  'certificates',
  'ledger_entries',
  'payments',
  'allocations',
];

/** Drops the secondary (non-constraint) indexes of the touched tables; returns their definitions. */
async function dropSecondaryIndexes(trx: Knex.Transaction): Promise<string[]> {
  const { rows } = await trx.raw(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'cis' AND i.tablename = ANY(ARRAY(SELECT json_array_elements_text(?::json)))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = 'cis'::regnamespace)`,
    [JSON.stringify(TOUCHED_TABLES)],
  );
  for (const r of rows) await trx.raw(`DROP INDEX cis.${r.indexname}`);
  return rows.map((r: { indexdef: string }) => r.indexdef);
}

/** Skips FK triggers for this transaction when the role is allowed to (superuser); otherwise keeps them. */
async function skipTriggersIfAllowed(trx: Knex.Transaction): Promise<boolean> {
  const { rows } = await trx.raw(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
  if (!rows[0]?.rolsuper) return false;
  await trx.raw(`SET LOCAL session_replication_role = replica`);
  return true;
}

function pools(f: Faker, count: number) {
  const persons = Math.min(Math.max(count, 50), MAX_PERSON_NAMES);
  const orgs = Math.min(Math.max(Math.ceil(count / 30), 10), 2000);
  const name = (n: string) => ({ name: n, ...nameKeys(n) });
  const people = Array.from({ length: persons }, () => name(f.person.fullName()));
  const companies = Array.from({ length: orgs }, () => name(f.company.name()));
  const streets = Array.from({ length: 64 }, () => f.location.street() + f.helpers.arrayElement(['路', '街', '大道']));
  const communities = Array.from(
    { length: 400 },
    () => f.location.street() + f.helpers.arrayElement(COMMUNITY_SUFFIXES),
  );
  const readers = Array.from({ length: 40 }, () => f.person.fullName());
  return { people, companies, streets, communities, readers };
}

/**
 * Adds `count` accounts of a plausible small-town utility: customers (persons and organisations) with
 * valid resident IDs and phones, premises grouped in buildings and communities, meter books of one
 * reading route each, meters of several vendors and kinds, certificates (a few reissued), and a bill
 * plus (mostly) its payment in the ledger. Random text comes from faker (seeded); the rows are made
 * by set-based SQL in one transaction, so a million accounts take seconds per table, not hours.
 * Identifiers come from the same sequences the services use, so seeding never collides with them.
 */
export async function seedDemoAccounts(knex: Knex, opts: SeedOptions): Promise<SeedResult> {
  const count = Math.floor(opts.count);
  if (!(count > 0)) return { accounts: 0, books: 0, firstAccountNo: null, lastAccountNo: null };
  const bookSize = opts.bookSize ?? 2 * HOUSEHOLDS_PER_BUILDING;
  const log = opts.log ?? (() => {});
  const f = fakerZH_CN;
  f.seed(opts.seed ?? 20240601);
  const p = pools(f, count);
  log(`pools: ${p.people.length} person names, ${p.companies.length} organisations`);

  const step = async (label: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    await fn();
    log(`${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  return knex.transaction(async (trx) => {
    await trx.raw(`SET LOCAL synchronous_commit = off`);
    await trx.raw(`SET LOCAL maintenance_work_mem = '1GB'`);
    await trx.raw(`SET LOCAL work_mem = '64MB'`);
    const bulk = opts.bulk ?? count >= BULK_FROM;
    const indexDefs = bulk ? await dropSecondaryIndexes(trx) : [];
    if (bulk && (await skipTriggersIfAllowed(trx))) log('bulk load: FK triggers skipped for this transaction');
    const json = (rows: unknown) => JSON.stringify(rows);
    await trx.raw(
      `CREATE TEMP TABLE seed_people ON COMMIT DROP AS
         SELECT * FROM json_to_recordset(?::json) AS x(idx int, name text, pinyin text, initials text)`,
      [json(p.people.map((r, idx) => ({ idx, ...r })))],
    );
    await trx.raw(
      `CREATE TEMP TABLE seed_orgs ON COMMIT DROP AS
         SELECT * FROM json_to_recordset(?::json) AS x(idx int, name text, pinyin text, initials text)`,
      [json(p.companies.map((r, idx) => ({ idx, ...r })))],
    );
    await trx.raw(
      `CREATE TEMP TABLE seed_places ON COMMIT DROP AS
         SELECT idx, c AS community, s AS street, d AS district
         FROM json_to_recordset(?::json) AS x(idx int, c text, s text, d text)`,
      [
        json(
          p.communities.map((c, i) => ({
            idx: i,
            c,
            s: p.streets[i % p.streets.length],
            d: DISTRICTS[(i % p.streets.length) % DISTRICTS.length],
          })),
        ),
      ],
    );
    // Resident-ID check character (GB 11643) as one arithmetic expression: a per-row function call costs seconds.
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const checkChar = (b17: string) =>
      `substr('10X98765432', (${weights.map((w, i) => `substr(${b17}, ${i + 1}, 1)::int * ${w}`).join(' + ')}) % 11 + 1, 1)`;

    const books = Math.ceil(count / bookSize);
    // One row per new account with every id it needs, drawn from the services' own sequences.
    await step('plan', () =>
      trx.raw(
        `CREATE TEMP TABLE seed_gen ON COMMIT DROP AS
         SELECT n, (n - 1) / ? AS book_idx, ((n - 1) % ?) + 1 AS book_pos, (n - 1) / ${HOUSEHOLDS_PER_BUILDING} AS block,
                nextval('cis.customers_id_seq') AS cid, nextval('cis.premises_id_seq') AS pid,
                nextval('cis.accounts_id_seq') AS aid, nextval('cis.meters_id_seq') AS mid,
                nextval('cis.account_no_seq')::text AS account_no,
                CASE WHEN n % 100 = 0 THEN 'closed' WHEN n % 50 = 7 THEN 'suspended' ELSE 'active' END AS status,
                CASE WHEN n % 10 < 7 THEN 'ordinary' WHEN n % 10 < 9 THEN 'ic_card' ELSE 'remote' END AS meter_kind,
                CASE WHEN n % 33 = 0 THEN 'organisation' ELSE 'person' END AS kind,
                CASE WHEN n % 33 = 0 THEN (CASE WHEN n % 3 = 0 THEN 'special' ELSE 'non_residential' END) ELSE 'residential' END AS class
         FROM generate_series(1, ?) n`,
        [bookSize, bookSize, count],
      ),
    );
    await trx.raw(`CREATE INDEX ON seed_gen (book_idx)`);
    await trx.raw(
      `CREATE TEMP TABLE seed_books ON COMMIT DROP AS
       SELECT i AS book_idx, nextval('cis.meter_books_id_seq') AS id FROM generate_series(0, ? - 1) i`,
      [books],
    );
    await step('meter books', () =>
      trx.raw(
        `INSERT INTO cis.meter_books (id, code, name, reader, cycle)
         SELECT b.id, 'CB' || lpad(b.id::text, 5, '0'), pl.community || '抄表本' || (b.book_idx % 9 + 1),
                r.readers[(b.book_idx % array_length(r.readers, 1)) + 1],
                CASE WHEN b.book_idx % 5 = 4 THEN 'bimonthly' ELSE 'monthly' END
         FROM seed_books b
         CROSS JOIN (SELECT ARRAY(SELECT json_array_elements_text(?::json)) AS readers) r
         JOIN seed_places pl ON pl.idx = ((b.book_idx * ?) / ${HOUSEHOLDS_PER_BUILDING}) % (SELECT count(*) FROM seed_places)`,
        [json(p.readers), bookSize],
      ),
    );
    await step('customers', () =>
      trx.raw(`
        INSERT INTO cis.customers (id, kind, id_doc_type, id_doc_number, name, name_pinyin, name_initials)
        SELECT g.cid, g.kind,
               CASE WHEN g.kind = 'person' THEN 'resident_id' ELSE 'business_licence' END,
               CASE WHEN g.kind = 'person' THEN b17 || ${checkChar('b17')}
                    ELSE '91' || lpad(((g.n::bigint * 2654435761) % 10000000000000000)::text, 16, '0') END,
               coalesce(o.name, pe.name), coalesce(o.pinyin, pe.pinyin), coalesce(o.initials, pe.initials)
        FROM seed_gen g
        CROSS JOIN LATERAL (SELECT (ARRAY['110101','310104','330106','440305','510107','320102'])[g.n % 6 + 1]
                 || to_char(date '1940-01-01' + ((g.n::bigint * 7919) % 25000)::int, 'YYYYMMDD')
                 || lpad((g.n % 1000)::text, 3, '0') AS b17) id
        LEFT JOIN seed_people pe ON g.kind = 'person' AND pe.idx = ((g.n::bigint * 69621) % 2147483647) % (SELECT count(*) FROM seed_people)
        LEFT JOIN seed_orgs o ON g.kind = 'organisation' AND o.idx = (g.n / 33) % (SELECT count(*) FROM seed_orgs)`),
    );
    await step('phones', () =>
      trx.raw(`
        -- Park–Miller steps scatter the digits, so every suffix occurs (a plain n * k leaks n's last digit).
        INSERT INTO cis.customer_phones (customer_id, phone)
        SELECT g.cid, CASE WHEN g.n % 10 = 3
                 THEN '0' || (ARRAY['571','574','510','755'])[g.n % 4 + 1] || '-8' || lpad((((g.n::bigint * 16807) % 2147483647) % 10000000)::text, 7, '0')
                 ELSE '1' || (ARRAY['3','5','7','8','9'])[g.n % 5 + 1] || lpad((((g.n::bigint * 48271) % 2147483647) % 1000000000)::text, 9, '0') END
        FROM seed_gen g`),
    );
    await step('premises', () =>
      trx.raw(`
        INSERT INTO cis.premises (id, district, street, community, building, unit, room)
        SELECT g.pid, pl.district, pl.street, pl.community,
               (g.block / np.c + 1) || '栋', ((g.n - 1) % ${HOUSEHOLDS_PER_BUILDING} / 72 + 1) || '单元',
               (((g.n - 1) % 72) / 4 + 1) || lpad((((g.n - 1) % 4) + 1)::text, 2, '0') || '室'
        FROM seed_gen g
        CROSS JOIN (SELECT count(*)::int AS c FROM seed_places) np
        JOIN seed_places pl ON pl.idx = g.block % np.c`),
    );
    await step('accounts', () =>
      trx.raw(`
        INSERT INTO cis.accounts (id, account_no, customer_id, premise_id, status, customer_class, household_size,
                                  payment_method, book_id, book_seq, suspended_until, opened_at, closed_at)
        SELECT g.aid, g.account_no, g.cid, g.pid, g.status, g.class,
               CASE WHEN g.class = 'residential' THEN (g.n * 7) % 6 + 1 ELSE 1 END,
               CASE WHEN g.meter_kind = 'ic_card' THEN 'prepaid_card' WHEN g.n % 3 = 0 THEN 'bank_debit' ELSE 'counter' END,
               b.id, g.book_pos * 10,
               CASE WHEN g.status = 'suspended' THEN date '2027-03-01' + (g.n % 90)::int END,
               timestamptz '2010-01-01' + ((g.n::bigint * 7919) % 5000) * interval '1 day',
               CASE WHEN g.status = 'closed' THEN timestamptz '2025-01-01' + (g.n % 300) * interval '1 day' END
        FROM seed_gen g JOIN seed_books b ON b.book_idx = g.book_idx`),
    );
    await step('meters', () =>
      trx.raw(
        `INSERT INTO cis.meters (id, serial, kind, vendor, model, caliber_mm, digits, install_date, status, account_id)
         SELECT g.mid, v.codes[g.n % 5 + 1] || lpad(g.mid::text, 9, '0'), g.meter_kind, v.names[g.n % 5 + 1],
                v.models[g.n % 5 + 1] || CASE WHEN g.class = 'residential' THEN '20' ELSE '50' END,
                CASE WHEN g.class = 'residential' THEN (ARRAY[15, 20])[g.n % 2 + 1] ELSE (ARRAY[25, 40, 50])[g.n % 3 + 1] END,
                CASE WHEN g.class = 'residential' THEN 5 ELSE 6 END,
                date '2012-01-01' + ((g.n::bigint * 104729) % 4500)::int,
                CASE WHEN g.status = 'closed' THEN 'removed' ELSE 'in_service' END,
                CASE WHEN g.status = 'closed' THEN NULL ELSE g.aid END
         FROM seed_gen g CROSS JOIN (SELECT ARRAY(SELECT json_array_elements_text(?::json)) AS codes, ARRAY(SELECT json_array_elements_text(?::json)) AS names,
                            ARRAY(SELECT json_array_elements_text(?::json)) AS models) v`,
        [json(VENDORS.map((v) => v[0])), json(VENDORS.map((v) => v[1])), json(VENDORS.map((v) => v[2]))],
      ),
    );
    await step('meter removals', () =>
      trx.raw(`
        INSERT INTO cis.meter_replacements (account_id, old_meter_id, final_reading, reason, replaced_at)
        SELECT g.aid, g.mid, ((g.n * 37) % 5000)::numeric + 0.5, 'demolition', timestamptz '2025-01-01' + (g.n % 300) * interval '1 day'
        FROM seed_gen g WHERE g.status = 'closed'`),
    );
    await step('certificates', async () => {
      // Every 97th account had its certificate reissued once: a void predecessor, then the valid one.
      await trx.raw(`
        CREATE TEMP TABLE seed_certs ON COMMIT DROP AS
        SELECT g.aid, g.cid, g.status, g.n, nextval('cis.certificate_no_seq') AS first_no,
               CASE WHEN g.n % 97 = 0 THEN nextval('cis.certificate_no_seq') END AS second_no
        FROM seed_gen g`);
      await trx.raw(`
        INSERT INTO cis.certificates (number, account_id, customer_id, status, reason, issued_at, voided_at)
        SELECT 'YS2024' || lpad(first_no::text, 7, '0'), aid, cid,
               CASE WHEN second_no IS NULL AND status <> 'closed' THEN 'valid' ELSE 'void' END, 'opening',
               timestamptz '2024-01-01', CASE WHEN second_no IS NOT NULL OR status = 'closed' THEN timestamptz '2024-06-01' END
        FROM seed_certs`);
      await trx.raw(`
        INSERT INTO cis.certificates (number, account_id, customer_id, status, replaces_id, reason, issued_at, voided_at)
        SELECT 'YS2024' || lpad(s.second_no::text, 7, '0'), s.aid, s.cid,
               CASE WHEN s.status = 'closed' THEN 'void' ELSE 'valid' END, c.id, 'lost', timestamptz '2024-06-01',
               CASE WHEN s.status = 'closed' THEN timestamptz '2025-01-01' END
        FROM seed_certs s JOIN cis.certificates c ON c.number = 'YS2024' || lpad(s.first_no::text, 7, '0')
        WHERE s.second_no IS NOT NULL`);
    });
    await step('ledger', () =>
      // A bill per account; six in seven paid it, the rest are in arrears.
      trx.raw(`
        INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref, created_at)
        SELECT g.aid, e.kind, e.amount, e.kind || '-seed-' || g.aid, e.at
        FROM seed_gen g
        CROSS JOIN LATERAL (VALUES
          ('bill', -(((g.n::bigint * 7919) % 9000) + 1200), timestamptz '2026-10-05'),
          ('payment', CASE WHEN g.n % 7 <> 5 THEN ((g.n::bigint * 7919) % 9000) + 1200 END, timestamptz '2026-10-20')
        ) AS e(kind, amount, at)
        WHERE e.amount IS NOT NULL`),
    );
    await step('payments', async () => {
      // The paid bills were paid at the counter: a payment row each, and its allocation to the bill.
      await trx.raw(`
        INSERT INTO cis.payments (channel, serial, method, account_id, amount_fen, batch, cashier, entry_id, business_day, paid_at)
        SELECT 'counter', e.ref, 'cash', e.account_id, e.amount_fen, e.ref, 'seed', e.id, date '2026-10-20', e.created_at
        FROM seed_gen g JOIN cis.ledger_entries e ON e.ref = 'payment-seed-' || g.aid AND e.kind = 'payment'`);
      await trx.raw(`
        INSERT INTO cis.allocations (account_id, credit_entry_id, debit_entry_id, amount_fen)
        SELECT g.aid, p.id, b.id, p.amount_fen
        FROM seed_gen g
        JOIN cis.ledger_entries p ON p.ref = 'payment-seed-' || g.aid AND p.kind = 'payment'
        JOIN cis.ledger_entries b ON b.ref = 'bill-seed-' || g.aid AND b.kind = 'bill'`);
    });
    if (bulk) {
      await trx.raw(`SET LOCAL session_replication_role = DEFAULT`);
      await step(`rebuild ${indexDefs.length} indexes`, async () => {
        for (const def of indexDefs) await trx.raw(def);
      });
      await step('analyze', async () => {
        for (const t of TOUCHED_TABLES) await trx.raw(`ANALYZE cis.${t}`);
      });
    }
    await step('meter-book areas', () => trx.raw(BOOK_AREAS_SQL));
    const range = await trx.raw(`SELECT min(account_no) AS first, max(account_no) AS last FROM seed_gen`);
    const result: SeedResult = {
      accounts: count,
      books,
      firstAccountNo: range.rows[0].first,
      lastAccountNo: range.rows[0].last,
    };
    await trx('cis.audit_log').insert({
      actor: 'seed',
      action: 'seeded',
      entity: 'accounts',
      entity_id: `${result.firstAccountNo}..${result.lastAccountNo}`,
      after: JSON.stringify({ ...result, seed: opts.seed ?? 20240601, bookSize }),
    });
    return result;
  });
}
