import type { ReceiptField, ReceiptLayout } from '../contracts/receipts.js';
import { FIELD_NAMES } from './receipt-layouts.js';
import { mm, place } from './receipt-preprinted.js';

const line = (x1: number, y1: number, x2: number, y2: number, lineWidth = 0.3) => ({
  type: 'line',
  x1: mm(x1),
  y1: mm(y1),
  x2: mm(x2),
  y2: mm(y2),
  lineWidth,
});

const rect = (x: number, y: number, w: number, h: number) => ({
  type: 'rect',
  x: mm(x),
  y: mm(y),
  w: mm(w),
  h: mm(h),
  lineWidth: 0.3,
  dash: { length: 2 },
});

/** Ticks every millimetre along the top and left edges, longer every 5 and numbered every 10, as on a steel rule. */
function ruler(layout: ReceiptLayout) {
  const tick = (n: number) => (n % 10 === 0 ? 5 : n % 5 === 0 ? 3 : 1.5);
  const marks: object[] = [];
  const numbers: object[] = [];
  for (let x = 1; x < layout.pageWidthMm; x++) {
    marks.push(line(x, 0, x, tick(x), 0.2));
    if (x % 10 === 0 && x <= layout.pageWidthMm - 6) numbers.push(place(x + 0.4, 3.2, String(x), { fontSize: 5 }));
  }
  for (let y = 1; y < layout.pageHeightMm; y++) {
    marks.push(line(0, y, tick(y), y, 0.2));
    if (y % 10 === 0 && y <= layout.pageHeightMm - 4) numbers.push(place(3.4, y - 1, String(y), { fontSize: 5 }));
  }
  return { marks, numbers };
}

/**
 * The sheet a clerk lays over an empty pre-printed form against the light: a cross where each value starts, the
 * field's name beside it, dashed boxes for the value widths, the lines area and the QR code, and rulers to measure by
 * how much to move them.
 */
export function calibrationContent(layout: ReceiptLayout): unknown[] {
  const { marks, numbers } = ruler(layout);
  const shapes: object[] = [...marks];
  const labels: unknown[] = [...numbers];
  for (const [field, at] of Object.entries(layout.fields) as Array<
    [ReceiptField, ReceiptLayout['fields'][ReceiptField]]
  >) {
    if (!at) continue;
    shapes.push(line(at.xMm - 3, at.yMm, at.xMm + 3, at.yMm), line(at.xMm, at.yMm - 3, at.xMm, at.yMm + 3));
    if (at.widthMm) shapes.push(rect(at.xMm, at.yMm, at.widthMm, 4));
    labels.push(
      place(at.xMm + 1, at.yMm + 0.6, `${field} ${FIELD_NAMES[field]} (${at.xMm}, ${at.yMm})`, { fontSize: 6 }),
    );
  }
  const area = layout.linesArea;
  if (area) {
    for (let row = 0; row < area.maxRows; row++) {
      shapes.push(rect(area.xMm, area.yMm + row * area.rowHeightMm, area.widthMm, area.rowHeightMm));
    }
    labels.push(
      place(area.xMm + 1, area.yMm + 0.6, `lines 明细 ×${area.maxRows} (${area.xMm}, ${area.yMm})`, { fontSize: 6 }),
    );
  }
  if (layout.qr) {
    shapes.push(rect(layout.qr.xMm, layout.qr.yMm, layout.qr.sizeMm, layout.qr.sizeMm));
    labels.push(
      place(layout.qr.xMm + 1, layout.qr.yMm + 1, `qr 验真码 (${layout.qr.xMm}, ${layout.qr.yMm})`, { fontSize: 6 }),
    );
  }
  const title = `校准页 ${layout.pageWidthMm} × ${layout.pageHeightMm} mm：十字为各栏起点，单位毫米`;
  return [
    { canvas: shapes, absolutePosition: { x: 0, y: 0 } },
    ...labels,
    place(12, layout.pageHeightMm - 8, title, { fontSize: 7 }),
  ];
}
