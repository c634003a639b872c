import { KEYWORDS, VALUE_WORDS } from './keywords.js';

/**
 * Camunda's FEEL documents `and(list)` and `or(list)` as the older names of `all(list)` and
 * `any(list)`. feelin reads `and` / `or` only as the boolean operators, so a call of them fails to
 * parse. Where a call can stand (not after an operand, outside string literals) they are renamed.
 * `date and time(…)` and `a and (b)` are left alone: there `and` follows an operand.
 */
const ALIASES: Record<string, string> = { and: 'all', or: 'any' };

export function withListAliases(body: string): string {
  if (!/\b(and|or)\s*\(/.test(body)) return body;
  let out = '';
  // Whether the last token could end an operand: then `and(` / `or(` is the operator, not a call.
  let afterOperand = false;
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      out += body.slice(i, j + 1);
      i = j + 1;
      afterOperand = true;
      continue;
    }
    const word = /^[A-Za-z_?][A-Za-z0-9_?]*/.exec(body.slice(i));
    if (word) {
      const w = word[0];
      const call: boolean = !afterOperand && w in ALIASES && /^\s*\(/.test(body.slice(i + w.length));
      out += call ? ALIASES[w] : w;
      i += w.length;
      afterOperand = call || !KEYWORDS.has(w) || VALUE_WORDS.has(w);
      continue;
    }
    if (!/\s/.test(c)) afterOperand = /[0-9)\]}]/.test(c);
    out += c;
    i++;
  }
  return out;
}
