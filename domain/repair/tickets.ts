import type { Knex } from 'knex';
import type { CreatedTicket, DuplicateWarning } from '../../contracts/repair.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict, invalid, notFound } from './errors.js';
import { TicketInput, parse } from './schemas.js';
import { serviceLevel } from './settings.js';
import { inTransaction } from '../transaction.js';
import { repairRefusals } from './errors.js';

/** The address as printed: the premise's parts in order (as domain/accounts prints it). */
export const PREMISE_ADDRESS_SQL = `concat_ws('', p.district, p.street, p.community, p.building, p.unit, p.room, p.address_text)`;
export const OPEN_STATUSES = ['open', 'dispatched', 'on_site', 'completed'];

export type { CreatedTicket, DuplicateWarning };

type Row = Record<string, unknown>;

/** A ticket by number (RT-…) or row id. */
export async function findTicket(knex: Knex, ref: string | number, lock = false): Promise<Row> {
  const text = String(ref).trim().toUpperCase();
  const q = knex('cis.repair_tickets').where(/^\d{1,18}$/.test(text) ? { id: text } : { ticket_no: text });
  const row = await (lock ? q.forUpdate() : q).first();
  if (!row) throw notFound('ticket', String(ref));
  return row;
}

/** RT-YYYYMMDD-NNNN: the day in China time, then the day's running number. */
async function nextTicketNo(trx: Knex.Transaction): Promise<string> {
  const { rows } = await trx.raw(`
    INSERT INTO cis.repair_ticket_counters AS c (day, last)
    VALUES ((now() AT TIME ZONE 'Asia/Shanghai')::date, 1)
    ON CONFLICT (day) DO UPDATE SET last = c.last + 1
    RETURNING to_char(day, 'YYYYMMDD') AS day, last`);
  return `RT-${rows[0].day}-${String(rows[0].last).padStart(4, '0')}`;
}

async function duplicatesOf(
  trx: Knex.Transaction,
  accountId: unknown,
  premiseId: unknown,
): Promise<DuplicateWarning[]> {
  if (accountId == null && premiseId == null) return [];
  const rows = await trx('cis.repair_tickets')
    .whereIn('status', OPEN_STATUSES)
    .andWhere((q) => {
      if (accountId != null) q.orWhere({ account_id: accountId });
      if (premiseId != null) q.orWhere({ premise_id: premiseId });
    })
    .orderBy('id')
    .select('ticket_no', 'status', 'account_id');
  return rows.map((r) => {
    const matchedBy = accountId != null && String(r.account_id) === String(accountId) ? 'account' : 'premise';
    return {
      code: 'duplicate' as const,
      ticketNo: r.ticket_no,
      status: r.status,
      matchedBy,
      message: `ticket ${r.ticket_no} (${r.status}) is open for the same ${matchedBy === 'account' ? 'account' : 'address'}`,
    };
  });
}

/** Takes a customer's call: a ticket with its due dates from the urgency's service level. */
export async function createTicket(knex: Knex, input: unknown, ctxIn: ChangeContext): Promise<CreatedTicket> {
  const v = parse(TicketInput, input);
  const sla = await serviceLevel(knex, v.urgency);
  return inTransaction(knex, 'repair.createTicket', ctxIn, repairRefusals, async (trx, ctx) => {
    let account: Row | undefined;
    if (v.accountNo) {
      account = (
        await trx.raw(
          `SELECT a.id, a.account_no, a.status, a.premise_id, ${PREMISE_ADDRESS_SQL} AS address
           FROM cis.accounts a JOIN cis.premises p ON p.id = a.premise_id WHERE a.account_no = ?`,
          [v.accountNo.toUpperCase()],
        )
      ).rows[0];
      if (!account) throw invalid('accountNo', `account ${v.accountNo} does not exist`);
    }
    const warnings = await duplicatesOf(trx, account?.id, account?.premise_id);
    const ticketNo = await nextTicketNo(trx);
    const row = {
      ticket_no: ticketNo,
      account_id: account?.id ?? null,
      premise_id: account?.premise_id ?? null,
      supply_address: v.supplyAddress || (account?.address as string),
      category: v.category,
      description: v.description,
      contact_name: v.contactName,
      contact_phone: v.contactPhone,
      urgency: sla.urgency,
      account_closed: account?.status === 'closed',
      duplicate_of: warnings.map((w) => w.ticketNo),
      created_by: ctx.actor,
      dispatch_due_at: trx.raw(`now() + make_interval(hours => ?)`, [sla.dispatchHours]),
      field_due_at: trx.raw(`now() + make_interval(hours => ?)`, [sla.fieldHours]),
    };
    const [saved] = await trx('cis.repair_tickets').insert(row).returning(['id', 'dispatch_due_at', 'field_due_at']);
    await writeAudit(trx, ctx, [
      {
        action: 'repair_ticket_created',
        entity: 'repair_ticket',
        entityId: ticketNo,
        accountId: (account?.id as string) ?? null,
        after: { ...row, dispatch_due_at: saved.dispatch_due_at, field_due_at: saved.field_due_at },
      },
    ]);
    return {
      ticketId: Number(saved.id),
      ticketNo,
      accountNo: (account?.account_no as string) ?? null,
      supplyAddress: row.supply_address,
      category: row.category,
      urgency: row.urgency,
      accountClosed: row.account_closed,
      dispatchDueAt: new Date(saved.dispatch_due_at).toISOString(),
      fieldDueAt: new Date(saved.field_due_at).toISOString(),
      warnings,
    };
  });
}

/** Remembers the process instance that carries the ticket (its timeline and tasks). */
export async function attachProcess(knex: Knex, ticketNo: string, processInstanceKey: string, ctx: ChangeContext) {
  await inTransaction(knex, 'repair.attachProcess', ctx, repairRefusals, async (trx) => {
    const t = await findTicket(trx, ticketNo, true);
    if (t.process_instance_key && t.process_instance_key !== processInstanceKey)
      throw conflict('already_started', `ticket ${ticketNo} already has process ${t.process_instance_key}`);
    await trx('cis.repair_tickets').where({ id: t.id }).update({ process_instance_key: processInstanceKey });
  });
}

/**
 * Starts the ticket's process once: the ticket row is locked while `start` runs, so a repeated submission of the
 * same call (which the intake's idempotency key answers with the same ticket) finds the process already there
 * instead of starting a second one. `start` is the caller's (the server's engine call): this module makes none.
 */
export async function startProcessOnce(
  knex: Knex,
  ticketNo: string,
  start: () => Promise<string>,
  ctx: ChangeContext,
): Promise<string> {
  return knex.transaction(async (trx) => {
    const t = await findTicket(trx, ticketNo, true);
    if (t.process_instance_key) return t.process_instance_key as string;
    const pik = await start();
    await trx('cis.repair_tickets').where({ id: t.id }).update({ process_instance_key: pik });
    await writeAudit(trx, ctx, [
      { action: 'repair_process_started', entity: 'repair_ticket', entityId: ticketNo, after: { pik } },
    ]);
    return pik;
  });
}

/** The open tickets a new call about this account would duplicate: shown before the ticket is taken. */
export async function duplicatesForAccount(knex: Knex, accountNo: string): Promise<DuplicateWarning[]> {
  const a = await knex('cis.accounts').where({ account_no: accountNo.trim().toUpperCase() }).first('id', 'premise_id');
  if (!a) throw invalid('accountNo', `account ${accountNo} does not exist`);
  return knex.transaction((trx) => duplicatesOf(trx, a.id, a.premise_id));
}

/** An overdue step handed to the managers: once per ticket and step. */
export async function recordEscalation(knex: Knex, ticketNo: string, step: 'dispatch' | 'field', ctxIn: ChangeContext) {
  return inTransaction(knex, 'repair.escalate', ctxIn, repairRefusals, async (trx, ctx) => {
    const t = await findTicket(trx, ticketNo);
    const inserted = await trx('cis.repair_escalations')
      .insert({ ticket_id: t.id, step })
      .onConflict(['ticket_id', 'step'])
      .ignore()
      .returning('id');
    if (inserted.length)
      await writeAudit(trx, ctx, [
        {
          action: 'repair_escalated',
          entity: 'repair_ticket',
          entityId: t.ticket_no as string,
          accountId: t.account_id as string,
          after: { step },
        },
      ]);
    return { ticketNo: t.ticket_no as string, step, escalated: true };
  });
}

/** Closes the ticket after the call-backs (reached, or out of attempts). Closing twice changes nothing. */
export async function closeTicket(knex: Knex, ticketNo: string, reason: string, ctxIn: ChangeContext) {
  return inTransaction(knex, 'repair.closeTicket', ctxIn, repairRefusals, async (trx, ctx) => {
    const t = await findTicket(trx, ticketNo, true);
    if (t.status === 'closed')
      return { ticketNo: t.ticket_no as string, status: 'closed', closeReason: t.close_reason as string };
    await trx('cis.repair_tickets')
      .where({ id: t.id })
      .update({ status: 'closed', closed_at: trx.fn.now(), close_reason: reason });
    await writeAudit(trx, ctx, [
      {
        action: 'repair_ticket_closed',
        entity: 'repair_ticket',
        entityId: t.ticket_no as string,
        accountId: t.account_id as string,
        before: { status: t.status },
        after: { status: 'closed', close_reason: reason },
      },
    ]);
    return { ticketNo: t.ticket_no as string, status: 'closed', closeReason: reason };
  });
}
