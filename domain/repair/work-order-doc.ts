import type { TicketView } from './views.js';

export const CATEGORY_LABELS: Record<string, string> = {
  leak: '漏水',
  no_water: '停水/无水',
  low_pressure: '水压低',
  meter_fault: '水表故障',
  water_quality: '水质问题',
  other: '其他',
};
export const URGENCY_LABELS: Record<string, string> = { emergency: '特急', urgent: '紧急', normal: '一般', low: '低' };

/** A time as the crew reads it: China time, minutes. */
export function chinaTime(iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/**
 * The work order (派工单) as a pdfmake document: the ticket number in words and as a QR code (scanned on
 * site to open the ticket), customer, address, meters, problem, crew and times. Pure: rendering is the caller's.
 */
export function workOrderDocument(ticket: TicketView, workOrderId: number, printedAt: Date) {
  const wo = ticket.workOrders.find((w) => w.workOrderId === workOrderId);
  if (!wo) throw new Error(`work order ${workOrderId} is not on ticket ${ticket.ticketNo}`);
  const row = (label: string, value: string) => [{ text: label, bold: true }, { text: value }];
  return {
    info: { title: `派工单 ${ticket.ticketNo}` },
    content: [
      {
        columns: [
          [
            { text: '派工单 Work order', fontSize: 18, bold: true },
            { text: ticket.ticketNo, fontSize: 14, margin: [0, 4, 0, 0] },
            { text: `工单号 ${workOrderId}`, color: '#555' },
          ],
          { qr: ticket.ticketNo, fit: 90, alignment: 'right' },
        ],
      },
      {
        margin: [0, 12, 0, 0],
        table: {
          widths: [90, '*'],
          body: [
            row(
              '客户 Customer',
              [ticket.customerName ?? '—', ticket.accountNo ? `（户号 ${ticket.accountNo}）` : ''].join(''),
            ),
            row('联系人 Contact', `${ticket.contactName || '—'}  ${ticket.contactPhone}`),
            row('地址 Address', ticket.supplyAddress),
            row('水表 Meters', ticket.meters.join('，') || '—'),
            row(
              '问题类别 Problem',
              `${CATEGORY_LABELS[ticket.category] ?? ticket.category}（${URGENCY_LABELS[ticket.urgency] ?? ticket.urgency}）`,
            ),
            row('问题描述 Description', ticket.description || '—'),
            row('维修班组 Crew', wo.crew),
            // A work order the process printed names no person; one a dispatcher issued by hand does.
            ...(wo.assignedBy.startsWith('worker:') ? [] : [row('派工人 Dispatched by', wo.assignedBy)]),
            row('派工要求 Instructions', wo.instructions || '—'),
            row('受理时间 Reported', chinaTime(ticket.createdAt)),
            row('派工时间 Assigned', chinaTime(wo.assignedAt)),
            row('完成时限 Due', chinaTime(ticket.fieldDueAt)),
            row('打印时间 Printed', chinaTime(printedAt.toISOString())),
          ],
        },
      },
      { text: '到场时间 Arrival：__________    完成时间 Completed：__________', margin: [0, 18, 0, 0] },
      { text: '处理结果 Result：', margin: [0, 12, 0, 60] },
      { text: '用户签字 Customer signature：__________    班组签字 Crew signature：__________' },
    ],
  };
}
