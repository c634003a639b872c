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

const Tier = z.object({
  upTo: volume.nullable().default(null),
  upToPerExtraPerson: volume.default('0'),
  priceFen: z.int().min(0).max(1_000_000),
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
    /** Shorthand for a flat component: one open tier at this price. */
    priceFen: z.int().min(0).max(1_000_000).optional(),
    tiers: z.array(Tier).max(10).optional(),
    /** The water charge proper (水费), as opposed to a levy such as sewage treatment or the water-resource fee. */
    waterCharge: z.boolean().default(false),
  })
  .transform((c, ctx) => {
    const tiers =
      c.tiers ?? (c.priceFen !== undefined ? [{ upTo: null, upToPerExtraPerson: '0', priceFen: c.priceFen }] : []);
    if (c.tiers && c.priceFen !== undefined)
      ctx.addIssue({ code: 'custom', path: ['priceFen'], message: 'give either priceFen or tiers' });
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
    return { code: c.code, name: c.name, basis: c.basis, waterCharge: c.waterCharge, tiers };
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

export const RebillInput = z.object({ reason: text(200) });

/** Parses with zod; the first problem becomes a 422 naming the field by its dotted path. */
export const parse = zodParser(invalid);
