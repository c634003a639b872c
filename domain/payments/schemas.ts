import { z } from 'zod';
import { zodParser } from '../parse.js';
import { invalid } from './errors.js';

export const parse = zodParser(invalid);

/** Yuan as the cashier types it ("12.5", "12.50"), at most two decimals, to integer fen; never a float. */
export const yuan = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'an amount in yuan with at most two decimals'))
  .transform((s) => {
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  });

const positive = yuan.pipe(z.int().min(1, 'must be more than zero'));
const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().min(1, 'is required').max(max));

export const Channel = z.enum(['counter', 'bank_collection', 'bank_online', 'mobile', 'card_topup']);
export const Method = z.enum(['cash', 'card', 'qr', 'cheque', 'transfer']);

export const PostPaymentInput = z.object({
  channel: Channel.default('counter'),
  serial: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'letters, digits and _ . : - (at most 80)'),
  method: Method,
  items: z
    .array(z.object({ accountNo: text(30).transform((s) => s.toUpperCase()), amount: positive }))
    .min(1, 'at least one account')
    .max(20),
  tendered: yuan.optional(),
});
export type PostPayment = z.output<typeof PostPaymentInput>;

export const ReasonInput = z.object({ reason: text(200) });
export const RefundInput = z.object({ amount: positive, reason: text(200) });
export const DecisionInput = z.object({ approved: z.boolean(), note: z.string().max(200).default('') });
export const DayInput = z.object({ day: z.iso.date().optional() });
