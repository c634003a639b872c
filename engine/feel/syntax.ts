import { parseExpression } from 'feelin';
import { expressionBody } from './expression.js';
import { extensionFunctions } from './extensions.js';
import { BudgetExceeded, runWithBudget } from './budget.js';
import { DEFAULT_TIMEOUT_MS } from './evaluate.js';
import { withZeebeStringEscapes } from './string-escapes.js';

const parseContext = extensionFunctions(undefined);

/**
 * Deployment-time check: null when the FEEL text (leading '=' optional) parses, else a message naming the
 * position. Zeebe rejects a deployment with a malformed expression; nothing is evaluated here. The parser's time
 * grows faster than the text (a 200 000-character sum took 6 s), so parsing runs under the time budget too.
 */
export function checkSyntax(expression: string, options: { timeoutMs?: number } = {}): string | null {
  const body = expressionBody(expression);
  if (body === '') return `failed to parse expression '': the expression is empty`;
  let error: { from: number; to: number } | null = null;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    runWithBudget(() => {
      parseExpression(withZeebeStringEscapes(body, 'blank'), parseContext, undefined).iterate({
        enter(node) {
          if (error) return false;
          if (node.type.isError) error = { from: node.from, to: node.to };
          return undefined;
        },
      });
    }, timeoutMs);
  } catch (e) {
    if (e instanceof BudgetExceeded)
      return `failed to parse expression '${body}': parsing exceeded its budget of ${timeoutMs} ms`;
    return `failed to parse expression '${body}': ${(e as Error).message}`;
  }
  if (!error) return null;
  const { from, to } = error as { from: number; to: number };
  const found = body.slice(from, Math.max(to, from + 1)).trim();
  return found
    ? `failed to parse expression '${body}': unexpected '${found}' at position ${from + 1}`
    : `failed to parse expression '${body}': incomplete expression at position ${from + 1}`;
}
