import type { Knex } from 'knex';
import { fromLitres, meterCapacity, type Litres } from './volume.js';

export const RULE_CODES = [
  'negative_consumption',
  'zero_consumption',
  'high_consumption',
  'rollover',
  'replacement',
  'no_meter',
  'consumption_bound',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleConfig {
  enabled: boolean;
  params: Record<string, number | boolean>;
}
export type RuleSet = Record<RuleCode, RuleConfig>;

/** The rules as configured in cis.reading_rules, read for every validation (a change applies at once). */
export async function loadRules(db: Knex | Knex.Transaction): Promise<RuleSet> {
  const rows: Array<{ code: RuleCode; enabled: boolean; params: RuleConfig['params'] }> = await db(
    'cis.reading_rules',
  ).select('code', 'enabled', 'params');
  const set = Object.fromEntries(RULE_CODES.map((c) => [c, { enabled: false, params: {} }])) as RuleSet;
  for (const r of rows) set[r.code] = { enabled: r.enabled, params: r.params };
  return set;
}

/** What a reading is judged against, gathered from the database (facts.ts). */
export interface ReadingFacts {
  reading: Litres;
  hasMeter: boolean;
  /** The meter has an accepted reading: its baseline is more than the initial reading someone typed in. */
  meterHasHistory: boolean;
  /** A rollover consuming at most this share of 10^digits is accepted; above it a clerk looks (settings, per caliber). */
  rolloverAcceptShare: number;
  digits: number;
  /** The value consumption counts from: the previous accepted reading, else the meter's initial reading. */
  baseline: Litres;
  /** The baseline is an estimate: a real reading below it trues the estimate up. */
  baselineEstimated: boolean;
  /** The last real (not estimated) reading or initial reading of this meter. */
  lastReal: Litres;
  /** The first reading of a meter that replaced another one. */
  replacement: { finalReading: Litres | null; oldBaseline: Litres; initialReading: Litres } | null;
  /** Consumption of the account's recent accepted real readings, newest first. */
  history: Litres[];
  /** The account's customer class and the meter's nominal size (DN, mm), for the sane bound of a month's use. */
  customerClass: string;
  caliberMm: number | null;
  /** Months the consumption spans: the book's cycle, or more when readings were missed (or since installation). */
  spanMonths: number;
}

export interface Verdict {
  consumption: Litres;
  failedRule: RuleCode | null;
  problem: string | null;
  /** Explanations kept with an accepted reading (rollover, true-up, replacement). */
  notes: string[];
}

const num = (cfg: RuleConfig, key: string, fallback: number) =>
  typeof cfg.params[key] === 'number' ? (cfg.params[key] as number) : fallback;
const m3 = (l: Litres) => `${fromLitres(l)} m³`;
const percent = (share: number) => `${Math.round(share * 10000) / 100}%`;

/** Consumption of a reading and the first enabled rule it breaks. Pure: every fact comes in as data. */
export function judge(f: ReadingFacts, rules: RuleSet): Verdict {
  const notes: string[] = [];
  const fail = (rule: RuleCode, consumption: Litres, problem: string): Verdict => ({
    consumption,
    failedRule: rule,
    problem,
    notes,
  });

  if (!f.hasMeter) {
    const consumption = Math.max(0, f.reading - f.baseline);
    if (rules.no_meter.enabled) return fail('no_meter', consumption, 'the account has no meter in service');
    return { consumption, failedRule: null, problem: null, notes };
  }

  let consumption: Litres;
  if (f.replacement) {
    const r = f.replacement;
    const oldPart = r.finalReading === null ? 0 : r.finalReading - r.oldBaseline;
    const newPart = f.reading - r.initialReading;
    consumption = oldPart + newPart;
    notes.push(`replacement: old meter ${m3(oldPart)} + new meter ${m3(newPart)}`);
    const rule = rules.replacement;
    if (rule.enabled) {
      if (r.finalReading === null) return fail('replacement', consumption, 'the replaced meter has no final reading');
      if (oldPart < 0)
        return fail('replacement', consumption, `final reading of the old meter is ${m3(-oldPart)} below its last`);
      if (newPart < 0)
        return fail('replacement', consumption, `reading is ${m3(-newPart)} below the new meter's initial reading`);
      if (rule.params.review === true) return fail('replacement', consumption, 'replacement held for review');
    }
  } else {
    consumption = f.reading - f.baseline;
    if (consumption < 0) {
      const rolled = f.reading + meterCapacity(f.digits) - f.baseline;
      const rollover = rules.rollover;
      if (f.baselineEstimated && f.reading >= f.lastReal) {
        notes.push(`trues up an estimate by ${m3(consumption)}`);
      } else if (rollover.enabled && rolled <= num(rollover, 'maxShare', 0.2) * meterCapacity(f.digits)) {
        consumption = rolled;
        notes.push(`rollover at ${f.digits} digits`);
        if (rollover.params.review === true)
          return fail('rollover', consumption, `meter rolled over at ${f.digits} digits (${m3(rolled)})`);
        const capacity = meterCapacity(f.digits);
        if (rolled > f.rolloverAcceptShare * capacity)
          return fail(
            'rollover',
            consumption,
            `rollover of ${m3(rolled)} is ${percent(rolled / capacity)} of the meter's ${m3(capacity)}, above ${percent(f.rolloverAcceptShare)}`,
          );
        if (!f.meterHasHistory)
          return fail('rollover', consumption, `rollover (${m3(rolled)}) on a meter without an accepted reading yet`);
      } else if (rules.negative_consumption.enabled) {
        return fail('negative_consumption', consumption, `reading is ${m3(-consumption)} below the previous one`);
      }
    }
  }

  const zero = rules.zero_consumption;
  if (zero.enabled && consumption === 0) {
    const cycles = num(zero, 'cycles', 3);
    const before = f.history.slice(0, cycles - 1);
    if (before.length === cycles - 1 && before.every((c) => c === 0))
      return fail('zero_consumption', consumption, `no consumption for ${cycles} cycles`);
  }

  const high = rules.high_consumption;
  if (high.enabled) {
    const recent = f.history.slice(0, num(high, 'lookback', 6));
    if (recent.length >= num(high, 'minHistory', 2)) {
      const average = recent.reduce((a, b) => a + b, 0) / recent.length;
      const factor = num(high, 'factor', 3);
      if (consumption > factor * average && consumption >= num(high, 'minConsumption', 5) * 1000)
        return fail(
          'high_consumption',
          consumption,
          `consumption ${m3(consumption)} is above ${factor}× the average ${m3(Math.round(average))}`,
        );
    }
  }
  // the backstop after the rules that know the account's past: a first reading has none
  const bound = consumptionBound(f, rules.consumption_bound);
  if (bound !== null && consumption > bound)
    return fail(
      'consumption_bound',
      consumption,
      `consumption ${m3(consumption)} is above the bound of ${m3(bound)} for ${f.spanMonths} month(s) of a DN${f.caliberMm ?? '?'} ${f.customerClass} meter`,
    );
  return { consumption, failedRule: null, problem: null, notes };
}

/**
 * The most a meter of this size and class can sanely use over the reading's span, in litres; null when the rule is
 * off or the size is unknown. Per month: the `dn<size>` parameter (a meter's permanent flow Q3 running for a whole
 * month: nothing above it is physically a reading), and for households at most `residentialMonthlyM3`. A meter
 * without history is judged too: the bound needs no past, which is what a first reading lacks.
 */
export function consumptionBound(f: ReadingFacts, cfg: RuleConfig): Litres | null {
  if (!cfg.enabled || f.caliberMm === null) return null;
  const sizes = Object.keys(cfg.params)
    .filter((k) => /^dn\d+$/.test(k) && typeof cfg.params[k] === 'number')
    .map((k) => Number(k.slice(2)))
    .sort((a, b) => a - b);
  // a size not listed takes the next larger one listed (a generous bound beats none)
  const size = sizes.find((d) => d >= f.caliberMm!);
  if (size === undefined) return null;
  let monthly = cfg.params[`dn${size}`] as number;
  if (f.customerClass === 'residential') monthly = Math.min(monthly, num(cfg, 'residentialMonthlyM3', 60));
  return Math.round(monthly * 1000) * Math.max(1, f.spanMonths);
}
