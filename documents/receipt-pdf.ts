import QRCode from 'qrcode';
import type { ReceiptDocument, ReceiptLayout } from '../contracts/receipts.js';
import { renderPdf } from './render.js';
import { calibrationContent } from './receipt-calibration.js';
import { DEFAULT_LAYOUTS } from './receipt-layouts.js';
import { plainContent } from './receipt-plain.js';
import { mm, preprintedContent } from './receipt-preprinted.js';

export { DEFAULT_LAYOUTS };

// A PNG rather than pdfmake's vector `qr`: the same bitmap the counter screen shows, and medium error correction
// so a receipt folded in a wallet still scans.
const qrImage = (url: string) => QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 240 });

/**
 * A receipt as PDF. `preprinted` layouts print only the values at their positions on a page the size of the form,
 * without margins, for the numbered paper in the counter's printer; `plain` and `e-receipt` print the whole receipt.
 * `calibration` prints, instead of a receipt, the sheet to check a layout's positions against the paper.
 */
export async function renderReceipt(
  doc: ReceiptDocument,
  layout: ReceiptLayout,
  opts: { calibration?: boolean } = {},
): Promise<Buffer> {
  const pageSize = { width: mm(layout.pageWidthMm), height: mm(layout.pageHeightMm) };
  const info = { title: `${doc.formType} ${doc.series} ${doc.formNo}`, creator: 'Aquaflow' };
  if (opts.calibration)
    return renderPdf({ pageSize, pageMargins: [0, 0, 0, 0], info, content: calibrationContent(layout) });
  const qr = await qrImage(doc.verifyUrl);
  if (layout.kind === 'preprinted') {
    return renderPdf({ pageSize, pageMargins: [0, 0, 0, 0], info, content: preprintedContent(doc, layout, qr) });
  }
  return renderPdf({
    pageSize,
    pageMargins: [mm(12), mm(10), mm(12), mm(10)],
    info,
    content: plainContent(doc, layout, qr),
  });
}
