import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict, invalid, notFound } from './errors.js';
import { checkPhoto, type PhotoUpload } from './photos.js';
import { AssignInput, ResultInput, parse } from './schemas.js';
import { loadSettings } from './settings.js';
import { findTicket } from './tickets.js';
import { inTransaction } from '../transaction.js';
import { repairRefusals } from './errors.js';

type Row = Record<string, unknown>;

export async function findWorkOrder(knex: Knex, id: string | number, lock = false): Promise<Row> {
  if (!/^\d{1,18}$/.test(String(id))) throw notFound('work order', String(id));
  const q = knex('cis.repair_work_orders').where({ id: String(id) });
  const row = await (lock ? q.forUpdate() : q).first();
  if (!row) throw notFound('work order', String(id));
  return row;
}

/** The crews are the users with the role `crew`: the dispatcher picks one of them by user name. */
export async function crews(knex: Knex): Promise<Array<{ username: string; displayName: string }>> {
  const rows = await knex('cis.users as u')
    .join('cis.user_roles as r', 'r.user_id', 'u.id')
    .where({ 'r.role': 'crew', 'u.active': true })
    .orderBy('u.username')
    .select('u.username', 'u.display_name');
  return rows.map((r) => ({ username: r.username, displayName: r.display_name }));
}

/**
 * Dispatch: a work order for the chosen crew, printed once as it is handed out (the print log's first row).
 * A new assignment supersedes the open work order of the ticket.
 */
export async function assignCrew(knex: Knex, ticketNo: string, input: unknown, ctxIn: ChangeContext) {
  const v = parse(AssignInput, input);
  if (!(await crews(knex)).some((c) => c.username === v.crew)) throw invalid('crew', `${v.crew} is not a repair crew`);
  return inTransaction(knex, 'repair.assignCrew', ctxIn, repairRefusals, async (trx, ctx) => {
    const t = await findTicket(trx, ticketNo, true);
    if (!['open', 'dispatched', 'on_site'].includes(t.status as string))
      throw conflict('not_open', `ticket ${t.ticket_no} is ${t.status}: no crew can be sent`);
    const superseded = await trx('cis.repair_work_orders')
      .where({ ticket_id: t.id })
      .whereIn('status', ['assigned', 'on_site'])
      .update({ status: 'superseded' })
      .returning('id');
    const [wo] = await trx('cis.repair_work_orders')
      .insert({ ticket_id: t.id, crew: v.crew, assigned_by: v.dispatchedBy || ctx.actor, instructions: v.instructions })
      .returning(['id', 'assigned_at']);
    await trx('cis.repair_work_order_prints').insert({
      work_order_id: wo.id,
      printed_by: ctx.actor,
      reason: 'assigned',
    });
    await trx('cis.repair_tickets').where({ id: t.id }).update({ status: 'dispatched' });
    await writeAudit(trx, ctx, [
      {
        action: 'repair_crew_assigned',
        entity: 'repair_ticket',
        entityId: t.ticket_no as string,
        accountId: t.account_id as string,
        before: { status: t.status, superseded: superseded.map((s: Row) => String(s.id)) },
        after: { status: 'dispatched', workOrderId: String(wo.id), crew: v.crew, instructions: v.instructions },
      },
    ]);
    return { ticketNo: t.ticket_no as string, workOrderId: Number(wo.id), crew: v.crew };
  });
}

/** Every print of a work order is a row: who, when, first print or reprint. */
export async function logPrint(knex: Knex, workOrderId: string | number, printedBy: string) {
  const wo = await findWorkOrder(knex, workOrderId);
  await knex('cis.repair_work_order_prints').insert({ work_order_id: wo.id, printed_by: printedBy, reason: 'reprint' });
}

function mayWork(wo: Row, actor: string, asCrew: boolean) {
  if (asCrew && wo.crew !== actor)
    throw conflict('not_your_work_order', `work order ${wo.id} is assigned to ${wo.crew}`);
}

/** The crew is on site (the first arrival counts; recording it again changes nothing). */
export async function recordArrival(
  knex: Knex,
  workOrderId: string | number,
  at: string | undefined,
  ctxIn: ChangeContext,
  asCrew = true,
) {
  if (at !== undefined && Number.isNaN(Date.parse(at))) throw invalid('arrivedAt', 'a date and time');
  return inTransaction(knex, 'repair.arrival', ctxIn, repairRefusals, async (trx, ctx) => {
    const wo = await findWorkOrder(trx, workOrderId, true);
    mayWork(wo, ctx.actor, asCrew);
    if (wo.arrived_at)
      return { workOrderId: Number(wo.id), arrivedAt: new Date(wo.arrived_at as string).toISOString() };
    if (wo.status !== 'assigned') throw conflict('not_open', `work order ${wo.id} is ${wo.status}`);
    const [saved] = await trx('cis.repair_work_orders')
      .where({ id: wo.id })
      .update({ status: 'on_site', arrived_at: at ?? trx.fn.now() })
      .returning('arrived_at');
    const t = await findTicket(trx, String(wo.ticket_id));
    await trx('cis.repair_tickets').where({ id: wo.ticket_id }).update({ status: 'on_site' });
    await writeAudit(trx, ctx, [
      {
        action: 'repair_crew_arrived',
        entity: 'repair_ticket',
        entityId: t.ticket_no as string,
        accountId: t.account_id as string,
        after: { workOrderId: String(wo.id), arrivedAt: saved.arrived_at },
      },
    ]);
    return { workOrderId: Number(wo.id), arrivedAt: new Date(saved.arrived_at).toISOString() };
  });
}

/** Photos of the site: all checked (type by magic bytes, size) before any is kept. */
export async function addPhotos(
  knex: Knex,
  workOrderId: string | number,
  photos: PhotoUpload[],
  ctxIn: ChangeContext,
  asCrew = true,
) {
  if (photos.length === 0) throw invalid('photos', 'no file was sent');
  const { photoMaxBytes } = await loadSettings(knex);
  const types = photos.map((p) => checkPhoto(p, photoMaxBytes));
  return inTransaction(knex, 'repair.photos', ctxIn, repairRefusals, async (trx, ctx) => {
    const wo = await findWorkOrder(trx, workOrderId, true);
    mayWork(wo, ctx.actor, asCrew);
    if (!['assigned', 'on_site'].includes(wo.status as string))
      throw conflict('not_open', `work order ${wo.id} is ${wo.status}`);
    const ids = await trx('cis.repair_photos')
      .insert(
        photos.map((p, i) => ({
          work_order_id: wo.id,
          file_name: p.fileName.slice(0, 200),
          content_type: types[i],
          size_bytes: p.bytes.length,
          content: Buffer.from(p.bytes),
          uploaded_by: ctx.actor,
        })),
      )
      .returning(['id', 'file_name', 'content_type', 'size_bytes']);
    return ids.map((r: Row) => ({
      id: Number(r.id),
      fileName: r.file_name as string,
      contentType: r.content_type as string,
      sizeBytes: r.size_bytes as number,
    }));
  });
}

export interface CompletedWorkOrder {
  ticketNo: string;
  workOrderId: number;
  resolved: boolean;
  result: string;
  completedAt: string;
  /** False when the work order was already complete: the second completion changed nothing. */
  changed: boolean;
}

/**
 * The field result: arrival, what was done, materials. Completing a work order a second time (a form sent
 * twice, a job delivered twice) returns the first result and changes nothing.
 */
export async function completeWorkOrder(
  knex: Knex,
  workOrderId: string | number,
  input: unknown,
  ctxIn: ChangeContext,
  asCrew = true,
): Promise<CompletedWorkOrder> {
  const v = parse(ResultInput, input);
  return inTransaction(knex, 'repair.complete', ctxIn, repairRefusals, async (trx, ctx) => {
    const wo = await findWorkOrder(trx, workOrderId, true);
    const t = await findTicket(trx, String(wo.ticket_id), true);
    const existing = await trx('cis.repair_results').where({ work_order_id: wo.id }).first();
    if (existing)
      return {
        ticketNo: t.ticket_no as string,
        workOrderId: Number(wo.id),
        resolved: existing.resolved,
        result: existing.result,
        completedAt: new Date(wo.completed_at as string).toISOString(),
        changed: false,
      };
    mayWork(wo, ctx.actor, asCrew);
    if (wo.status === 'superseded') throw conflict('superseded', `work order ${wo.id} was replaced by a new dispatch`);
    const arrivedAt = v.arrivedAt ?? wo.arrived_at ?? null;
    const [result] = await trx('cis.repair_results')
      .insert({
        work_order_id: wo.id,
        ticket_id: t.id,
        arrived_at: arrivedAt ?? trx.fn.now(),
        result: v.result,
        resolved: v.resolved,
        recorded_by: ctx.actor,
      })
      .returning(['id', 'recorded_at']);
    if (v.materials.length)
      await trx('cis.repair_materials').insert(
        v.materials.map((m) => ({ result_id: result.id, name: m.name, quantity: m.quantity, unit: m.unit })),
      );
    await trx('cis.repair_work_orders')
      .where({ id: wo.id })
      .update({ status: 'completed', completed_at: result.recorded_at, arrived_at: arrivedAt ?? result.recorded_at });
    await trx('cis.repair_tickets')
      .where({ id: t.id })
      .update({ status: 'completed', completed_at: result.recorded_at });
    await writeAudit(trx, ctx, [
      {
        action: 'repair_work_completed',
        entity: 'repair_ticket',
        entityId: t.ticket_no as string,
        accountId: t.account_id as string,
        before: { status: t.status },
        after: {
          status: 'completed',
          workOrderId: String(wo.id),
          result: v.result,
          resolved: v.resolved,
          materials: v.materials,
        },
      },
    ]);
    return {
      ticketNo: t.ticket_no as string,
      workOrderId: Number(wo.id),
      resolved: v.resolved,
      result: v.result,
      completedAt: new Date(result.recorded_at).toISOString(),
      changed: true,
    };
  });
}
