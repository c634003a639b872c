import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, conflict } from '../errors.js';
import { findCase } from '../records.js';
import { AcceptedFacts, parse, StepInput } from './schemas.js';

/**
 * What a step established (survey findings, works, acceptance, the signed date), one row per completion. An
 * accepted acceptance without a meter serial, or with a reading that is not one, is refused (422 naming it).
 */
export async function recordStep(knex: Knex, caseNo: string, input: unknown, ctxIn: ChangeContext): Promise<number> {
  const v = parse(StepInput, input);
  // an accepted connection names its meter (the form requires it too): 422 naming the field, back to the task
  if (v.step === 'acceptance' && v.facts.accepted === true) parse(AcceptedFacts, v.facts);
  return inTransaction(knex, 'cases.connection.recordStep', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.status !== 'open') throw conflict('case_closed', `case ${c.case_no} is ${c.status}`);
    const [{ id }] = await trx('cis.case_connection_steps')
      .insert({ case_id: c.id, step: v.step, facts: JSON.stringify(v.facts), recorded_by: ctx.actor })
      .returning('id');
    await writeAudit(trx, ctx, [
      { action: 'step_recorded', entity: 'case', entityId: c.case_no as string, after: { step: v.step, ...v.facts } },
    ]);
    return Number(id);
  });
}

/**
 * The account the connection opened becomes the case's account (its customer and premises too), so the case is
 * found from the customer's page and the account's. Linking the same account again changes nothing.
 */
export async function linkAccount(knex: Knex, caseNo: string, accountNo: string, ctxIn: ChangeContext): Promise<void> {
  await inTransaction(knex, 'cases.connection.linkAccount', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    const a = await trx('cis.accounts')
      .where({ account_no: String(accountNo).toUpperCase() })
      .first();
    if (!a) throw casesRefusals.invalid('accountNo', `account ${accountNo} does not exist`);
    if (String(c.account_id) === String(a.id)) return;
    if (c.account_id) throw conflict('account_linked', `case ${c.case_no} has another account`, 'accountNo');
    const after = { account_id: a.id, customer_id: a.customer_id, premise_id: a.premise_id };
    await trx('cis.cases').where({ id: c.id }).update(after);
    await writeAudit(trx, ctx, [
      {
        action: 'case_account_linked',
        entity: 'case',
        entityId: c.case_no as string,
        accountId: a.id,
        before: { account_id: null, customer_id: c.customer_id, premise_id: c.premise_id },
        after,
      },
    ]);
  });
}
