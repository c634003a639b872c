import type { DecisionTableModel } from './types.js';

/** A rule that matched, with its evaluated outputs (JSON values, in output order). */
export interface MatchedRule {
  index: number;
  ruleId: string;
  values: unknown[];
  /** The rule's result: the one output's value, or a context of output name → value. */
  result: unknown;
}

export type HitResult = { ok: true; output: unknown; rules: MatchedRule[] } | { ok: false; message: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies the table's hit policy to the matched rules (DMN 1.3 as Camunda's DMN engine does): the decision's
 * result and the rules reported as matched. Single-result policies give null when no rule matched.
 */
export function applyHitPolicy(table: DecisionTableModel, matched: MatchedRule[], rank: RankOf): HitResult {
  const one = (rules: MatchedRule[]): HitResult => ({ ok: true, output: rules[0]?.result ?? null, rules });
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1)
        return {
          ok: false,
          message: `multiple values aren't allowed for UNIQUE hit policy. found: '${JSON.stringify(matched.map((r) => r.result))}'`,
        };
      return one(matched);
    case 'FIRST':
      return one(matched.slice(0, 1));
    case 'ANY':
      if (matched.some((r) => !same(r.result, matched[0].result)))
        return {
          ok: false,
          message: `different values aren't allowed for ANY hit policy. found: '${JSON.stringify(matched.map((r) => r.result))}'`,
        };
      return one(matched.slice(0, 1));
    case 'PRIORITY':
      return one(byPriority(matched, rank).slice(0, 1));
    case 'OUTPUT ORDER':
      return list(byPriority(matched, rank));
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

function aggregate(aggregation: 'SUM' | 'MIN' | 'MAX' | 'COUNT', rules: MatchedRule[]): HitResult {
  const values = rules.map((r) => r.result).filter((v) => v !== null && v !== undefined);
  if (aggregation === 'COUNT') return { ok: true, output: values.length, rules };
  if (!values.length) return { ok: true, output: null, rules };
  if (values.some((v) => typeof v !== 'number'))
    return {
      ok: false,
      message: `expected numbers for the aggregation '${aggregation}' of hit policy COLLECT, but found '${JSON.stringify(values)}'`,
    };
  const numbers = values as number[];
  const output =
    aggregation === 'SUM'
      ? numbers.reduce((a, b) => a + b, 0)
      : aggregation === 'MIN'
        ? Math.min(...numbers)
        : Math.max(...numbers);
  return { ok: true, output, rules };
}
