import { workOrderDocument } from '../domain/repair/work-order-doc.js';
import type { RepairService } from '../domain/repair/service.js';
import { renderPdf } from './render.js';

/** The work order (派工单) of a ticket as PDF, from the ticket as it stands now. */
export async function renderWorkOrder(
  repair: RepairService,
  ticketNo: string,
  workOrderId: number,
  printedAt = new Date(),
): Promise<Buffer> {
  const ticket = await repair.ticket(ticketNo);
  return renderPdf(workOrderDocument(ticket, workOrderId, printedAt));
}
