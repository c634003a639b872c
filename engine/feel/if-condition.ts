import { rewriteNodes } from './rewrite.js';

/**
 * `if c then a else b`: in Zeebe only a condition that is `true` selects `a`; null and non-boolean values take
 * the else branch. feelin takes `a` for any truthy value (`if 5 then 1 else 2` was 1, `if "no" then …` too).
 * Each condition is wrapped in a call of IS_TRUE; texts without the word `if` are left alone (no extra parse).
 */
export const IS_TRUE = '__aquaflow_is_true';

export const isTrueFunction = { [IS_TRUE]: Object.assign((value: unknown) => value === true, { $args: ['value'] }) };

const MAY_HAVE_IF = /\bif\b/;

export function withBooleanConditions(body: string, context: Record<string, unknown>): string | null {
  if (!MAY_HAVE_IF.test(body)) return null;
  return rewriteNodes(body, context, 'IfExpression', (children) => {
    const condition = children[0]?.name === 'if' ? children[1] : undefined;
    if (!condition) return [];
    const width = condition.to - condition.from;
    return [
      { from: condition.from, to: condition.from, text: `${IS_TRUE}(`, order: 1e9 - width },
      { from: condition.to, to: condition.to, text: ')', order: -1e9 + width },
    ];
  });
}
