import { z } from 'zod';
import { zodParser } from '../parse.js';
import { invalid } from './errors.js';

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().max(max));

/** A reading as typed or sent: decimal text or a number, m³ with at most 3 decimals, never negative. */
export const volume = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).normalize('NFKC').trim())
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'a reading in m³ (at most 9 digits and 3 decimals, not negative)'));

/** "2026-11" or any day of the month → the first day of that month, the period a reading closes. */
export const period = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/, 'a month as YYYY-MM')
  .transform((s) => `${s.slice(0, 7)}-01`);

export const serial = text(40)
  .transform((s) => s.toUpperCase())
  .pipe(z.string().min(1, 'is required'));

export const accountNo = text(40)
  .transform((s) => s.toUpperCase())
  .pipe(z.string().min(1, 'is required'));

export const SOURCES = ['manual', 'handheld', 'mobile', 'remote'] as const;

export const ReadingInput = z
  .object({
    accountNo: accountNo.optional(),
    meterSerial: serial.optional(),
    reading: volume,
    period: period.optional(),
    readAt: z.iso.datetime({ offset: true }).optional(),
    source: z.enum(SOURCES).default('manual'),
    reader: text(100).optional(),
    note: text(500).default(''),
    externalRef: text(200).optional(),
  })
  .refine((v) => v.accountNo || v.meterSerial, {
    path: ['accountNo'],
    message: 'accountNo or meterSerial is required',
  });
export type ReadingInputValue = z.output<typeof ReadingInput>;

export const CorrectInput = z.object({ reading: volume, note: text(500).default('') });

/** Correcting an accepted reading: the right value and why (kept with the correction). */
export const CorrectionInput = z.object({
  reading: volume,
  reason: text(500).pipe(z.string().min(1, 'is required')),
});

export const SettingsInput = z.object({
  timeZone: text(64).pipe(z.string().min(1, 'is required')).optional(),
  correctionApprovalM3: volume.optional(),
  rolloverMaxShare: z
    .record(z.string().regex(/^(default|\d{1,4})$/, 'a caliber in mm or default'), z.number().gt(0).max(0.2))
    .optional(),
});

export const EstimateInput = z.object({ accountNo, period, note: text(500).default('') });

export const RuleUpdateInput = z.object({
  enabled: z.boolean().optional(),
  params: z.record(z.string(), z.union([z.number().nonnegative(), z.boolean()])).optional(),
});

export const CycleInput = z.object({
  bookCode: text(40).pipe(z.string().min(1, 'is required')),
  period,
  deadline: z.iso.datetime({ offset: true }),
});

export const ExportQuery = z.object({
  period,
  encoding: z.enum(['utf-8', 'gbk', 'gb18030']).default('utf-8'),
});

export const ImportInput = z.object({
  period,
  bookCode: text(40).optional(),
  fileName: text(200).default('upload.csv'),
  encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).default('auto'),
  contentBase64: z
    .string()
    .min(1, 'is required')
    .max(14_000_000, 'the file is larger than 10 MB')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

/** Parses with zod; the first problem becomes metering's 422 naming the field by its dotted path. */
export const parse = zodParser(invalid);
