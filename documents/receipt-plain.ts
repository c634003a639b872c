import type { ReceiptDocument, ReceiptLayout } from '../contracts/receipts.js';
import { componentRows, fieldValues, lineRow, type LineRow } from './receipt-values.js';

const cell = (row: LineRow) => {
  const style = row.component ? { fontSize: 8, color: '#444' } : {};
  return [
    { text: row.period, ...style },
    { text: row.label, ...style, margin: [row.component ? 10 : 0, 0, 0, 0] },
    { text: row.volume, alignment: 'right', ...style },
    { text: row.amount, alignment: 'right', ...style },
  ];
};

/** The whole receipt on blank paper: headings, the payer, a table of what was paid, the totals and the QR code. */
export function plainContent(doc: ReceiptDocument, layout: ReceiptLayout, qrImage: string): unknown[] {
  const v = fieldValues(doc);
  const rows = doc.lines.flatMap((line) => [lineRow(line), ...componentRows(line)]);
  const pairs = (...items: Array<[string, string]>) => ({
    columns: items.map(([label, value]) => ({ text: [{ text: `${label}：`, bold: true }, value] })),
    margin: [0, 2, 0, 0],
  });
  const cash: Array<[string, string]> = [];
  if (v.tendered) cash.push(['实收', v.tendered]);
  if (v.change) cash.push(['找零', v.change]);
  return [
    { text: doc.utility, bold: true, fontSize: 14, alignment: 'center' },
    { text: doc.formType, fontSize: 12, alignment: 'center' },
    layout.kind === 'e-receipt' ? { text: '电子收据', alignment: 'center', margin: [0, 2, 0, 0] } : '',
    v.reprint ? { text: v.reprint, bold: true, alignment: 'center', margin: [0, 2, 0, 0] } : '',
    pairs(['票号', v.formNo], ['日期', v.date]),
    pairs(['户号', v.accountNo], ['户名', v.customerName]),
    pairs(['地址', v.address]),
    {
      margin: [0, 6, 0, 0],
      table: {
        headerRows: 1,
        widths: [46, '*', 56, 60],
        body: [
          ['账期', '项目', '水量 (m³)', '金额 (元)'].map((text, n) => ({
            text,
            bold: true,
            alignment: n > 1 ? 'right' : 'left',
          })),
          ...rows.map(cell),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    {
      margin: [0, 4, 0, 0],
      columns: [
        {
          width: '*',
          stack: [
            pairs(['合计金额（大写）', v.amountCapitals]),
            pairs(['合计金额（小写）', v.amountFigures]),
            pairs(['付款方式', v.method], ...cash),
            pairs(['预存余额', v.creditAfter], ['收款员', v.cashier]),
          ],
        },
        {
          width: 64,
          stack: [
            { image: qrImage, width: 64, height: 64 },
            { text: '扫码验真', fontSize: 8, alignment: 'center' },
          ],
        },
      ],
    },
    { text: doc.verifyUrl, fontSize: 7, color: '#444', margin: [0, 2, 0, 0] },
  ];
}
