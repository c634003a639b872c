import { toJson } from '../feel/index.js';
import { valText } from './type-ref.js';
import type { DecisionTableModel } from './types.js';

/** A rule that matched, with its evaluated outputs (FEEL values, in output order). */
export interface MatchedRule {
  index: number;
  ruleId: string;
  values: unknown[];
  /** The rule's result: the one output's value, or a context of output name → value. */
  result: unknown;
}

export type HitResult = { ok: true; output: unknown; rules: MatchedRule[] } | { ok: false; message: string };

const same = (a: unknown, b: unknown) => JSON.stringify(jsonOf(a)) === JSON.stringify(jsonOf(b));
const jsonOf = (v: unknown) => {
  try {
    return toJson(v);
  } catch {
    return null;
  }
};
/** The matched outputs as dmn-scala's messages list them: `List(Map(name -> ValString(low)), …)`. */
const found = (table: DecisionTableModel, rules: MatchedRule[]) =>
  `List(${rules.map((r) => `Map(${table.outputs.map((o, i) => `${o.name} -> ${valText(r.values[i])}`).join(', ')})`).join(', ')})`;

/**
 * Applies the table's hit policy to the matched rules as Camunda's DMN engine (dmn-scala) does; it is called
 * only when some rule matched (no match makes the default result, decision-table.ts). The rules reported as
 * matched are all that matched — under FIRST only the first, whose outputs alone are evaluated — in rule order,
 * also for PRIORITY, ANY and OUTPUT ORDER.
 */
export function applyHitPolicy(table: DecisionTableModel, matched: MatchedRule[], rank: RankOf): HitResult {
  const one = (rule: MatchedRule | undefined): HitResult => ({
    ok: true,
    output: rule?.result ?? null,
    rules: matched,
  });
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1)
        return {
          ok: false,
          message: `multiple values aren't allowed for UNIQUE hit policy. found: '${found(table, matched)}'`,
        };
      return one(matched[0]);
    case 'FIRST':
      return one(matched[0]);
    case 'ANY': {
      const distinct = matched.filter((r, i) => matched.findIndex((o) => same(o.result, r.result)) === i);
      if (distinct.length > 1)
        return {
          ok: false,
          message: `different values aren't allowed for ANY hit policy. found: '${found(table, distinct)}'`,
        };
      return one(matched[0]);
    }
    case 'PRIORITY':
      return one(byPriority(matched, rank)[0]);
    case 'OUTPUT ORDER':
      return { ok: true, output: byPriority(matched, rank).map((r) => r.result), rules: matched };
    case 'RULE ORDER':
      return list(matched);
    case 'COLLECT':
      return table.aggregation ? aggregate(table.aggregation, matched) : list(matched);
  }
}

function list(rules: MatchedRule[]): HitResult {
  return { ok: true, output: rules.map((r) => r.result), rules };
}

/** The rank of a rule's output values in each output's list of allowed values (lower first). */
export type RankOf = (rule: MatchedRule) => number[];

function byPriority(rules: MatchedRule[], rank: RankOf): MatchedRule[] {
  const ranked = rules.map((r) => ({ r, k: rank(r) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < Math.max(a.k.length, b.k.length); i++) if (a.k[i] !== b.k[i]) return a.k[i] - b.k[i];
    return a.r.index - b.r.index;
  });
  return ranked.map((x) => x.r);
}

/**
 * COLLECT with an aggregation: COUNT counts the matched rules (null outputs too); SUM, MIN and MAX need every
 * output to be a number (a null is not).
 */
function aggregate(aggregation: 'SUM' | 'MIN' | 'MAX' | 'COUNT', rules: MatchedRule[]): HitResult {
  if (aggregation === 'COUNT') return { ok: true, output: rules.length, rules };
  const numbers: number[] = [];
  for (const r of rules) {
    if (typeof r.result !== 'number') return { ok: false, message: `expected number but found '${valText(r.result)}'` };
    numbers.push(r.result);
  }
  const output =
    aggregation === 'SUM'
      ? numbers.reduce((a, b) => a + b, 0)
      : aggregation === 'MIN'
        ? Math.min(...numbers)
        : Math.max(...numbers);
  return { ok: true, output, rules };
}
