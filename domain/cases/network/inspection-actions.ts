import type { Knex } from 'knex';
import { AccountsService } from '../../accounts/service.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { RepairService, type CreatedTicket } from '../../repair/service.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, conflict } from '../errors.js';
import { inspectionCase } from './inspection.js';
import { asCaseRefusal } from './refusals.js';

type Row = Record<string, unknown>;

async function finding(db: Knex, caseNo: string, lock = false): Promise<{ c: Row; f: Row; accountNo: string }> {
  const c = await inspectionCase(db, caseNo, lock);
  const q = db('cis.case_inspections as i')
    .leftJoin('cis.accounts as a', 'a.id', 'i.account_id')
    .where('i.case_id', c.id as number)
    .select('i.*', 'a.account_no');
  const f = await (lock ? q.forUpdate('i') : q).first();
  if (!f) throw conflict('not_inspected', `case ${c.case_no} has no inspection finding`, 'caseNo');
  return { c, f, accountNo: f.account_no };
}

/** The link of a step's result to the finding: an update that a repeated step repeats harmlessly. */
async function link(knex: Knex, caseNo: string, column: string, id: number, ctx: ChangeContext): Promise<void> {
  await inTransaction(
    knex,
    'cases.inspectionLink',
    { ...ctx, idempotencyKey: undefined },
    casesRefusals,
    async (trx) => {
      const { c } = await finding(trx, caseNo, true);
      await trx('cis.case_inspections')
        .where({ case_id: c.id })
        .update({ [column]: id });
    },
  );
}

/** 违章罚款: the finding's penalty charged on the account's ledger (kind `penalty`, ref naming the case). */
export async function chargePenalty(
  knex: Knex,
  caseNo: string,
  ctx: ChangeContext,
): Promise<{ penaltyFen: number; entryId: number }> {
  const { c, f, accountNo } = await finding(knex, caseNo);
  const fen = Number(f.penalty_fen);
  if (fen <= 0) throw conflict('no_penalty', `case ${c.case_no}'s finding carries no penalty`, 'penaltyFen');
  const charged = await asCaseRefusal(() =>
    new AccountsService(knex).postCharge(
      accountNo,
      { kind: 'penalty', amountFen: fen, ref: `water-use-inspection:${c.case_no}`, note: '违章用水罚款' },
      ctx,
    ),
  );
  await link(knex, caseNo, 'penalty_entry_id', charged.entryId, ctx);
  return { penaltyFen: fen, entryId: charged.entryId };
}

/**
 * 转维修: a repair ticket for the account (meter fault for tampering, else other), named after the case. The ticket
 * is created once per job; its own process (repair-ticket) runs as the case's call activity, started with the
 * variables the repair API would give it.
 */
export async function raiseRepair(
  knex: Knex,
  caseNo: string,
  contact: { name: string; phone: string },
  ctx: ChangeContext,
): Promise<{ ticket: CreatedTicket; processVariables: Record<string, unknown> }> {
  const { c, f, accountNo } = await finding(knex, caseNo);
  const repair = new RepairService(knex);
  const created = await asCaseRefusal(() =>
    repair.createTicket(
      {
        accountNo,
        category: f.finding === 'meter_tampering' ? 'meter_fault' : 'other',
        description: `用水监察 ${c.case_no}：${f.note || '现场检查发现问题'}`,
        contactName: contact.name,
        contactPhone: contact.phone,
      },
      ctx,
    ),
  );
  await link(knex, caseNo, 'repair_ticket_id', created.ticketId, ctx);
  // what repair-ticket starts with, as the repair API starts it (the dispatcher's crew choices included)
  const crews = await repair.crews();
  const processVariables = {
    ...(await repair.processVariables(created)),
    crewOptions: crews.map((x) => ({ label: `${x.displayName} (${x.username})`, value: x.username })),
  };
  return { ticket: created, processVariables };
}

/** 用水性质变更: the account's customer class as the finding corrected it, audited with before and after. */
export async function changeClass(
  knex: Knex,
  caseNo: string,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; customerClass: string }> {
  return inTransaction(knex, 'cases.changeClass', ctxIn, casesRefusals, async (trx, ctx) => {
    const { c, f, accountNo } = await finding(trx, caseNo, true);
    if (!f.class_after) throw conflict('no_class_change', `case ${c.case_no}'s finding changes no class`, 'newClass');
    const account = await trx('cis.accounts').where({ id: f.account_id }).forUpdate().first();
    if (account.status === 'closed') throw conflict('account_closed', `account ${accountNo} is closed`, 'accountNo');
    await trx('cis.accounts').where({ id: account.id }).update({ customer_class: f.class_after });
    await trx('cis.case_inspections').where({ case_id: c.id }).update({ class_changed_at: trx.fn.now() });
    await writeAudit(trx, ctx, [
      {
        action: 'customer_class_changed',
        entity: 'account',
        entityId: accountNo,
        accountId: account.id,
        before: { customerClass: account.customer_class },
        after: { customerClass: f.class_after, caseNo: c.case_no },
      },
    ]);
    return { accountNo, customerClass: f.class_after as string };
  });
}
