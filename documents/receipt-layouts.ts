import type { ReceiptField, ReceiptLayout } from '../contracts/receipts.js';

/** The name of each field in the clerk's words, printed beside its cross on the calibration sheet. */
export const FIELD_NAMES: Record<ReceiptField, string> = {
  formNo: '票号',
  date: '日期',
  utility: '收款单位',
  accountNo: '户号',
  customerName: '户名',
  address: '地址',
  method: '付款方式',
  amountFigures: '金额小写',
  amountCapitals: '金额大写',
  tendered: '实收',
  change: '找零',
  creditAfter: '预存余额',
  cashier: '收款员',
  reprint: '补打',
};

const noFields = () =>
  Object.fromEntries(Object.keys(FIELD_NAMES).map((field) => [field, undefined])) as ReceiptLayout['fields'];

/**
 * The 三联 continuous form (241 × 140 mm: 9½ × 5½ in, the dot-matrix printers' paper). The utility's name, the
 * headings and the form number are pre-printed; positions are where the values go, from the paper's top-left corner.
 * A utility's own form differs: measure it with the calibration sheet and adjust.
 */
const preprinted: ReceiptLayout = {
  kind: 'preprinted',
  pageWidthMm: 241,
  pageHeightMm: 140,
  fields: {
    ...noFields(),
    formNo: { xMm: 178, yMm: 14, widthMm: 45 },
    date: { xMm: 34, yMm: 24, widthMm: 45 },
    accountNo: { xMm: 34, yMm: 31, widthMm: 40 },
    customerName: { xMm: 98, yMm: 31, widthMm: 60 },
    address: { xMm: 34, yMm: 38, widthMm: 150, fontSize: 9 },
    amountCapitals: { xMm: 46, yMm: 102, widthMm: 110 },
    amountFigures: { xMm: 176, yMm: 102, widthMm: 32 },
    method: { xMm: 34, yMm: 110, widthMm: 25 },
    tendered: { xMm: 80, yMm: 110, widthMm: 28 },
    change: { xMm: 128, yMm: 110, widthMm: 28 },
    creditAfter: { xMm: 176, yMm: 110, widthMm: 32 },
    cashier: { xMm: 176, yMm: 122, widthMm: 32 },
    reprint: { xMm: 22, yMm: 122, widthMm: 80, fontSize: 9 },
  },
  qr: { xMm: 212, yMm: 26, sizeMm: 22 },
  linesArea: { xMm: 22, yMm: 50, widthMm: 186, rowHeightMm: 6, maxRows: 8 },
};

// A5: a full receipt on plain paper from any office printer; a long list of lines runs on to a second sheet.
const plain: ReceiptLayout = { kind: 'plain', pageWidthMm: 148, pageHeightMm: 210, fields: noFields() };

export const DEFAULT_LAYOUTS: Record<ReceiptLayout['kind'], ReceiptLayout> = {
  preprinted,
  plain,
  'e-receipt': { ...plain, kind: 'e-receipt' },
};
