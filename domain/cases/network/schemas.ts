import { z } from 'zod';
import { yuan } from '../../payments/schemas.js';
import { required, text } from '../schemas.js';

export { parse, PremiseInput } from '../schemas.js';

/** A moment as a form or the intake sends it; without an offset it is the utility's time (China, +08:00). */
const moment = z
  .string({ error: 'is required' })
  .transform((s) => s.trim())
  .transform((s, ctx) => {
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}+08:00`;
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(withZone) : NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a date and time (YYYY-MM-DDTHH:mm)' });
      return z.NEVER;
    }
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  });

/**
 * A planned shut-off is announced at least this long before the water goes off (the customers' notice): its
 * `startAt` must lie this far ahead when the area is checked (the intake, the area step), and the model checks
 * it again when the approval comes (the area step reports `noticeBy`, the latest moment notices may go out). An
 * emergency has no minimum. A utility that promises more changes this one constant.
 */
export const PLANNED_NOTICE_HOURS = 24;

/** 停水: planned or emergency, the window, and the area by meter books and/or streets (at least one of them). */
export const ShutoffAreaInput = z
  .object({
    kind: z.enum(['planned', 'emergency'], { error: 'one of planned, emergency' }),
    startAt: moment,
    endAt: moment,
    reason: required(200),
    // a list, or as a clerk types it on the correction form: codes separated by commas or spaces
    bookCodes: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(/[\s,，、]+/).filter(Boolean) : (v ?? undefined)),
      z.array(required(40)).max(200).default([]),
    ),
    streets: z.preprocess(
      (v) => v ?? undefined,
      z
        .array(z.object({ district: required(40), street: required(80) }))
        .max(200)
        .default([]),
    ),
  })
  .superRefine((v, ctx) => {
    if (Date.parse(v.endAt) <= Date.parse(v.startAt))
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
    if (v.bookCodes.length === 0 && v.streets.length === 0)
      ctx.addIssue({ code: 'custom', path: ['bookCodes'], message: 'name at least one meter book or street' });
  });
export type ShutoffAreaInput = z.output<typeof ShutoffAreaInput>;

export const NoticeInput = z.object({
  kind: z.enum(['water_shutoff', 'water_restored']),
  /** when water came back (restoration notices); defaults to now */
  restoredAt: moment.optional(),
});

export const FINDINGS = ['illegal_connection', 'meter_tampering', 'wrong_class', 'none'] as const;
export const CUSTOMER_CLASSES = ['residential', 'non_residential', 'special'] as const;

/** m³ with at most 3 decimals, as integer litres (never a float). */
const litres = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,7}(\.\d{1,3})?$/, 'a volume in m³ with at most 3 decimals'))
  .transform((s) => {
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
  });

const blankIsAbsent = (v: unknown) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);

/**
 * 用水监察: what the inspector found. Illegal connection and meter tampering are charged by the estimated
 * unbilled volume; a wrong class names the right one. Anything but "nothing found" concerns an account.
 */
export const InspectionInput = z
  .object({
    finding: z.enum(FINDINGS, { error: `one of ${FINDINGS.join(', ')}` }),
    accountNo: z.preprocess(blankIsAbsent, text(32).optional()),
    note: z.preprocess(blankIsAbsent, text(1000).default('')),
    estimatedVolume: z.preprocess(blankIsAbsent, litres.default(0)),
    newClass: z.preprocess(blankIsAbsent, z.enum(CUSTOMER_CLASSES).optional()),
    repairNeeded: z.preprocess((v) => v ?? false, z.boolean()),
    contactPhone: z.preprocess(blankIsAbsent, text(40).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.finding !== 'none' && !v.accountNo)
      ctx.addIssue({ code: 'custom', path: ['accountNo'], message: 'is required for this finding' });
    if ((v.finding === 'illegal_connection' || v.finding === 'meter_tampering') && v.estimatedVolume === 0)
      ctx.addIssue({ code: 'custom', path: ['estimatedVolume'], message: 'must be more than zero for a penalty' });
    if (v.finding === 'wrong_class' && !v.newClass)
      ctx.addIssue({ code: 'custom', path: ['newClass'], message: 'is required for a wrong class' });
  });
export type InspectionInput = z.output<typeof InspectionInput>;

/** The penalty rate per m³ in fen: tariff data the model carries (a task header), never code. */
export const PenaltyRate = z.coerce.number().int().min(0).max(1_000_000);

/** 搬迁费 as the engineer types it, in yuan, to fen. */
export const RelocationCostInput = z.object({ costYuan: yuan.pipe(z.int().max(10_000_000_000, 'is too large')) });
