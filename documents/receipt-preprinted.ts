import type { ReceiptDocument, ReceiptField, ReceiptLayout } from '../contracts/receipts.js';
import { fieldValues, fitRows, type LineRow } from './receipt-values.js';

/** Millimetres to PDF points: forms are measured with a ruler, pdfmake places in points. */
export const mm = (millimetres: number) => (millimetres * 72) / 25.4;

type Alignment = 'left' | 'right';

/** Text whose top-left corner sits at (x, y) mm; with a width it wraps and aligns inside that box. */
export function place(
  xMm: number,
  yMm: number,
  text: string,
  box: { widthMm?: number; fontSize?: number; alignment?: Alignment } = {},
) {
  const leaf = { text, fontSize: box.fontSize, alignment: box.alignment };
  const absolutePosition = { x: mm(xMm), y: mm(yMm) };
  if (box.widthMm === undefined) return { ...leaf, absolutePosition };
  return { absolutePosition, columns: [{ ...leaf, width: mm(box.widthMm) }] };
}

// Amounts line up on the right edge of their boxes, as figures do in a ledger.
const RIGHT_ALIGNED: ReadonlySet<ReceiptField> = new Set(['amountFigures', 'tendered', 'change', 'creditAfter']);

function lineCells(row: LineRow, area: NonNullable<ReceiptLayout['linesArea']>, yMm: number) {
  const fontSize = row.component ? 8 : 9;
  const indent = row.component ? 4 : 0;
  const amountWidth = 28;
  const volumeWidth = 26;
  const labelX = area.xMm + 20 + indent;
  const labelWidth = area.widthMm - 20 - indent - amountWidth - volumeWidth;
  return [
    row.period ? place(area.xMm, yMm, row.period, { widthMm: 19, fontSize }) : undefined,
    place(labelX, yMm, row.label, { widthMm: labelWidth, fontSize }),
    row.volume
      ? place(labelX + labelWidth, yMm, row.volume, { widthMm: volumeWidth, fontSize, alignment: 'right' })
      : undefined,
    row.amount
      ? place(area.xMm + area.widthMm - amountWidth, yMm, row.amount, {
          widthMm: amountWidth,
          fontSize,
          alignment: 'right',
        })
      : undefined,
  ].filter((cell) => cell !== undefined);
}

/** Values only, each at its box on the pre-printed form (套打); headings and rules are already on the paper. */
export function preprintedContent(doc: ReceiptDocument, layout: ReceiptLayout, qrImage: string): unknown[] {
  const values = fieldValues(doc);
  const fields = (
    Object.entries(layout.fields) as Array<[ReceiptField, ReceiptLayout['fields'][ReceiptField]]>
  ).flatMap(([field, at]) =>
    at && values[field]
      ? [place(at.xMm, at.yMm, values[field], { ...at, alignment: RIGHT_ALIGNED.has(field) ? 'right' : 'left' })]
      : [],
  );
  const area = layout.linesArea;
  const lines = area
    ? fitRows(doc.lines, area.maxRows).flatMap((row, n) => lineCells(row, area, area.yMm + n * area.rowHeightMm))
    : [];
  const qr = layout.qr
    ? [
        {
          image: qrImage,
          width: mm(layout.qr.sizeMm),
          height: mm(layout.qr.sizeMm),
          absolutePosition: { x: mm(layout.qr.xMm), y: mm(layout.qr.yMm) },
        },
      ]
    : [];
  return [...fields, ...lines, ...qr];
}
