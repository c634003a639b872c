import { z } from 'zod';
import { Method, yuan } from '../../payments/schemas.js';
import { required, text } from '../schemas.js';

export { parse } from '../schemas.js';

const amount = yuan.pipe(z.int().max(10_000_000_000, 'is too large'));
const quantity = z.coerce.number().positive('must be more than zero').max(1_000_000);

/** A material as the requisition (领料) or the works (materials used) list it. */
const Material = z.object({
  name: required(80),
  spec: text(80).default(''),
  unit: text(20).default(''),
  quantity,
});

/** 设计: the budget (预算) in yuan as the designer types it, to fen; its lines and the material requisition are optional detail. */
export const DesignInput = z.object({
  budgetYuan: amount,
  budgetLines: z
    .array(z.object({ item: required(80), amountYuan: amount }))
    .max(100)
    .default([]),
  materials: z.array(Material).max(200).default([]),
  drawingsNote: text(1000).default(''),
});
export type DesignInput = z.output<typeof DesignInput>;

export const STEPS = ['survey', 'works-order', 'works-progress', 'acceptance', 'contract', 'first-reading'] as const;

/** What a step established, kept as typed (its form's fields); the step names which. */
export const StepInput = z.object({
  step: z.enum(STEPS),
  facts: z.record(z.string(), z.unknown()).refine((f) => JSON.stringify(f).length <= 20_000, 'is too large'),
});

/** A meter reading in m³ as a form's number field (or text) sends it: 0 or more, at most 3 decimals. */
const reading = z
  .union([z.string(), z.number()], { error: 'is required' })
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a reading in m³ (0 or more) with at most 3 decimals'));

/**
 * 竣工验收 accepted: the meter installed is named (its serial, which the account opening installs) and its
 * initial reading, when given, is a reading. A failed acceptance names neither.
 */
export const AcceptedFacts = z.object({
  meterSerial: z.preprocess((v) => v ?? '', required(40)),
  initialReading: reading.optional(),
});

/** 业务收费 at the counter: the whole amount due, once per serial (the counter screen's per-submission serial). */
export const FeePaymentInput = z.object({
  serial: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'letters, digits and _ . : - (at most 80)'),
  method: Method,
  amountYuan: yuan.pipe(z.int().min(1, 'must be more than zero')),
  tenderedYuan: yuan.optional(),
});
export type FeePaymentInput = z.output<typeof FeePaymentInput>;
