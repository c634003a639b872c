import { monthsBetween } from './facts.js';
import { consumptionBound, judge, RULE_CODES, type ReadingFacts, type RuleSet } from './rules.js';

// The sane bound of a reading's consumption (issue #20: a 99,999 m³ reading on a flat with no history was accepted
// and became a ¥1.15 million bill). Figures by hand from the migration's defaults.
const PARAMS = { residentialMonthlyM3: 60, dn15: 1800, dn20: 2880, dn25: 4536, dn50: 18000 };
const rules = (enabled = true): RuleSet => {
  const set = Object.fromEntries(RULE_CODES.map((c) => [c, { enabled: true, params: {} }])) as RuleSet;
  set.consumption_bound = { enabled, params: PARAMS };
  return set;
};
const facts = (over: Partial<ReadingFacts>): ReadingFacts => ({
  reading: 0,
  hasMeter: true,
  meterHasHistory: false,
  rolloverAcceptShare: 0.02,
  digits: 5,
  baseline: 0,
  baselineEstimated: false,
  lastReal: 0,
  replacement: null,
  history: [],
  customerClass: 'residential',
  caliberMm: 20,
  spanMonths: 1,
  ...over,
});

test('a flat’s first reading of 99,999 m³ is held; 45 m³ passes', () => {
  const absurd = judge(facts({ reading: 99_999_000 }), rules());
  expect(absurd).toMatchObject({ failedRule: 'consumption_bound', consumption: 99_999_000 });
  expect(absurd.problem).toContain('bound of 60.000 m³');
  expect(judge(facts({ reading: 45_000 }), rules()).failedRule).toBeNull();
});

test('households: 60 m³ a month, times the months the reading spans', () => {
  // bimonthly book: 2 × 60 = 120 m³
  expect(consumptionBound(facts({ spanMonths: 2 }), rules().consumption_bound)).toBe(120_000);
  expect(judge(facts({ reading: 120_000, spanMonths: 2 }), rules()).failedRule).toBeNull();
  expect(judge(facts({ reading: 120_001, spanMonths: 2 }), rules()).failedRule).toBe('consumption_bound');
});

test('other classes: the meter size’s month at full flow; a size not listed takes the next larger', () => {
  const dn50 = facts({ customerClass: 'non_residential', caliberMm: 50 });
  expect(consumptionBound(dn50, rules().consumption_bound)).toBe(18_000_000);
  expect(judge({ ...dn50, reading: 5_000_000 }, rules()).failedRule).toBeNull();
  // DN40 is not listed: DN50's 18,000 m³
  expect(consumptionBound({ ...dn50, caliberMm: 40 }, rules().consumption_bound)).toBe(18_000_000);
  // DN15 factory: 1,800 m³; the household cap does not apply
  expect(consumptionBound({ ...dn50, caliberMm: 15 }, rules().consumption_bound)).toBe(1_800_000);
  // larger than any listed size, or unknown: no bound rather than a wrong one
  expect(consumptionBound({ ...dn50, caliberMm: 300 }, rules().consumption_bound)).toBeNull();
  expect(consumptionBound({ ...dn50, caliberMm: null }, rules().consumption_bound)).toBeNull();
});

test('the rule switched off holds nothing', () => {
  expect(judge(facts({ reading: 99_999_000 }), rules(false)).failedRule).toBeNull();
});

test('with history the average-based rule speaks first; the bound is the backstop', () => {
  const f = facts({ reading: 400_000, meterHasHistory: true, history: [20_000, 22_000, 18_000] });
  expect(judge(f, rules()).failedRule).toBe('high_consumption');
});

test('months a reading spans', () => {
  expect(monthsBetween('2026-01-01', '2026-03-01')).toBe(2);
  expect(monthsBetween('2025-11-01', '2026-02-01')).toBe(3);
  expect(monthsBetween('2026-03-15', '2026-03-01')).toBe(1);
});
