import type { Knex } from 'knex';
import { placeInBook } from '../../accounts/book-order.js';
import { AccountsService } from '../../accounts/service.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { CasesError, casesRefusals, conflict, invalid } from '../errors.js';
import { findCase } from '../records.js';
import { asCaseRefusal } from './refusals.js';
import { PremiseInput, RelocationCostInput, parse } from './schemas.js';

type Row = Record<string, unknown>;

async function relocationCase(db: Knex, caseNo: string, lock = false): Promise<Row> {
  const c = await findCase(db, caseNo, lock);
  if (c.case_type !== 'relocation')
    throw new CasesError(409, 'wrong_case_type', `case ${c.case_no} is not a relocation`, 'caseNo');
  if (!c.account_id) throw invalid('accountNo', `case ${c.case_no} names no account`);
  return c;
}

/**
 * 搬迁费: the cost the survey established, charged on the account's ledger (kind `relocation_fee`, ref naming the
 * case). Nothing is charged for a cost of 0.
 */
export async function chargeRelocation(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctx: ChangeContext,
): Promise<{ costFen: number; entryId: number | null }> {
  const { costYuan: costFen } = parse(RelocationCostInput, input);
  const c = await relocationCase(knex, caseNo);
  if (costFen === 0) return { costFen, entryId: null };
  const account = await knex('cis.accounts').where({ id: c.account_id }).first('account_no');
  const charged = await asCaseRefusal(() =>
    new AccountsService(knex).postCharge(
      account.account_no,
      { kind: 'relocation_fee', amountFen: costFen, ref: `relocation:${c.case_no}`, note: '搬迁费' },
      ctx,
    ),
  );
  return { costFen, entryId: charged.entryId };
}

/**
 * 表位迁移: the account moves to its new premises (a new premises row: the old one stays, as readings, tickets and
 * earlier cases refer to it). The new address must lie in a meter book's area; when that is another book, the
 * account joins the end of that book's route. Once per case.
 */
export async function relocateAccount(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; premiseId: number; bookCode: string; address: string }> {
  const p = parse(PremiseInput, input, 'premise');
  return inTransaction(knex, 'cases.relocateAccount', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await relocationCase(trx, caseNo, true);
    const account = await trx('cis.accounts').where({ id: c.account_id }).forUpdate().first();
    if (await trx('cis.case_relocations').where({ case_id: c.id }).first('case_id'))
      throw conflict('already_relocated', `case ${c.case_no} has already moved account ${account.account_no}`);
    if (account.status === 'closed')
      throw conflict('account_closed', `account ${account.account_no} is closed`, 'accountNo');
    const area = await trx('cis.meter_book_areas as a')
      .join('cis.meter_books as b', 'b.id', 'a.book_id')
      .where({ 'a.district': p.district, 'a.street': p.street })
      .forUpdate('b')
      .first('b.id', 'b.code');
    if (!area)
      throw new CasesError(
        422,
        'address_outside_books',
        `premise.street: ${p.district}${p.street} lies in no meter book's area`,
        'premise.street',
      );
    const old = await trx('cis.premises').where({ id: account.premise_id }).first();
    const [{ id: premiseId }] = await trx('cis.premises').insert(p).returning('id');
    const moved: Row = { premise_id: premiseId };
    if (String(area.id) !== String(account.book_id)) {
      moved.book_id = area.id;
      moved.book_seq = await placeInBook(trx, Number(area.id), {}, ctx);
    }
    await trx('cis.accounts').where({ id: account.id }).update(moved);
    await trx('cis.case_relocations').insert({
      case_id: c.id,
      account_id: account.id,
      old_premise_id: old.id,
      new_premise_id: premiseId,
      old_book_id: account.book_id,
      new_book_id: area.id,
      moved_by: ctx.actor,
    });
    const parts = ['district', 'street', 'community', 'building', 'unit', 'room'] as const;
    const address = parts.map((k) => p[k]).join('');
    await writeAudit(trx, ctx, [
      {
        action: 'account_relocated',
        entity: 'account',
        entityId: account.account_no,
        accountId: account.id,
        before: {
          premiseId: Number(old.id),
          address: parts.map((k) => old[k]).join(''),
          bookId: Number(account.book_id),
          bookSeq: account.book_seq,
        },
        after: {
          premiseId: Number(premiseId),
          address,
          bookId: Number(area.id),
          bookSeq: moved.book_seq ?? account.book_seq,
          caseNo: c.case_no,
        },
      },
    ]);
    return { accountNo: account.account_no, premiseId: Number(premiseId), bookCode: area.code, address };
  });
}
