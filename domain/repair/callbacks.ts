import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { CallbackInput, parse } from './schemas.js';
import { findTicket } from './tickets.js';
import { inTransaction } from '../transaction.js';
import { repairRefusals } from './errors.js';

export interface CallbackRecord {
  ticketNo: string;
  attempt: number;
  reached: boolean;
  satisfaction: number | null;
}

/** One call to the customer after the repair: every call is a record, reached or not. */
export async function recordCallback(
  knex: Knex,
  ticketNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<CallbackRecord> {
  const v = parse(CallbackInput, input);
  return inTransaction(knex, 'repair.callback', ctxIn, repairRefusals, async (trx, ctx) => {
    const t = await findTicket(trx, ticketNo, true);
    if (!['completed', 'closed'].includes(t.status as string))
      throw conflict('not_completed', `ticket ${t.ticket_no} is ${t.status}: call back after the repair`);
    const counted = await trx('cis.repair_callbacks').where({ ticket_id: t.id }).count({ n: '*' }).first();
    const attempt = Number(counted?.n ?? 0) + 1;
    const row = {
      ticket_id: t.id,
      attempt,
      reached: v.reached,
      satisfaction: v.reached ? (v.satisfaction ?? null) : null,
      notes: v.notes,
      called_by: ctx.actor,
    };
    await trx('cis.repair_callbacks').insert(row);
    await writeAudit(trx, ctx, [
      {
        action: 'repair_callback_recorded',
        entity: 'repair_ticket',
        entityId: t.ticket_no as string,
        accountId: t.account_id as string,
        after: { attempt, reached: row.reached, satisfaction: row.satisfaction, notes: row.notes },
      },
    ]);
    return { ticketNo: t.ticket_no as string, attempt, reached: row.reached, satisfaction: row.satisfaction };
  });
}
