import type { Knex } from 'knex';
import type { AccountContext, FieldOrder, TicketSummary, TicketView } from '../../contracts/repair.js';
import { notFound } from './errors.js';
import { PREMISE_ADDRESS_SQL, findTicket } from './tickets.js';
import { findWorkOrder } from './work-orders.js';

type Row = Record<string, unknown>;
const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

export type { AccountContext, FieldOrder, TicketSummary, TicketView };

const SUMMARY_SQL = `
  SELECT t.*, a.account_no, c.name AS customer_name,
         (SELECT w.crew FROM cis.repair_work_orders w WHERE w.ticket_id = t.id AND w.status <> 'superseded'
          ORDER BY w.id DESC LIMIT 1) AS crew
  FROM cis.repair_tickets t
  LEFT JOIN cis.accounts a ON a.id = t.account_id
  LEFT JOIN cis.customers c ON c.id = a.customer_id`;

function summary(r: Row): TicketSummary {
  return {
    ticketId: Number(r.id),
    ticketNo: r.ticket_no as string,
    accountNo: (r.account_no as string) ?? null,
    customerName: (r.customer_name as string) ?? null,
    supplyAddress: r.supply_address as string,
    category: r.category as string,
    urgency: r.urgency as string,
    status: r.status as string,
    accountClosed: r.account_closed as boolean,
    crew: (r.crew as string) ?? null,
    createdAt: iso(r.created_at)!,
    dispatchDueAt: iso(r.dispatch_due_at)!,
    fieldDueAt: iso(r.field_due_at)!,
    completedAt: iso(r.completed_at),
    processInstanceKey: (r.process_instance_key as string) ?? null,
  };
}

export interface TicketFilter {
  status?: string;
  category?: string;
  accountNo?: string;
  limit?: number;
}

export async function listTickets(knex: Knex, f: TicketFilter = {}): Promise<TicketSummary[]> {
  const where: string[] = [];
  const bindings: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    bindings.push(value);
  };
  if (f.status) add('t.status = ?', f.status);
  if (f.category) add('t.category = ?', f.category);
  if (f.accountNo) add('a.account_no = ?', f.accountNo.toUpperCase());
  const sql = `${SUMMARY_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.id DESC LIMIT ?`;
  const { rows } = await knex.raw(sql, [...bindings, f.limit ?? 50] as never);
  return (rows as Row[]).map(summary);
}

/**
 * What the call-centre agent sees at once for an account: the supply address, the meters, and the
 * service history (earlier tickets of the account or of its premise, newest first).
 */
export async function accountContext(knex: Knex, accountNo: string): Promise<AccountContext> {
  const { rows } = await knex.raw(
    `SELECT a.id, a.account_no, a.status, a.premise_id, c.name AS customer_name, ${PREMISE_ADDRESS_SQL} AS address,
            coalesce((SELECT array_agg(ph.phone ORDER BY ph.id) FROM cis.customer_phones ph WHERE ph.customer_id = c.id), '{}') AS phones
     FROM cis.accounts a JOIN cis.customers c ON c.id = a.customer_id JOIN cis.premises p ON p.id = a.premise_id
     WHERE a.account_no = ?`,
    [String(accountNo).trim().toUpperCase()],
  );
  const a = rows[0];
  if (!a) throw notFound('account', accountNo);
  const meters = await knex('cis.meters')
    .where({ account_id: a.id })
    .orderBy('id')
    .select('serial', 'kind', 'status', 'caliber_mm');
  const history = await knex.raw(
    `${SUMMARY_SQL} WHERE t.account_id = ? OR t.premise_id = ? ORDER BY t.id DESC LIMIT 50`,
    [a.id, a.premise_id],
  );
  return {
    accountNo: a.account_no as string,
    status: a.status as string,
    customerName: a.customer_name as string,
    phones: a.phones as string[],
    supplyAddress: a.address as string,
    meters: meters.map((m) => ({ serial: m.serial, kind: m.kind, status: m.status, caliberMm: m.caliber_mm })),
    history: (history.rows as Row[]).map(summary),
  };
}

/** Everything about one ticket: the call, every work order with its prints, the field result, the call-backs. */
export async function ticketView(knex: Knex, ref: string): Promise<TicketView> {
  const t = await findTicket(knex, ref);
  const { rows } = await knex.raw(`${SUMMARY_SQL} WHERE t.id = ?`, [t.id as string]);
  const workOrders = await knex('cis.repair_work_orders').where({ ticket_id: t.id }).orderBy('id');
  const woIds = workOrders.map((w) => w.id);
  const [prints, results, photos, callbacks, escalations, meters] = await Promise.all([
    knex('cis.repair_work_order_prints').whereIn('work_order_id', woIds).orderBy('id'),
    knex('cis.repair_results').where({ ticket_id: t.id }).orderBy('id'),
    knex('cis.repair_photos')
      .whereIn('work_order_id', woIds)
      .orderBy('id')
      .select('id', 'work_order_id', 'file_name', 'content_type', 'size_bytes', 'uploaded_by', 'uploaded_at'),
    knex('cis.repair_callbacks').where({ ticket_id: t.id }).orderBy('attempt'),
    knex('cis.repair_escalations').where({ ticket_id: t.id }).orderBy('id'),
    t.account_id ? knex('cis.meters').where({ account_id: t.account_id }).orderBy('id').select('serial') : [],
  ]);
  const materials = results.length
    ? await knex('cis.repair_materials')
        .whereIn(
          'result_id',
          results.map((r) => r.id),
        )
        .orderBy('id')
    : [];
  return {
    ...summary(rows[0]),
    description: t.description as string,
    contactName: t.contact_name as string,
    contactPhone: t.contact_phone as string,
    duplicateOf: t.duplicate_of as string[],
    createdBy: t.created_by as string,
    closedAt: iso(t.closed_at),
    closeReason: (t.close_reason as string) ?? null,
    meters: meters.map((m: Row) => m.serial as string),
    workOrders: workOrders.map((w) => ({
      workOrderId: Number(w.id),
      crew: w.crew as string,
      assignedBy: w.assigned_by as string,
      assignedAt: iso(w.assigned_at),
      instructions: w.instructions as string,
      status: w.status as string,
      arrivedAt: iso(w.arrived_at),
      completedAt: iso(w.completed_at),
      prints: prints
        .filter((p) => p.work_order_id === w.id)
        .map((p) => ({ printedBy: p.printed_by as string, printedAt: iso(p.printed_at), reason: p.reason as string })),
      photos: photos
        .filter((p) => p.work_order_id === w.id)
        .map((p) => ({
          id: Number(p.id),
          fileName: p.file_name,
          contentType: p.content_type,
          sizeBytes: p.size_bytes,
        })),
    })),
    results: results.map((r) => ({
      workOrderId: Number(r.work_order_id),
      arrivedAt: iso(r.arrived_at),
      result: r.result as string,
      resolved: r.resolved as boolean,
      recordedBy: r.recorded_by as string,
      recordedAt: iso(r.recorded_at),
      materials: materials
        .filter((m) => m.result_id === r.id)
        .map((m) => ({ name: m.name as string, quantity: m.quantity as string, unit: m.unit as string })),
    })),
    callbacks: callbacks.map((c) => ({
      attempt: c.attempt as number,
      reached: c.reached as boolean,
      satisfaction: (c.satisfaction as number) ?? null,
      notes: c.notes as string,
      calledBy: c.called_by as string,
      calledAt: iso(c.called_at),
    })),
    escalations: escalations.map((e) => ({ step: e.step as string, escalatedAt: iso(e.escalated_at) })),
  };
}

/** The crew's list: its work orders not yet completed, oldest due first. */
export async function openWorkOrdersOf(knex: Knex, crew: string): Promise<FieldOrder[]> {
  const { rows } = await knex.raw(
    `SELECT w.id, w.status, w.arrived_at, w.assigned_at, w.instructions, t.ticket_no, t.category, t.urgency,
            t.supply_address, t.description, t.contact_name, t.contact_phone, t.field_due_at
     FROM cis.repair_work_orders w JOIN cis.repair_tickets t ON t.id = w.ticket_id
     WHERE w.crew = ? AND w.status IN ('assigned', 'on_site')
     ORDER BY t.field_due_at, w.id`,
    [crew],
  );
  return rows.map((r: Row) => ({
    workOrderId: Number(r.id),
    status: r.status as string,
    arrivedAt: iso(r.arrived_at),
    assignedAt: iso(r.assigned_at),
    instructions: r.instructions as string,
    ticketNo: r.ticket_no as string,
    category: r.category as string,
    urgency: r.urgency as string,
    supplyAddress: r.supply_address as string,
    description: r.description as string,
    contactName: r.contact_name as string,
    contactPhone: r.contact_phone as string,
    fieldDueAt: iso(r.field_due_at),
  }));
}

export async function photoContent(knex: Knex, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw notFound('photo', id);
  const row = await knex('cis.repair_photos')
    .where({ id })
    .first('content', 'content_type', 'file_name', 'work_order_id');
  if (!row) throw notFound('photo', id);
  return {
    bytes: row.content as Buffer,
    contentType: row.content_type as string,
    workOrderId: String(row.work_order_id),
  };
}

/** A work order's ticket (for the crew's right to it and the printed page). */
export async function workOrderTicket(knex: Knex, workOrderId: string) {
  const wo = await findWorkOrder(knex, workOrderId);
  return { workOrder: wo, ticketNo: (await findTicket(knex, String(wo.ticket_id))).ticket_no as string };
}
