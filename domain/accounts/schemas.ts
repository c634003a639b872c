import { z } from 'zod';
import { invalid } from './errors.js';
import { normaliseResidentId, residentIdProblem } from './id-number.js';
import { normalisePhone } from './phone.js';
import { zodParser } from '../parse.js';

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().max(max));
const required = (max: number) => text(max).pipe(z.string().min(1, 'is required'));

// Volumes (m³, 3 decimals) stay decimal strings: never a float on the way to numeric(12,3).
const volume = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a volume in m³ with at most 3 decimals'));

export const CustomerInput = z
  .object({
    kind: z.enum(['person', 'organisation']).default('person'),
    idDocType: z.enum(['resident_id', 'passport', 'business_licence', 'other']).default('resident_id'),
    idDocNumber: required(40),
    name: required(100),
    phones: z.array(z.string()).max(5).default([]),
  })
  .transform((c, ctx) => {
    const idDocNumber = c.idDocType === 'resident_id' ? normaliseResidentId(c.idDocNumber) : c.idDocNumber;
    const problem = c.idDocType === 'resident_id' ? residentIdProblem(idDocNumber) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['idDocNumber'], message: `resident ID ${problem}` });
    const phones = c.phones.map((p, i) => {
      const phone = normalisePhone(p);
      if (!phone) ctx.addIssue({ code: 'custom', path: ['phones', i], message: 'is not a mobile or landline number' });
      return phone ?? p;
    });
    return { ...c, idDocNumber, phones: [...new Set(phones)] };
  });

export const PremiseInput = z.object({
  district: required(40),
  street: required(60),
  community: text(60).default(''),
  building: text(20).default(''),
  unit: text(20).default(''),
  room: text(20).default(''),
  addressText: text(200).default(''),
});

export const MeterInput = z.object({
  serial: required(40)
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[0-9A-Z-]+$/, 'letters, digits and - only')),
  kind: z.enum(['ordinary', 'ic_card', 'remote']).default('ordinary'),
  vendor: text(60).default(''),
  model: text(60).default(''),
  caliberMm: z.int().min(1).max(1000).default(20),
  digits: z.int().min(3).max(10).default(5),
  installDate: z.iso.date().optional(),
  initialReading: volume.default('0'),
});

const accountNo = required(32)
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z-]+$/, 'letters, digits and - only'));

export const OpenAccountInput = z
  .object({
    accountNo: accountNo.optional(),
    customerId: z.coerce.number().int().positive().optional(),
    customer: CustomerInput.optional(),
    premise: PremiseInput,
    commodity: required(20).default('water'),
    customerClass: z.enum(['residential', 'non_residential', 'special']),
    householdSize: z.int().min(1).max(99).default(1),
    paymentMethod: z.enum(['counter', 'bank_debit', 'prepaid_card']),
    book: z.object({
      code: required(40),
      sequence: z.int().positive().optional(),
      afterAccountNo: accountNo.optional(),
    }),
    meter: MeterInput.optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.customer === !v.customerId)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'give either customer or customerId' });
    if (v.book.sequence && v.book.afterAccountNo) {
      ctx.addIssue({ code: 'custom', path: ['book', 'sequence'], message: 'give either sequence or afterAccountNo' });
    }
  });
export type OpenAccountInput = z.infer<typeof OpenAccountInput>;

export const TransferInput = z
  .object({
    customerId: z.coerce.number().int().positive().optional(),
    customer: CustomerInput.optional(),
    reason: text(200).default('transfer'),
  })
  .superRefine((v, ctx) => {
    if (!v.customer === !v.customerId)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'give either customer or customerId' });
  });

export const ReissueInput = z.object({ reason: required(200).default('lost') });
export const CloseInput = z.object({ reason: required(200).default('demolition'), finalReading: volume.optional() });
export const SuspendInput = z.object({
  until: z.iso.date().optional(),
  reason: required(200).default('suspension'),
  finalReading: volume.optional(),
});
/** A charge on the ledger (stored negative): a fee. Final bills are bills (final-bill.ts), not charges. */
export const ChargeInput = z.object({
  kind: z.enum(['certificate_fee', 'relocation_fee', 'penalty']),
  amountFen: z.int().min(0).max(100_000_000),
  ref: required(100),
  note: text(200).default(''),
});
export const ReplaceMeterInput = z.object({
  meter: MeterInput,
  finalReading: volume,
  reason: required(200).default('replacement'),
});

export const BookInput = z.object({
  code: required(40),
  name: required(100),
  reader: text(100).optional(),
  cycle: z.enum(['monthly', 'bimonthly', 'quarterly']).default('monthly'),
});

export { ChangeContextInput } from '../audit/audit.js';

/** Parses with zod; the first problem becomes a 422 naming the field by its dotted path. */
export const parse = zodParser(invalid);
/** 最终账单: the final (拆迁) or transfer (过户) reading, taken on `readingDate` (today when absent). */
export const FinalBillInput = z.object({
  reading: volume,
  readingDate: z.iso.date().optional(),
  purpose: z.enum(['demolition', 'transfer']),
});
