import { renderPdf } from './render.js';
import { pdfText } from '../test/support/pdf-text.js';

describe('renderPdf', () => {
  it('prints Chinese text and a QR code that read back from the PDF', async () => {
    const pdf = await renderPdf({
      content: [
        { text: '派工单 RT-20261201-0007', bold: true, fontSize: 16 },
        { text: '客户：张三  地址：东城区和平路 12 号 3 单元 501' },
        { qr: 'RT-20261201-0007', fit: 80 },
      ],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const [page] = await pdfText(pdf);
    expect(page).toContain('派工单 RT-20261201-0007');
    expect(page).toContain('东城区和平路');
  });

  it('refuses remote images rather than fetching them', async () => {
    await expect(renderPdf({ content: [{ image: 'https://example.invalid/logo.png' }] })).rejects.toThrow(
      /access policy/,
    );
  });
});
