import type { Knex } from 'knex';
import type { CaseRecordDocument, CaseRecordFee, CaseRecordPayment } from '../../../contracts/case-record.js';

const iso = (v: unknown) => new Date(v as string).toISOString();

/** Whether a table exists: the record shows the documents and fees of the case types that have them. */
async function exists(knex: Knex, table: string): Promise<boolean> {
  const { rows } = await knex.raw('SELECT to_regclass(?) IS NOT NULL AS ok', [table]);
  return rows[0].ok === true;
}

/** Every version of every document of the case, oldest first (old versions stay in the record). */
export async function documentsOf(knex: Knex, caseId: string | number): Promise<CaseRecordDocument[]> {
  if (!(await exists(knex, 'cis.case_document_versions'))) return [];
  const rows = await knex('cis.case_documents as d')
    .join('cis.case_document_versions as v', 'v.case_document_id', 'd.id')
    .where('d.case_id', caseId)
    .orderBy([{ column: 'v.uploaded_at' }, { column: 'v.id' }])
    .select(
      'd.title',
      'd.kind',
      'v.version',
      'v.file_name',
      'v.content_type',
      'v.size',
      'v.step',
      'v.uploaded_by',
      'v.uploaded_at',
      'v.store_document_id',
    );
  return rows.map((r) => ({
    title: r.title,
    kind: r.kind,
    version: Number(r.version),
    fileName: r.file_name,
    contentType: r.content_type,
    size: Number(r.size),
    step: r.step ?? null,
    uploadedBy: r.uploaded_by,
    uploadedAt: iso(r.uploaded_at),
    documentId: r.store_document_id,
  }));
}

/** The fees assessed on the case and the payments taken for them. */
export async function feesOf(
  knex: Knex,
  caseId: string | number,
): Promise<{ fees: CaseRecordFee[]; payments: CaseRecordPayment[] }> {
  const [hasFees, hasPayments] = await Promise.all([
    exists(knex, 'cis.case_fees'),
    exists(knex, 'cis.case_fee_payments'),
  ]);
  const fees = hasFees
    ? (await knex('cis.case_fees').where({ case_id: caseId }).orderBy('id')).map((r) => ({
        item: r.item as string,
        amountFen: Number(r.amount_fen),
        state: r.state as string,
        basis: (r.basis as string) ?? '',
        assessedAt: iso(r.assessed_at),
      }))
    : [];
  const payments = hasPayments
    ? (await knex('cis.case_fee_payments').where({ case_id: caseId }).orderBy('id')).map((r) => ({
        amountFen: Number(r.amount_fen),
        method: r.method as string,
        serial: r.serial as string,
        cashier: r.cashier as string,
        paidAt: iso(r.paid_at),
      }))
    : [];
  return { fees, payments };
}
