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
