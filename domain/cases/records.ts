import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { casesRefusals, conflict, invalid, notFound } from './errors.js';
import { CloseCaseInput, parse } from './schemas.js';

type Row = Record<string, unknown>;

/** A case by number (YW-…), case-insensitive. */
export async function findCase(knex: Knex, caseNo: string, lock = false): Promise<Row> {
  const q = knex('cis.cases').where({ case_no: String(caseNo).trim().toUpperCase() });
  const row = await (lock ? q.forUpdate() : q).first();
  if (!row) throw notFound('case', caseNo);
  return row;
}

/** The process that runs the case; set once (a second, different instance is refused). */
export async function attachProcess(knex: Knex, caseNo: string, pik: string, ctxIn: ChangeContext): Promise<void> {
  await inTransaction(knex, 'cases.attachProcess', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.process_instance_key === pik) return;
    if (c.process_instance_key)
      throw conflict('process_attached', `case ${c.case_no} runs in instance ${c.process_instance_key}`);
    await trx('cis.cases').where({ id: c.id }).update({ process_instance_key: pik });
    await writeAudit(trx, ctx, [
      { action: 'case_process_attached', entity: 'case', entityId: c.case_no as string, after: { pik } },
    ]);
  });
}

/**
 * The case's end as its process reached it. Closing again with the same status changes nothing (a job delivered
 * twice); a case closed one way is never closed another way.
 */
export async function closeCase(knex: Knex, caseNo: string, input: unknown, ctxIn: ChangeContext): Promise<void> {
  const v = parse(CloseCaseInput, input);
  await inTransaction(knex, 'cases.closeCase', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.status === v.status) return;
    if (c.status !== 'open') throw conflict('case_closed', `case ${c.case_no} is already ${c.status}`, 'status');
    await trx('cis.cases')
      .where({ id: c.id })
      .update({ status: v.status, outcome: v.outcome, closed_at: trx.fn.now() });
    await writeAudit(trx, ctx, [
      {
        action: 'case_closed',
        entity: 'case',
        entityId: c.case_no as string,
        accountId: (c.account_id as string) ?? null,
        before: { status: c.status },
        after: v,
      },
    ]);
  });
}

/** Merges facts a step established into the case's details (e.g. the survey's findings), keeping the rest. */
export async function recordDetails(
  knex: Knex,
  caseNo: string,
  details: Record<string, unknown>,
  ctxIn: ChangeContext,
): Promise<void> {
  if (JSON.stringify(details).length > 20_000) throw invalid('details', 'is too large (at most 20000 characters)');
  await inTransaction(knex, 'cases.recordDetails', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    await trx('cis.cases')
      .where({ id: c.id })
      .update({ details: trx.raw('details || ?::jsonb', [JSON.stringify(details)]) });
    await writeAudit(trx, ctx, [
      { action: 'case_details_recorded', entity: 'case', entityId: c.case_no as string, after: details },
    ]);
  });
}
