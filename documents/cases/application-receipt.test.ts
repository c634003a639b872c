import QRCode from 'qrcode';
import { applicationReceiptDocument, appliedFor, DOCUMENTS_TO_BRING, statusQr } from './application-receipt.js';

const receipt = {
  utility: '示范自来水公司',
  caseNo: 'YW-20261207-0001',
  caseType: 'new-connection' as const,
  createdAt: '2026-12-07T02:30:00Z',
  applicantName: '王五',
  address: '开发区建设路新港小区8栋101室',
  accountNo: null,
  details: { useClass: 'non_residential', caliberMm: 25, householdSize: 3 },
  statusUrl: 'https://water.example.cn/status/abcdEFGH12345678',
};

describe('application receipt', () => {
  test('says what was applied for in words', () => {
    expect(appliedFor(receipt)).toBe('新装用水，非居民用水，申请表径 DN25，用水人口 3 人');
    expect(appliedFor({ caseType: 'transfer-case', accountNo: '0101-000001', details: {} })).toBe(
      '过户，户号 0101-000001',
    );
  });

  test('the QR image is the status link, and the link is printed beside it', async () => {
    const qr = await statusQr(receipt.statusUrl);
    expect(qr).toBe(await QRCode.toDataURL(receipt.statusUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 }));
    const doc = JSON.stringify(applicationReceiptDocument(receipt, qr));
    expect(doc).toContain(qr);
    expect(doc).toContain(receipt.statusUrl);
    expect(doc).toContain('受理时间');
    expect(doc).toContain('2026/12/07 10:30'); // China time
    for (const item of DOCUMENTS_TO_BRING['new-connection']) expect(doc).toContain(item);
  });
});
