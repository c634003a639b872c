import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { renderPdf } from '../../documents/render.js';

/** A case row as intake writes it (the documents need no process): a new connection of `applicant`. */
export async function insertCase(knex: Knex, caseNo: string, applicant = '张三'): Promise<string> {
  await knex('cis.cases').insert({
    case_no: caseNo,
    case_type: 'new-connection',
    district: '东城区',
    street: '和平路',
    community: '幸福小区',
    building: '3栋',
    unit: '2单元',
    room: caseNo.slice(-4), // one open new connection per premises
    applicant_name: applicant,
    applicant_phone: '13800138000',
    details: JSON.stringify({
      useClass: 'residential',
      caliberMm: 20,
      idDocType: 'resident_id',
      idDocNumber: '110101199003070011',
    }),
    public_token: crypto.randomBytes(16).toString('hex'),
    created_by: 'clerk',
  });
  return caseNo;
}

/** A real one-page PDF (pdfmake) with `text` on it. */
export const pdfFile = (text: string) => renderPdf({ content: [{ text }] });

/** A 1×1 PNG. */
export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A real xlsx (exceljs): a budget list. */
export async function xlsxFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('预算').addRow(['管材', 120]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What a Windows program starts with: an .exe named .pdf is still this. */
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

/** A multipart upload to a case's documents as a signed-in user. */
export async function upload(
  baseUrl: string,
  cookie: string | undefined,
  caseNo: string,
  fields: Record<string, string>,
  file?: { name: string; bytes: Uint8Array; type?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file)
    form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? '' }), file.name);
  const r = await fetch(`${baseUrl}/api/business-cases/${caseNo}/documents`, {
    method: 'POST',
    headers: { ...(cookie ? { Cookie: cookie } : {}), 'X-Aquaflow-Request': '1' },
    body: form,
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}
