import type { Knex } from 'knex';
import type { MatchKind, SearchHit } from '../../contracts/accounts.js';
import { invalid } from './errors.js';

/** Why an account was found; listed in rank order (lower rank first). */
export const MATCH_RANKS = {
  account_no_exact: 0,
  meter_serial_exact: 1,
  phone_exact: 2,
  name_exact: 3,
  pinyin_exact: 4,
  account_no_prefix: 5,
  meter_serial_prefix: 6,
  phone_suffix: 7,
  name_prefix: 8,
  pinyin_prefix: 9,
  name_fragment: 10,
  address_fragment: 11,
} as const satisfies Record<MatchKind, number>;
export type { MatchKind, SearchHit };

export const SEARCH_MAX_LENGTH = 100;
export const SEARCH_MAX_LIMIT = 100;
// Each kind of match contributes at most max(this, 2 × limit) candidates to the final ranking:
// beyond that the agent narrows the text rather than scrolls.
const BRANCH_MIN = 60;

/** `%`, `_` and `\` in user text are literal characters in LIKE patterns. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Bigrams of a compacted text (a single character stands for itself), as the database builds them. */
export function queryGrams(text: string): string[] {
  const chars = Array.from(text);
  if (chars.length === 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}

interface Branch {
  sql: string;
  bindings: Knex.RawBinding[];
}

/**
 * Plans one query per kind of match that the text can be, each served by its own index and capped,
 * so no branch scans a table: prefixes on `COLLATE "C"` btrees, phone suffixes as prefixes of the
 * reversed digits, Chinese fragments as n-gram containment on GIN, then a LIKE recheck for the exact
 * fragment. The text only ever travels as bound parameters and escaped LIKE patterns.
 */
function branches(raw: string, limit: number): Branch[] {
  const text = raw.normalize('NFKC').trim();
  const compact = text.replace(/\s+/g, '').toLowerCase();
  const upper = compact.toUpperCase();
  const out: Branch[] = [];
  const k = Math.max(BRANCH_MIN, 2 * limit);
  const rank = (kind: MatchKind) => MATCH_RANKS[kind];

  if (/^[0-9A-Z-]+$/.test(upper)) {
    const prefix = escapeLike(upper) + '%';
    out.push({
      sql: `(SELECT a.id AS account_id, CASE WHEN a.account_no = ? THEN ${rank('account_no_exact')} ELSE ${rank('account_no_prefix')} END AS rank
             FROM cis.accounts a WHERE a.account_no LIKE ? ORDER BY a.account_no LIMIT ${k})`,
      bindings: [upper, prefix],
    });
    // A removed meter still leads to the account it last served (closed accounts keep their history).
    out.push({
      sql: `(SELECT coalesce(m.account_id, (SELECT r.account_id FROM cis.meter_replacements r WHERE r.old_meter_id = m.id ORDER BY r.id DESC LIMIT 1)),
                    CASE WHEN m.serial = ? THEN ${rank('meter_serial_exact')} ELSE ${rank('meter_serial_prefix')} END
             FROM cis.meters m WHERE m.serial LIKE ? ORDER BY m.serial LIMIT ${k})`,
      bindings: [upper, prefix],
    });
  }

  const digits = compact.replace(/^\+86/, '').replace(/-/g, '');
  if (/^\d{4,}$/.test(digits)) {
    const rev = Array.from(digits).reverse().join('');
    out.push({
      sql: `(SELECT a.id, CASE WHEN ph.digits_rev = ? THEN ${rank('phone_exact')} ELSE ${rank('phone_suffix')} END
             FROM (SELECT customer_id, digits_rev FROM cis.customer_phones WHERE digits_rev LIKE ? ORDER BY digits_rev LIMIT ${k}) ph
             JOIN cis.accounts a ON a.customer_id = ph.customer_id LIMIT ${k})`,
      bindings: [rev, rev + '%'],
    });
  }

  if (/^[a-z]+$/.test(compact)) {
    const prefix = compact + '%';
    out.push({
      sql: `(SELECT a.id, CASE WHEN c.name_initials = ? OR c.name_pinyin = ? THEN ${rank('pinyin_exact')} ELSE ${rank('pinyin_prefix')} END
             FROM ((SELECT id, name_initials, name_pinyin FROM cis.customers WHERE name_initials LIKE ? ORDER BY name_initials LIMIT ${k})
                   UNION
                   (SELECT id, name_initials, name_pinyin FROM cis.customers WHERE name_pinyin LIKE ? ORDER BY name_pinyin LIMIT ${k})) c
             JOIN cis.accounts a ON a.customer_id = c.id LIMIT ${k})`,
      bindings: [compact, compact, prefix, prefix],
    });
  }

  if (/[^\d\-+]/.test(compact)) {
    const grams = queryGrams(compact);
    const like = escapeLike(compact);
    // Exact names first on their own btree: among thousands of fragment hits they would be left to chance.
    out.push({
      sql: `(SELECT a.id, ${rank('name_exact')} FROM cis.customers c JOIN cis.accounts a ON a.customer_id = c.id WHERE c.name = ? LIMIT ${k})`,
      bindings: [text.replace(/\s+/g, '')],
    });
    out.push({
      sql: `(SELECT a.id, CASE WHEN lower(c.name) = ? THEN ${rank('name_exact')}
                               WHEN lower(c.name) LIKE ? THEN ${rank('name_prefix')} ELSE ${rank('name_fragment')} END
             FROM (SELECT id, name FROM cis.customers WHERE name_grams @> ?::text[] AND lower(name) LIKE ? LIMIT ${k}) c
             JOIN cis.accounts a ON a.customer_id = c.id LIMIT ${k})`,
      bindings: [compact, like + '%', grams, '%' + like + '%'],
    });
    if (Array.from(compact).length >= 2) {
      out.push({
        sql: `(SELECT a.id, ${rank('address_fragment')}
               FROM (SELECT id FROM cis.premises WHERE search_grams @> ?::text[] AND search_text LIKE ? LIMIT ${k}) p
               JOIN cis.accounts a ON a.premise_id = p.id LIMIT ${k})`,
        bindings: [grams, '%' + like + '%'],
      });
    }
  }
  return out;
}

const KIND_BY_RANK = Object.fromEntries(Object.entries(MATCH_RANKS).map(([kind, r]) => [r, kind])) as Record<
  number,
  MatchKind
>;

/** Call-centre lookup: one text finds accounts by any identifier, best matches first. */
export async function searchAccounts(knex: Knex, raw: string, limit = 20): Promise<SearchHit[]> {
  if (typeof raw !== 'string' || raw.trim().length === 0) throw invalid('q', 'search text is empty');
  if (raw.length > SEARCH_MAX_LENGTH) throw invalid('q', `search text is longer than ${SEARCH_MAX_LENGTH} characters`);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT)
    throw invalid('limit', `must be 1..${SEARCH_MAX_LIMIT}`);
  const parts = branches(raw, limit);
  if (parts.length === 0) return [];
  // Rank and cut on the accounts alone; names, addresses, meters and phones only for the rows shown.
  const sql = `
    WITH hits (account_id, rank) AS (${parts.map((b) => b.sql).join('\nUNION ALL\n')}),
    best AS (SELECT account_id, min(rank) AS rank FROM hits WHERE account_id IS NOT NULL GROUP BY account_id),
    top AS (
      SELECT a.id, a.account_no, a.status, a.commodity, a.customer_id, a.premise_id, best.rank
      FROM best JOIN cis.accounts a ON a.id = best.account_id
      ORDER BY best.rank, a.status = 'closed', a.account_no
      LIMIT ?)
    SELECT top.id, top.account_no, top.status, top.commodity, top.rank, c.name AS customer_name,
           concat_ws('', p.district, p.street, p.community, p.building, p.unit, p.room, p.address_text) AS address,
           coalesce((SELECT array_agg(m.serial ORDER BY m.serial) FROM cis.meters m WHERE m.account_id = top.id), '{}') AS meter_serials,
           coalesce((SELECT array_agg(ph.phone ORDER BY ph.id) FROM cis.customer_phones ph WHERE ph.customer_id = c.id), '{}') AS phones
    FROM top
    JOIN cis.customers c ON c.id = top.customer_id
    JOIN cis.premises p ON p.id = top.premise_id
    ORDER BY top.rank, top.status = 'closed', top.account_no`;
  const { rows } = await knex.raw(sql, [...parts.flatMap((b) => b.bindings), limit]);
  return rows.map((r: Record<string, unknown>) => ({
    accountId: Number(r.id),
    accountNo: r.account_no as string,
    status: r.status as string,
    commodity: r.commodity as string,
    customerName: r.customer_name as string,
    address: r.address as string,
    meterSerials: r.meter_serials as string[],
    phones: r.phones as string[],
    matchedBy: KIND_BY_RANK[Number(r.rank)],
  }));
}
