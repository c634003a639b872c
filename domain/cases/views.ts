import type { Knex } from 'knex';
import type { CaseStatus, CaseSummary, CaseType, CaseView } from '../../contracts/cases.js';
import { notFound } from './errors.js';
import { CaseFilter, parse } from './schemas.js';

type Row = Record<string, unknown>;

const iso = (d: unknown) => (d == null ? null : new Date(d as string).toISOString());
const ADDRESS = (r: Row) =>
  ['district', 'street', 'community', 'building', 'unit', 'room'].map((k) => (r[k] as string) ?? '').join('');

function summary(r: Row): CaseSummary {
  return {
    caseNo: r.case_no as string,
    caseType: r.case_type as CaseType,
    status: r.status as CaseStatus,
    applicantName: r.applicant_name as string,
    address: ADDRESS(r),
    accountNo: (r.account_no as string) ?? null,
    customerId: r.customer_id == null ? null : Number(r.customer_id),
    createdBy: r.created_by as string,
    createdAt: iso(r.created_at)!,
    closedAt: iso(r.closed_at),
    outcome: r.outcome as string,
    processInstanceKey: (r.process_instance_key as string) ?? null,
  };
}

const base = (knex: Knex) =>
  knex('cis.cases as c')
    .leftJoin('cis.accounts as a', 'a.id', 'c.account_id')
    .leftJoin('cis.meter_books as b', 'b.id', 'c.book_id')
    .select('c.*', 'a.account_no', 'b.code as book_code');

/** One case, whole. */
export async function caseView(knex: Knex, caseNo: string): Promise<CaseView> {
  const r = await base(knex).where('c.case_no', String(caseNo).trim().toUpperCase()).first();
  if (!r) throw notFound('case', caseNo);
  return {
    ...summary(r),
    applicantPhone: r.applicant_phone,
    bookCode: r.book_code ?? null,
    premise: {
      district: r.district,
      street: r.street,
      community: r.community,
      building: r.building,
      unit: r.unit,
      room: r.room,
    },
    details: r.details ?? {},
    publicToken: r.public_token,
  };
}

/** Cases by type, status, customer or account, newest first. */
export async function listCases(knex: Knex, filterIn: unknown): Promise<CaseSummary[]> {
  const f = parse(CaseFilter, filterIn);
  const q = base(knex).orderBy('c.id', 'desc').limit(f.limit);
  if (f.caseType) q.where('c.case_type', f.caseType);
  if (f.status) q.where('c.status', f.status);
  if (f.customerId) q.where('c.customer_id', f.customerId);
  if (f.accountNo) q.where('a.account_no', f.accountNo.toUpperCase());
  return (await q).map(summary);
}

/** What the public status page may know of a case: never a name, address or phone. */
export async function publicCase(
  knex: Knex,
  token: string,
): Promise<{
  caseNo: string;
  caseType: CaseType;
  status: CaseStatus;
  createdAt: string;
  closedAt: string | null;
  processInstanceKey: string | null;
}> {
  const r = await knex('cis.cases')
    .where({ public_token: String(token) })
    .first();
  if (!r) throw notFound('case', 'for this link');
  return {
    caseNo: r.case_no,
    caseType: r.case_type,
    status: r.status,
    createdAt: iso(r.created_at)!,
    closedAt: iso(r.closed_at),
    processInstanceKey: r.process_instance_key ?? null,
  };
}

/**
 * The variables a case's process starts with: the case number and type, the applicant, the address parts, the
 * account and book where known, and every intake `details` field at the top level (the models read them by name).
 */
export async function processVariables(knex: Knex, caseNo: string): Promise<Record<string, unknown>> {
  const c = await caseView(knex, caseNo);
  return {
    ...c.details,
    caseNo: c.caseNo,
    caseType: c.caseType,
    applicantName: c.applicantName,
    customerName: c.applicantName,
    applicantPhone: c.applicantPhone,
    address: c.address,
    ...c.premise,
    ...(c.accountNo ? { accountNo: c.accountNo } : {}),
    ...(c.customerId ? { customerId: c.customerId } : {}),
    ...(c.bookCode ? { bookCode: c.bookCode } : {}),
  };
}
