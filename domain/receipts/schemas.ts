import { z } from 'zod';
import { zodParser } from '../parse.js';
import { invalid } from './errors.js';
import { FORM_STATES } from './states.js';

export const parse = zodParser(invalid);

/** Most forms one block or one range operation may cover (the stock table's own limit). */
export const MAX_RANGE = 100000;

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().min(1, 'is required').max(max));

export const FormTypeCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9-]{1,20}$/, 'a form type code (letters, digits, -)'));
const Series = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{0,12}$/, 'at most 12 letters and digits'))
  .default('');
/** A form number as printed: digits only, leading zeros allowed, at most 12 digits, never 0. */
const FormNo = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,12}$/, 'digits only (at most 12)'))
  .refine((s) => Number(s) > 0, 'must be more than zero');
const Cashier = text(100);

/** from ≤ to and at most MAX_RANGE numbers, each a 422 naming `to`. */
function checkRange<T extends { from: string; to: string }>(v: T, ctx: z.RefinementCtx) {
  if (Number(v.from) > Number(v.to))
    ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${v.from})` });
  else if (Number(v.to) - Number(v.from) + 1 > MAX_RANGE)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `more than ${MAX_RANGE} forms in one range` });
}

const RangeFields = { formType: FormTypeCode, series: Series, from: FormNo, to: FormNo };

export const ReceiveBlockInput = z
  .object({ ...RangeFields, note: z.string().trim().max(200).default('') })
  .superRefine((v, ctx) => {
    checkRange(v, ctx);
    if (v.from.length > v.to.length)
      ctx.addIssue({ code: 'custom', path: ['from'], message: `has more digits than to (${v.to})` });
  });
export const IssueRangeInput = z.object({ ...RangeFields, cashier: Cashier }).superRefine(checkRange);
export const ReturnRangeInput = IssueRangeInput;
export const LostRangeInput = z.object({ ...RangeFields, reason: text(200) }).superRefine(checkRange);

export const FormRefInput = z.object({ formType: FormTypeCode, series: Series, formNo: FormNo });
export type FormRef = z.input<typeof FormRefInput>;

export const ReasonInput = text(200);
export const VoidDecisionInput = z.object({ approved: z.boolean(), note: z.string().trim().max(200).default('') });

export const IssueReceiptInput = z.object({
  formType: FormTypeCode.optional(),
  cashier: Cashier,
  /** The receipt this one prints again (补打): its id. */
  reprintOf: z.coerce.number().int().positive().optional(),
});
export const BatchInput = text(100);

export const FormState = z.enum(FORM_STATES);
export const ListFormsInput = z
  .object({
    cashier: Cashier.optional(),
    state: FormState.optional(),
    formType: FormTypeCode.optional(),
    series: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9]{0,12}$/, 'at most 12 letters and digits'))
      .optional(),
    from: FormNo.optional(),
    to: FormNo.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .superRefine((v, ctx) => {
    if (v.from !== undefined && v.to !== undefined && Number(v.from) > Number(v.to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${v.from})` });
  });
export type FormFilter = z.input<typeof ListFormsInput>;
export const CountFormsInput = z.object({
  groupBy: z.enum(['cashier', 'state']),
  formType: FormTypeCode.optional(),
});

// ——— Layouts ———

const mm = z.number().positive('must be more than 0 mm').max(1000);
const offsetMm = z.number().min(0, 'must be 0 mm or more').max(1000);
const FieldPosition = z.strictObject({
  xMm: offsetMm,
  yMm: offsetMm,
  widthMm: mm.optional(),
  fontSize: z.number().min(4).max(72).optional(),
});
const FIELDS = [
  'formNo',
  'date',
  'utility',
  'accountNo',
  'customerName',
  'address',
  'method',
  'amountFigures',
  'amountCapitals',
  'tendered',
  'change',
  'creditAfter',
  'cashier',
  'reprint',
] as const;

/** A layout as contracts/receipts.ts declares it; every box lies on the page. */
export const LayoutInput = z
  .strictObject({
    kind: z.enum(['preprinted', 'plain', 'e-receipt']),
    pageWidthMm: mm,
    pageHeightMm: mm,
    // null or absent: the form has no box for the field (an editor sends null for a box it removed)
    fields: z
      .partialRecord(z.enum(FIELDS), FieldPosition.nullish())
      .transform(
        (f) =>
          Object.fromEntries(Object.entries(f).filter(([, p]) => p != null)) as Partial<
            Record<(typeof FIELDS)[number], z.output<typeof FieldPosition>>
          >,
      ),
    qr: z.strictObject({ xMm: offsetMm, yMm: offsetMm, sizeMm: mm }).optional(),
    linesArea: z
      .strictObject({
        xMm: offsetMm,
        yMm: offsetMm,
        widthMm: mm,
        rowHeightMm: mm,
        maxRows: z.number().int().min(1).max(100),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const off = (path: (string | number)[], what: string) =>
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${what} lies outside the ${v.pageWidthMm} × ${v.pageHeightMm} mm page`,
      });
    for (const [name, p] of Object.entries(v.fields)) {
      if (!p) continue;
      if (p.xMm + (p.widthMm ?? 0) > v.pageWidthMm) off(['fields', name, p.widthMm ? 'widthMm' : 'xMm'], 'the box');
      else if (p.yMm > v.pageHeightMm) off(['fields', name, 'yMm'], 'the box');
    }
    if (v.qr && (v.qr.xMm + v.qr.sizeMm > v.pageWidthMm || v.qr.yMm + v.qr.sizeMm > v.pageHeightMm))
      off(['qr'], 'the QR code');
    const l = v.linesArea;
    if (l && (l.xMm + l.widthMm > v.pageWidthMm || l.yMm + l.rowHeightMm * l.maxRows > v.pageHeightMm))
      off(['linesArea'], 'the lines area');
  });

// ——— E-invoices ———

export const EInvoiceInput = z.object({
  batch: BatchInput,
  invoiceNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and - (at most 40)'),
  provider: text(40),
  status: z.enum(['issued', 'red-lettered', 'failed']),
  amountFen: z.number().int().min(0).max(1e12),
  pdfPath: z.string().trim().max(500).nullish(),
  xmlPath: z.string().trim().max(500).nullish(),
});
export const InvoiceNoInput = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and - (at most 40)');
