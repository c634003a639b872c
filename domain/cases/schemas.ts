import { z } from 'zod';
import { CASE_STATUSES, CASE_TYPES } from '../../contracts/cases.js';
import { normaliseResidentId, residentIdProblem } from '../accounts/id-number.js';
import { normalisePhone } from '../accounts/phone.js';
import { zodParser } from '../parse.js';
import { invalid } from './errors.js';

export const parse = zodParser(invalid);

// Text is stored as typed (NFC, trimmed): markup in it is data, escaped wherever it is shown.
export const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max));
export const required = (max: number) => text(max).pipe(z.string().min(1, 'is required'));

const phone = z
  .string()
  .transform((s) => s.trim())
  .transform((s, ctx) => {
    if (s === '') return s;
    const p = normalisePhone(s);
    if (!p) ctx.addIssue({ code: 'custom', message: 'is not a mobile or landline number' });
    return p ?? s;
  });

export const PremiseInput = z.object({
  district: required(40),
  street: required(80),
  community: text(80).default(''),
  building: text(40).default(''),
  unit: text(40).default(''),
  room: text(40).default(''),
});

/**
 * An application at the front desk. A new connection names the premises (the address decides the meter book); a
 * case about an existing connection names the account, whose premises and customer it takes.
 */
export const OpenCaseInput = z
  .object({
    caseType: z.enum(CASE_TYPES, { error: `one of ${CASE_TYPES.join(', ')}` }),
    accountNo: text(32).optional(),
    customerId: z.coerce.number().int().positive().optional(),
    premise: PremiseInput.optional(),
    applicantName: text(100).optional(),
    applicantPhone: phone.default(''),
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((v, ctx) => {
    if (v.caseType === 'new-connection' && !v.premise)
      ctx.addIssue({ code: 'custom', path: ['premise'], message: 'is required for a new connection' });
    if (['relocation', 'transfer-case', 'suspension-case'].includes(v.caseType) && !v.accountNo)
      ctx.addIssue({ code: 'custom', path: ['accountNo'], message: 'is required for this case type' });
    // the account opened at the end takes this ID: a wrong one must be caught at the desk, not at the last step
    const id = v.details.idDocNumber;
    if (v.details.idDocType === 'resident_id' && typeof id === 'string') {
      const why = residentIdProblem(normaliseResidentId(id));
      if (why) ctx.addIssue({ code: 'custom', path: ['details', 'idDocNumber'], message: why });
    }
    if (JSON.stringify(v.details).length > 20_000)
      ctx.addIssue({ code: 'custom', path: ['details'], message: 'is too large (at most 20000 characters)' });
  });
export type OpenCaseInput = z.output<typeof OpenCaseInput>;

export const CaseFilter = z.object({
  caseType: z.enum(CASE_TYPES).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  accountNo: text(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CaseFilter = z.output<typeof CaseFilter>;

export const CloseCaseInput = z.object({
  status: z.enum(['completed', 'rejected', 'cancelled']),
  outcome: text(500).default(''),
});
