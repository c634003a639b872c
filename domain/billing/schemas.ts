import { z } from 'zod';
import { invalid } from './errors.js';
import { zodParser } from '../parse.js';

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().min(1, 'is required').max(max));

/** Decimals stay strings on their way to numeric columns: never a float. */
const decimal = (intDigits: number, fraction: number, what: string) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(new RegExp(`^\\d{1,${intDigits}}(\\.\\d{1,${fraction}})?$`), what));

const volume = decimal(9, 3, 'a volume in m³ with at most 3 decimals');
const date = z.iso.date();

/** First day of a month, given as 2026-11 or 2026-11-01. */
export const Period = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-01)?$/, 'a month as YYYY-MM')
  .transform((s) => `${s.slice(0, 7)}-01`);

/** A price in yuan with up to 3 decimals (厘), e.g. '3.455', as fen with one decimal ('345.5'): exact, no float. */
const yuanPrice = decimal(4, 3, 'a price in yuan with at most 3 decimals (厘)').transform((y) => {
  const [int, frac = ''] = y.split('.');
  const f = frac.padEnd(3, '0');
  const fen = `${BigInt(int) * 100n + BigInt(f.slice(0, 2))}`;
  return f[2] === '0' ? fen : `${fen}.${f[2]}`;
});
const fenPrice = z.int().min(0).max(1_000_000);

/** A tier's price: `priceFen` (whole fen) or `price` (yuan, up to 3 decimals); stored as fen with one decimal. */
const Tier = z
  .object({
    upTo: volume.nullable().default(null),
    upToPerExtraPerson: volume.default('0'),
    priceFen: fenPrice.optional(),
    price: yuanPrice.optional(),
  })
  .transform((t, ctx) => {
    if ((t.priceFen === undefined) === (t.price === undefined))
      ctx.addIssue({ code: 'custom', path: ['priceFen'], message: 'give either priceFen or price (yuan)' });
    return { upTo: t.upTo, upToPerExtraPerson: t.upToPerExtraPerson, priceFen: String(t.price ?? t.priceFen ?? 0) };
  });

/** The component of a bill's rounding line (tariffs rounding per bill): no tariff component may be called so. */
export const ROUNDING_LINE = 'rounding';

const Component = z
  .object({
    code: text(40)
      .pipe(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'))
      // a bill rounded as a whole carries its difference on a line of this name (compute-sql.ts)
      .refine((c) => c !== ROUNDING_LINE, `${ROUNDING_LINE} is the bill rounding line`),
    name: text(100),
    basis: z.enum(['annual', 'monthly', 'flat']),
    /** Shorthand for a flat component: one open tier at this price (whole fen, or `price` in yuan). */
    priceFen: fenPrice.optional(),
    price: yuanPrice.optional(),
    tiers: z.array(Tier).max(10).optional(),
    /** The water charge proper (水费), as opposed to a levy such as sewage treatment or the water-resource fee. */
    waterCharge: z.boolean().default(false),
    /** VAT rate included in the prices (0.09 = 9 %); each bill line shows its tax part. */
    vatRate: decimal(1, 4, 'a rate such as 0.09, at most 4 decimals')
      .refine((r) => Number(r) < 1, 'must be below 1')
      .default('0'),
  })
  .transform((c, ctx) => {
    const flat = c.price ?? (c.priceFen === undefined ? undefined : String(c.priceFen));
    const tiers = c.tiers ?? (flat !== undefined ? [{ upTo: null, upToPerExtraPerson: '0', priceFen: flat }] : []);
    if (c.priceFen !== undefined && c.price !== undefined)
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'give either priceFen or price (yuan)' });
    if (c.tiers && flat !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [c.price === undefined ? 'priceFen' : 'price'],
        message: 'give either a price or tiers',
      });
    if (tiers.length === 0) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'needs a price or tiers' });
    if (c.basis === 'flat' && tiers.length > 1)
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'a flat component has one price' });
    tiers.forEach((t, i) => {
      const last = i === tiers.length - 1;
      if (last && t.upTo !== null)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upTo'], message: 'the last tier is open (null)' });
      if (!last && t.upTo === null)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upTo'], message: 'only the last tier is open' });
      if (i > 0 && t.upTo !== null && tiers[i - 1].upTo !== null && Number(t.upTo) <= Number(tiers[i - 1].upTo))
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upTo'], message: 'must be above the previous tier' });
    });
    return { code: c.code, name: c.name, basis: c.basis, waterCharge: c.waterCharge, vatRate: c.vatRate, tiers };
  });

export const TariffInput = z
  .object({
    code: text(40),
    name: text(100),
    customerClass: z.enum(['residential', 'non_residential', 'special']),
    effectiveFrom: date,
    effectiveTo: date.nullable().default(null),
    householdBase: z.int().min(0).max(99).default(0),
    lateFee: z
      .object({
        perMillePerDay: decimal(3, 3, 'per mille per day, at most 3 decimals'),
        capPct: decimal(4, 2, 'a percentage of the base, at most 2 decimals'),
        /** What the fee is charged on: every component, or the water-charge components only. */
        base: z.enum(['water', 'all']).default('all'),
      })
      .default({ perMillePerDay: '0', capPct: '0', base: 'all' }),
    paymentDays: z.int().min(0).max(365).default(30),
    /** Half-up to the fen per bill line, or once on the bill's total. */
    rounding: z.enum(['line', 'bill']).default('line'),
    /** Annual tier bounds × the months of the year an account is open / 12 (accounts opened or closed mid-year). */
    prorateAnnual: z.boolean().default(false),
    components: z.array(Component).min(1).max(10),
  })
  .superRefine((v, ctx) => {
    if (v.effectiveTo && v.effectiveTo < v.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'is before effectiveFrom' });
    const seen = new Set<string>();
    v.components.forEach((c, i) => {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['components', i, 'code'], message: 'is repeated' });
      seen.add(c.code);
    });
    if (v.lateFee.base === 'water' && !v.components.some((c) => c.waterCharge))
      ctx.addIssue({ code: 'custom', path: ['lateFee', 'base'], message: 'no component is marked waterCharge' });
  });
export type TariffInput = z.output<typeof TariffInput>;

export const StartRunInput = z.object({
  period: Period,
  reviewThresholdFen: z.int().min(0).max(1_000_000_000).optional(),
});

export const ReviewDecision = z.object({
  billId: z.coerce.number().int().positive(),
  approved: z.boolean(),
  note: z.string().max(500).default(''),
});

/** A household size change (户口) from a date, resting on a document. */
export const HouseholdChangeInput = z.object({
  effectiveFrom: date,
  persons: z.int().min(1).max(99),
  documentRef: text(100),
  note: z.string().trim().max(500).default(''),
});

export const RebillInput = z.object({ reason: text(200) });

/** Parses with zod; the first problem becomes a 422 naming the field by its dotted path. */
export const parse = zodParser(invalid);
