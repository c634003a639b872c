import { z } from 'zod';
import { normalisePhone } from '../accounts/phone.js';
import { invalid } from './errors.js';
import { zodParser } from '../parse.js';

export const CATEGORIES = ['leak', 'no_water', 'low_pressure', 'meter_fault', 'water_quality', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

// Text is stored as typed (NFC: Chinese punctuation stays full-width; trimmed): markup in it is data, escaped wherever it is shown.
const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max));
const required = (max: number) => text(max).pipe(z.string().min(1, 'is required'));

const phone = z
  .string({ error: 'is required' })
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'is required'))
  .transform((s, ctx) => {
    const p = normalisePhone(s);
    if (!p) ctx.addIssue({ code: 'custom', message: 'is not a mobile or landline number' });
    return p ?? s;
  });

export const TicketInput = z
  .object({
    accountNo: text(32).optional(),
    supplyAddress: text(200).optional(),
    category: z.enum(CATEGORIES, { error: `one of ${CATEGORIES.join(', ')}` }),
    description: text(2000).default(''),
    contactName: text(100).default(''),
    contactPhone: phone,
    urgency: required(20).default('normal'),
  })
  .superRefine((v, ctx) => {
    if (!v.accountNo && !v.supplyAddress)
      ctx.addIssue({ code: 'custom', path: ['supplyAddress'], message: 'is required without an account' });
  });
export type TicketInput = z.output<typeof TicketInput>;

export const AssignInput = z.object({
  crew: required(100),
  instructions: text(1000).default(''),
  /** The dispatcher who chose the crew, when a worker records the choice on their behalf. */
  dispatchedBy: text(100).optional(),
});

const quantity = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a quantity with at most 3 decimals'))
  .refine((q) => Number(q) > 0, 'must be more than 0');

export const MaterialInput = z.object({
  name: required(100),
  quantity,
  unit: text(20).default(''),
});

export const ResultInput = z.object({
  arrivedAt: z.iso.datetime({ offset: true }).optional(),
  result: required(2000),
  resolved: z.boolean().default(true),
  materials: z.array(MaterialInput).max(50).default([]),
});
export type ResultInput = z.output<typeof ResultInput>;

export const CallbackInput = z
  .object({
    reached: z.boolean({ error: 'is required (true or false)' }),
    satisfaction: z.int().min(1).max(5).nullish(),
    notes: text(2000).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.reached && v.satisfaction == null)
      ctx.addIssue({
        code: 'custom',
        path: ['satisfaction'],
        message: 'is required (1–5) when the customer was reached',
      });
    if (!v.reached && v.satisfaction != null)
      ctx.addIssue({ code: 'custom', path: ['satisfaction'], message: 'only when the customer was reached' });
  });
export type CallbackInput = z.output<typeof CallbackInput>;

export { ChangeContextInput } from '../audit/audit.js';

/** Parses with zod; the first problem becomes a 422 naming the field by its dotted path. */
export const parse = zodParser(invalid);
