import type { Knex } from 'knex';
import type { HouseholdChangeView } from '../../contracts/billing.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { notFound } from './errors.js';
import type { Row } from './rows.js';
import { HouseholdChangeInput, parse } from './schemas.js';
import { isoDate } from './tariffs.js';

/**
 * The household size in force on a day (the rule compute-sql.ts applies set-based): the latest change effective by
 * then (of two on one day, the later recorded); before every change, the size the earliest one replaced; without
 * changes, the account's `household_size`. Returns the change it comes from (null: the account's size).
 */
async function sizeInForce(
  trx: Knex.Transaction,
  account: Row,
  day: string,
): Promise<{ persons: number; changeId: number | null }> {
  const { rows } = await trx.raw(
    `SELECT h.id, CASE WHEN h.effective_from <= CAST(:day AS date) THEN h.persons ELSE h.persons_before END AS persons,
            h.effective_from <= CAST(:day AS date) AS in_force
     FROM cis.household_changes h WHERE h.account_id = :id
     ORDER BY h.effective_from <= CAST(:day AS date) DESC,
              CASE WHEN h.effective_from <= CAST(:day AS date) THEN h.effective_from END DESC NULLS LAST,
              CASE WHEN h.effective_from <= CAST(:day AS date) THEN h.id END DESC NULLS LAST,
              h.effective_from, h.id
     LIMIT 1`,
    { id: account.id, day },
  );
  if (rows.length === 0) return { persons: account.household_size, changeId: null };
  return { persons: rows[0].persons, changeId: rows[0].in_force ? Number(rows[0].id) : null };
}

function view(r: Row, accountNo: string, householdSize: number): HouseholdChangeView {
  return {
    id: Number(r.id),
    accountNo,
    effectiveFrom: isoDate(r.effective_from),
    persons: r.persons,
    personsBefore: r.persons_before,
    documentRef: r.document_ref,
    note: r.note,
    actor: r.actor,
    createdAt: new Date(r.created_at).toISOString(),
    householdSize,
  };
}

async function accountRow(db: Knex | Knex.Transaction, accountNo: string, lock: boolean): Promise<Row> {
  const q = db('cis.accounts').where({ account_no: accountNo.trim().toUpperCase() });
  const account = await (lock ? q.forUpdate() : q).first('id', 'account_no', 'household_size');
  if (!account) throw notFound('account', accountNo);
  return account;
}

/**
 * Records a household size change (户口) from a date, with its document reference; append-only. Bills of periods
 * from that date on extend their tiers by the new size. A change in force today (the utility's date) is also
 * copied to `cis.accounts.household_size`, what the account's screens show. One audit row per change.
 */
export async function recordHouseholdChange(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctx: ChangeContext,
): Promise<HouseholdChangeView> {
  const v = parse(HouseholdChangeInput, input);
  return knex.transaction(async (trx) => {
    const account = await accountRow(trx, accountNo, true);
    const { rows: days } = await trx.raw(
      `SELECT to_char(CAST(:from AS date) - 1, 'YYYY-MM-DD') AS before,
              to_char(now() AT TIME ZONE s.time_zone, 'YYYY-MM-DD') AS today
       FROM cis.metering_settings s`,
      { from: v.effectiveFrom },
    );
    const before = await sizeInForce(trx, account, days[0].before);
    const [row] = await trx('cis.household_changes')
      .insert({
        account_id: account.id,
        effective_from: v.effectiveFrom,
        persons: v.persons,
        persons_before: before.persons,
        document_ref: v.documentRef,
        note: v.note,
        actor: ctx.actor,
      })
      .returning('*');
    const today = await sizeInForce(trx, account, days[0].today);
    const copied = today.changeId === Number(row.id) && today.persons !== account.household_size;
    if (copied) await trx('cis.accounts').where({ id: account.id }).update({ household_size: today.persons });
    const householdSize = copied ? today.persons : account.household_size;
    await writeAudit(trx, ctx, [
      {
        action: 'household_changed',
        entity: 'account',
        entityId: account.id,
        accountId: account.id,
        before: { householdSize: account.household_size, personsBefore: before.persons },
        after: {
          changeId: Number(row.id),
          effectiveFrom: v.effectiveFrom,
          persons: v.persons,
          documentRef: v.documentRef,
          householdSize,
        },
      },
    ]);
    return view(row, account.account_no, householdSize);
  });
}

/** An account's household changes, by effective date then as recorded. */
export async function householdChanges(knex: Knex, accountNo: string): Promise<HouseholdChangeView[]> {
  const account = await accountRow(knex, accountNo, false);
  const rows = await knex('cis.household_changes').where({ account_id: account.id }).orderBy(['effective_from', 'id']);
  return rows.map((r) => view(r, account.account_no, account.household_size));
}
