import { amountInCapitals, formatYuan } from '../chinese-amount.js';
import { renderPdf } from '../render.js';
import { chinaTime } from '../receipt-values.js';
import type { InvoiceRecord } from './invoice-record.js';
import { totals } from './invoice-record.js';

const percent = (rate: number) => `${Math.round(rate * 10_000) / 100}%`;

/** The readable copy of an invoice; the signed XML beside it is what counts. */
export function renderInvoicePdf(invoice: InvoiceRecord): Promise<Buffer> {
  const sum = totals(invoice.items);
  const red = invoice.colour === 'red';
  const party = (title: string, name: string, taxId?: string) => ({
    stack: [{ text: title, bold: true }, `名称：${name}`, `统一社会信用代码/纳税人识别号：${taxId ?? ''}`],
  });
  const right = (text: string) => ({ text, alignment: 'right' });
  return renderPdf({
    pageSize: 'A5',
    pageOrientation: 'landscape',
    pageMargins: [28, 24, 28, 24],
    info: { title: `电子发票 ${invoice.invoiceNo}`, creator: 'Aquaflow' },
    content: [
      {
        text: red ? '电子发票（普通发票）  红字' : '电子发票（普通发票）',
        bold: true,
        fontSize: 15,
        alignment: 'center',
        color: red ? '#b00' : '#000',
      },
      {
        columns: [`发票号码：${invoice.invoiceNo}`, right(`开票日期：${chinaTime(invoice.issuedAt)}`)],
        margin: [0, 6, 0, 6],
      },
      {
        columns: [
          party('购买方', invoice.buyerName, invoice.buyerTaxId),
          party('销售方', invoice.seller.name, invoice.seller.taxId),
        ],
      },
      {
        margin: [0, 8, 0, 0],
        table: {
          headerRows: 1,
          widths: ['*', 70, 40, 60, 70],
          body: [
            ['项目名称', right('金额'), right('税率'), right('税额'), right('价税合计')],
            ...invoice.items.map((i) => [
              i.name,
              right(formatYuan(i.netFen)),
              right(percent(i.taxRate)),
              right(formatYuan(i.taxFen)),
              right(formatYuan(i.amountFen)),
            ]),
            [
              '合计',
              right(`¥${formatYuan(sum.netFen)}`),
              '',
              right(`¥${formatYuan(sum.taxFen)}`),
              right(`¥${formatYuan(sum.totalFen)}`),
            ],
          ],
        },
        layout: 'lightHorizontalLines',
      },
      {
        text: `价税合计（大写）：${amountInCapitals(sum.totalFen)}    （小写）¥${formatYuan(sum.totalFen)}`,
        margin: [0, 6, 0, 0],
      },
      { text: `备注：付款 ${invoice.paymentRef}`, margin: [0, 4, 0, 0] },
      red
        ? {
            text: `红字发票，对应蓝字发票号码：${invoice.originalInvoiceNo}；原因：${invoice.reason ?? ''}`,
            margin: [0, 2, 0, 0],
          }
        : '',
      {
        text: '本地开票服务生成（非税务机关平台开具），以 XML 文件及其 Ed25519 签名为准。',
        fontSize: 7,
        color: '#555',
        margin: [0, 10, 0, 0],
      },
    ],
  });
}
