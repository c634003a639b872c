import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ReceiptDocument, ReceiptLayout, ReceiptLine } from '../contracts/receipts.js';
import { pdfText } from '../test/support/pdf-text.js';
import { DEFAULT_LAYOUTS, renderReceipt } from './receipt-pdf.js';

// October: 15 m³ in tier 1 at 3.20 and 3 m³ in tier 2 at 4.20 plus 18 m³ sewage at 0.95 = 48.00 + 12.60 + 17.10.
const october: ReceiptLine = {
  period: '2026-10',
  kind: 'bill',
  label: '水费',
  volume: '18.000',
  amountFen: 7770,
  components: [
    { component: '自来水', tier: 1, volume: '15.000', priceFen: 320, amountFen: 4800 },
    { component: '自来水', tier: 2, volume: '3.000', priceFen: 420, amountFen: 1260 },
    { component: '污水处理费', tier: 1, volume: '18.000', priceFen: 95, amountFen: 1710 },
  ],
};
// November: 12 m³ at 3.20 plus sewage at 0.95 = 38.40 + 11.40.
const november: ReceiptLine = {
  period: '2026-11',
  kind: 'bill',
  label: '水费',
  volume: '12.000',
  amountFen: 4980,
  components: [
    { component: '自来水', tier: 1, volume: '12.000', priceFen: 320, amountFen: 3840 },
    { component: '污水处理费', tier: 1, volume: '12.000', priceFen: 95, amountFen: 1140 },
  ],
};

// 77.70 + 49.80 + 0.39 late fee + 12.11 into credit = 140.00; 200.00 tendered, 60.00 change.
const receipt: ReceiptDocument = {
  formType: '水费收款收据',
  series: 'A',
  formNo: '00012345',
  issuedAt: '2026-12-07T06:30:00Z',
  utility: '滨江自来水有限公司',
  cashier: '王晓红',
  accountNo: '0101-004512',
  customerName: '张三',
  address: '东城区和平路 12 号 3 单元 501',
  method: 'cash',
  amountFen: 14000,
  tenderedFen: 20000,
  changeFen: 6000,
  creditAfterFen: 1211,
  lines: [
    october,
    november,
    { period: '2026-10', kind: 'late_fee', label: '滞纳金', amountFen: 39 },
    { period: '', kind: 'credit', label: '预存', amountFen: 1211 },
  ],
  verifyUrl: 'https://pay.example.cn/r/A00012345?c=9f3k',
};

const text = async (pdf: Buffer) => (await pdfText(pdf)).join('\n');

/** Where pdf.js finds the first text item containing `needle`: x from the left, in points. */
async function xOf(pdf: Buffer, needle: string): Promise<number> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const content = await (await doc.getPage(1)).getTextContent();
    const item = content.items.find((i) => 'str' in i && i.str.includes(needle));
    if (!item || !('transform' in item)) throw new Error(`${needle} not printed`);
    return item.transform[4] as number;
  } finally {
    await doc.destroy();
  }
}

describe('renderReceipt', () => {
  it.each(['preprinted', 'plain', 'e-receipt'] as const)(
    'a %s receipt says who paid what, for which months, to whom',
    async (kind) => {
      const printed = await text(await renderReceipt(receipt, DEFAULT_LAYOUTS[kind]));
      for (const words of [
        '00012345',
        '0101-004512',
        '张三',
        '¥140.00',
        '壹佰肆拾元整',
        '2026-10',
        '2026-11',
        '王晓红',
        '现金',
      ]) {
        expect(printed).toContain(words);
      }
      expect(printed).toContain('2026-12-07 14:30'); // China time of 06:30 UTC
      expect(printed).toContain('¥200.00');
      expect(printed).toContain('¥60.00');
      expect(printed).toContain('¥12.11');
      expect(printed.includes('电子收据')).toBe(kind === 'e-receipt');
      expect(printed.includes('滨江自来水有限公司')).toBe(kind !== 'preprinted'); // the form has it pre-printed
    },
  );

  it('the pre-printed form is the paper’s size, values only', async () => {
    const pdf = await renderReceipt(receipt, DEFAULT_LAYOUTS.preprinted);
    const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
    const [, , width, height] = (await doc.getPage(1)).view;
    await doc.destroy();
    expect(width).toBeCloseTo((241 * 72) / 25.4, 1);
    expect(height).toBeCloseTo((140 * 72) / 25.4, 1);
    expect(await text(pdf)).not.toContain('户号');
  });

  it('the plain receipt itemises every tariff tier; the form only those that fit its rows', async () => {
    const plain = await text(await renderReceipt(receipt, DEFAULT_LAYOUTS.plain));
    expect(plain).toContain('自来水 第2阶 单价 4.20');
    expect(plain).toContain('污水处理费 第1阶 单价 0.95');
    expect(plain).toContain('11.40'); // November's sewage
    const form = await text(await renderReceipt(receipt, DEFAULT_LAYOUTS.preprinted));
    // Eight rows: four lines and October's three tiers; November's two no longer fit, so none of them print.
    expect(form).toContain('自来水 第2阶 单价 4.20');
    expect(form).not.toContain('11.40');
    expect(form).toContain('49.80');
  });

  it('embeds the verification QR code as an image', async () => {
    for (const kind of ['preprinted', 'plain'] as const) {
      const pdf = await renderReceipt(receipt, DEFAULT_LAYOUTS[kind]);
      expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    }
  });

  it('a reprint says so and names the original form number', async () => {
    const again = { ...receipt, formNo: '00012399', reprintOf: 'A 00012345' };
    for (const kind of ['preprinted', 'plain'] as const) {
      expect(await text(await renderReceipt(again, DEFAULT_LAYOUTS[kind]))).toContain('补打 (原票号 A 00012345)');
    }
    expect(await text(await renderReceipt(receipt, DEFAULT_LAYOUTS.plain))).not.toContain('补打');
  });

  it('moving a field on the layout moves it on the paper', async () => {
    const layout = DEFAULT_LAYOUTS.preprinted;
    const moved: ReceiptLayout = { ...layout, fields: { ...layout.fields, accountNo: { xMm: 60, yMm: 31 } } };
    const before = await xOf(await renderReceipt(receipt, layout), '0101-004512');
    const after = await xOf(await renderReceipt(receipt, moved), '0101-004512');
    expect(before).toBeCloseTo((34 * 72) / 25.4, 0);
    expect(after - before).toBeCloseTo((26 * 72) / 25.4, 0);
  });

  it('more lines than the form has rows: the last row says how many there are', async () => {
    const months = Array.from({ length: 12 }, (_, n): ReceiptLine => ({
      period: `2026-${String(n + 1).padStart(2, '0')}`,
      kind: 'bill',
      label: '水费',
      volume: '10.000',
      amountFen: 3200,
    }));
    const printed = await text(
      await renderReceipt({ ...receipt, lines: months, amountFen: 38400 }, DEFAULT_LAYOUTS.preprinted),
    );
    expect(printed).toContain('…等12项');
    expect(printed).toContain('2026-07'); // seven lines and the note fill the eight rows
    expect(printed).not.toContain('2026-08');
    expect(printed).toContain('叁佰捌拾肆元整');
  });

  it('the calibration sheet marks every field by name and carries rulers', async () => {
    const printed = await text(await renderReceipt(receipt, DEFAULT_LAYOUTS.preprinted, { calibration: true }));
    for (const field of [
      'formNo',
      'accountNo',
      'amountCapitals',
      'amountFigures',
      'cashier',
      '户号',
      '金额大写',
      'qr',
      'lines',
    ]) {
      expect(printed).toContain(field);
    }
    expect(printed).toContain('(34, 31)'); // accountNo's position, to compare with the ruler
    expect(printed).toContain('230'); // the ruler's numbers along the 241 mm edge
    expect(printed).not.toContain('张三');
  });
});
