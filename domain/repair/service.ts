import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { recordCallback } from './callbacks.js';
import type { PhotoUpload } from './photos.js';
import { loadSettings, serviceLevels } from './settings.js';
import { recentProcessInstances, ticketStatistics, type StatsFilter } from './stats.js';
import {
  attachProcess,
  closeTicket,
  createTicket,
  duplicatesForAccount,
  recordEscalation,
  startProcessOnce,
  type CreatedTicket,
} from './tickets.js';
import { accountContext, listTickets, openWorkOrdersOf, photoContent, ticketView, type TicketFilter } from './views.js';
import {
  addPhotos,
  assignCrew,
  completeWorkOrder,
  crews,
  findWorkOrder,
  logPrint,
  recordArrival,
} from './work-orders.js';

export type { ChangeContext } from '../audit/audit.js';
export { RepairError } from './errors.js';
export type { CreatedTicket } from './tickets.js';
export type { TicketView } from './views.js';

/**
 * Repair service (M8): tickets from the call centre, dispatch with printed work orders, the crew's field
 * result, call-backs. Every change is one transaction with its audit rows; operations called with an
 * idempotency key (workers pass the job key) act once however often they are called.
 */
export class RepairService {
  constructor(private readonly knex: Knex) {}

  createTicket = (input: unknown, ctx: ChangeContext): Promise<CreatedTicket> => createTicket(this.knex, input, ctx);
  attachProcess = (ticketNo: string, pik: string, ctx: ChangeContext) => attachProcess(this.knex, ticketNo, pik, ctx);
  startProcessOnce = (ticketNo: string, start: () => Promise<string>, ctx: ChangeContext) =>
    startProcessOnce(this.knex, ticketNo, start, ctx);
  duplicatesForAccount = (accountNo: string) => duplicatesForAccount(this.knex, accountNo);
  assignCrew = (ticketNo: string, input: unknown, ctx: ChangeContext) => assignCrew(this.knex, ticketNo, input, ctx);
  logPrint = (workOrderId: string | number, printedBy: string) => logPrint(this.knex, workOrderId, printedBy);
  recordArrival = (id: string | number, at: string | undefined, ctx: ChangeContext, asCrew = true) =>
    recordArrival(this.knex, id, at, ctx, asCrew);
  addPhotos = (id: string | number, photos: PhotoUpload[], ctx: ChangeContext, asCrew = true) =>
    addPhotos(this.knex, id, photos, ctx, asCrew);
  completeWorkOrder = (id: string | number, input: unknown, ctx: ChangeContext, asCrew = true) =>
    completeWorkOrder(this.knex, id, input, ctx, asCrew);
  recordCallback = (ticketNo: string, input: unknown, ctx: ChangeContext) =>
    recordCallback(this.knex, ticketNo, input, ctx);
  recordEscalation = (ticketNo: string, step: 'dispatch' | 'field', ctx: ChangeContext) =>
    recordEscalation(this.knex, ticketNo, step, ctx);
  closeTicket = (ticketNo: string, reason: string, ctx: ChangeContext) => closeTicket(this.knex, ticketNo, reason, ctx);

  ticket = (ref: string) => ticketView(this.knex, ref);
  tickets = (filter: TicketFilter) => listTickets(this.knex, filter);
  accountContext = (accountNo: string) => accountContext(this.knex, accountNo);
  openWorkOrdersOf = (crew: string) => openWorkOrdersOf(this.knex, crew);
  crews = () => crews(this.knex);
  photo = (id: string) => photoContent(this.knex, id);
  workOrder = (id: string) => findWorkOrder(this.knex, id);
  statistics = (filter: StatsFilter) => ticketStatistics(this.knex, filter);
  recentProcessInstances = (filter: StatsFilter) => recentProcessInstances(this.knex, filter);
  settings = () => loadSettings(this.knex);
  serviceLevels = () => serviceLevels(this.knex);

  /** The printed work order kept as it was handed out (the first print). */
  async storeWorkOrderPdf(workOrderId: number, pdf: Uint8Array): Promise<void> {
    await this.knex('cis.repair_work_orders')
      .where({ id: workOrderId })
      .whereNull('pdf')
      .update({ pdf: Buffer.from(pdf) });
  }

  /**
   * The variables `repair-ticket` starts with: the ticket, its due dates (from the urgency's service level) and
   * the call-back settings, so the model's timers read data, not constants.
   */
  async processVariables(t: CreatedTicket): Promise<Record<string, unknown>> {
    const s = await this.settings();
    return {
      ticketNo: t.ticketNo,
      accountNo: t.accountNo,
      category: t.category,
      urgency: t.urgency,
      supplyAddress: t.supplyAddress,
      accountClosed: t.accountClosed,
      dispatchDue: t.dispatchDueAt,
      fieldDue: t.fieldDueAt,
      callbackDelay: s.callbackDelay,
      callbackRetryDelay: s.callbackRetryDelay,
      callbackMaxAttempts: s.callbackMaxAttempts,
    };
  }
}
