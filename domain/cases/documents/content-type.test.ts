import ExcelJS from 'exceljs';
import { DOCX, JPEG, PDF, PNG, WEBP, XLSX, sniffContentType } from './content-type.js';
import { checkFile } from './checks.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('types by their first bytes, whatever the name says', () => {
  expect(sniffContentType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe(JPEG);
  expect(sniffContentType(bytes([0x89], 'PNG\r\n\x1a\n', 'IHDR'))).toBe(PNG);
  expect(sniffContentType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe(WEBP);
  expect(sniffContentType(bytes('%PDF-1.7\n'))).toBe(PDF);
  expect(sniffContentType(bytes('MZ', [0x90, 0, 3]))).toBeNull(); // a Windows program
  expect(sniffContentType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeNull();
  expect(sniffContentType(bytes('<html><script>'))).toBeNull();
  expect(sniffContentType(bytes([0xd0, 0xcf, 0x11, 0xe0]))).toBeNull(); // legacy .xls/.doc
  expect(sniffContentType(new Uint8Array())).toBeNull();
});

test('Office Open XML: a real xlsx is a spreadsheet; a ZIP without the Office parts is nothing', async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('预算').addRow(['管材', 120]);
  expect(sniffContentType(Buffer.from(await wb.xlsx.writeBuffer()))).toBe(XLSX);
  expect(sniffContentType(bytes([0x50, 0x4b, 0x03, 0x04], '[Content_Types].xml', 'word/document.xml'))).toBe(DOCX);
  expect(sniffContentType(bytes([0x50, 0x4b, 0x03, 0x04], 'readme.txt'))).toBeNull();
});

test('checkFile: empty, too large and the wrong type for the kind are 422 naming file, with their codes', () => {
  const pdf = { fileName: 'a.pdf', bytes: bytes('%PDF-1.7\n') };
  expect(checkFile('drawing', pdf, 100)).toBe(PDF);
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return [(e as { code: string }).code, (e as { field: string }).field];
    }
    throw new Error('not refused');
  };
  expect(refusal(() => checkFile('drawing', { fileName: 'a.pdf', bytes: new Uint8Array() }, 100))).toEqual([
    'file_empty',
    'file',
  ]);
  expect(refusal(() => checkFile('drawing', pdf, 5))).toEqual(['file_too_large', 'file']);
  expect(refusal(() => checkFile('photo', pdf, 100))).toEqual(['file_type', 'file']);
});
