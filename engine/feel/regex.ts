import { evaluate } from 'feelin';
import { RE2JS, RE2JSGroupException } from 're2js';
import { javaToRe2, JavaOnlySyntax } from './java-regex.js';

/**
 * FEEL's regular-expression functions — `matches`, `replace`, `split` and Camunda's `extract` — on RE2 (the
 * `re2js` port), which matches in time linear in the input: no pattern can backtrack for ever (issue #14:
 * `matches` with a crafted pattern blocked the server for 68 s). feelin's own versions compile JavaScript
 * RegExps; these replace them as context entries (a context entry shadows a builtin of the same name, and a
 * name must occur in the text to be reached, even as a function value, so `extensionFunctions` always passes
 * them when they can be called). The budget (budget.ts) still bounds every evaluation as a second line.
 *
 * Semantics are Camunda's (feel-scala `StringBuiltinFunctions`, Java's `java.util.regex`): `matches` finds the
 * pattern anywhere in the input; `replace` is Java's `replaceAll` (`$1`, `${name}`, `\$` in the replacement);
 * `split` is Java's `Pattern.split(input, -1)` (trailing empty strings kept, a zero-width match at the start
 * gives no leading empty string); `extract` lists all matches. Flags as Camunda reads them: `i` case-insensitive,
 * `s` dot matches newlines, `m` multi-line anchors, `x` whitespace and `#` comments in the pattern ignored;
 * other characters are ignored.
 *
 * A pattern RE2 cannot compile is either invalid (JavaScript's engine rejects it too): null with an
 * INVALID_ARGUMENTS warning, as feelin and Camunda answer; or valid for a backtracking engine but beyond
 * RE2 (backreferences, lookaround, `\Z`): a failure, so the model surfaces as an incident instead of silently
 * getting null where Camunda would have matched.
 */
export class UnsupportedPattern extends Error {}

type Failure = object;
type FailureClass = new (warning: string, template: string, values: Record<string, unknown>) => Failure;

/**
 * feelin turns a returned InvocationFailure into null plus a warning, but does not export the class: it is
 * taken from what its own `matches` returns for an invalid pattern. Without it (a feelin change) invalid
 * patterns give null without a warning; feel.test.ts checks the warning.
 */
const InvocationFailure: FailureClass | null = (() => {
  const builtin = evaluate('matches', {}).value as unknown;
  const probe = typeof builtin === 'function' ? (builtin as (i: string, p: string) => unknown)('', '(') : null;
  return typeof probe === 'object' && probe !== null && probe.constructor !== Object
    ? (probe.constructor as FailureClass)
    : null;
})();

function invalidArguments(template: string, values: Record<string, unknown>): Failure | null {
  return InvocationFailure ? new InvocationFailure('INVALID_ARGUMENTS', template, values) : null;
}

const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, s: RE2JS.DOTALL, m: RE2JS.MULTILINE };

/** A pattern RE2 refuses: `valid` when a backtracking engine takes it (then it is unsupported here). */
interface Refusal {
  reason: string;
  valid: boolean;
}

/** Compiled patterns by flags and text (a pattern often comes from the model and is used on every instance). */
const cache = new Map<string, RE2JS | Refusal>();
const CACHE_SIZE = 500;
const CACHEABLE_LENGTH = 2000;

class InvalidPattern extends Error {}

/** The compiled pattern; throws InvalidPattern (null + warning) or UnsupportedPattern (a failure). */
function compile(fn: string, pattern: string, flags: string): RE2JS {
  let bits = 0;
  for (const flag of new Set(flags)) bits |= FLAGS[flag] ?? 0;
  const comments = flags.includes('x');
  const key = `${bits}${comments ? 'x' : ''}/${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileUncached(comments ? withoutComments(pattern) : pattern, bits);
    if (pattern.length <= CACHEABLE_LENGTH) {
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(key, compiled);
    }
  }
  if (compiled instanceof RE2JS) return compiled;
  if (!compiled.valid) throw new InvalidPattern(compiled.reason);
  throw new UnsupportedPattern(
    `${fn}(): the pattern '${pattern}' is not supported (${compiled.reason}): regular expressions are matched in linear time (RE2 syntax), without backreferences or lookaround`,
  );
}

function compileUncached(java: string, bits: number): RE2JS | Refusal {
  let source: string;
  try {
    source = javaToRe2(java);
  } catch (error) {
    if (error instanceof JavaOnlySyntax) return { reason: `${error.message} is Java-only syntax`, valid: true };
    throw error;
  }
  try {
    return RE2JS.compile(source, bits);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    try {
      // Compiling (not running) a JavaScript RegExp is linear: it only tells whether the pattern is valid.
      new RegExp(source, 'u');
      return { reason, valid: true };
    } catch {
      return { reason, valid: false };
    }
  }
}

/**
 * Java's COMMENTS flag (`x`): unescaped whitespace and `#` comments up to the end of the line are dropped,
 * inside character classes too (as Java does); escaped characters and `\Q…\E` quotes are kept.
 */
const JAVA_WHITESPACE = ' \t\n\u000b\f\r';

function withoutComments(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      const stop = end < 0 ? pattern.length : end + 2;
      out += pattern.slice(i, stop);
      i = stop - 1;
    } else if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (c === '#') {
      while (i + 1 < pattern.length && pattern[i + 1] !== '\n') i++;
    } else if (!JAVA_WHITESPACE.includes(c)) out += c;
  }
  return out;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isFlags = (v: unknown): v is string | null | undefined => v === null || v === undefined || isText(v);

/** Runs `use` on the compiled pattern; an invalid pattern is null with feelin's warning. */
function withPattern<T>(
  fn: string,
  template: string,
  values: Record<string, unknown>,
  pattern: string,
  flags: string,
  use: (re: RE2JS) => T,
): T | Failure | null {
  let re: RE2JS;
  try {
    re = compile(fn, pattern, flags);
  } catch (error) {
    if (error instanceof InvalidPattern) return invalidArguments(template, values);
    throw error;
  }
  try {
    return use(re);
  } catch (error) {
    // A replacement naming a group the pattern lacks (Java throws; Camunda answers "Invalid pattern").
    if (error instanceof RE2JSGroupException) return invalidArguments(template, values);
    throw error;
  }
}

function matches(input: unknown, pattern: unknown, flags?: unknown): unknown {
  if (!isText(input) || !isText(pattern) || !isFlags(flags)) return null;
  return withPattern(
    'matches',
    'matches(input, pattern) expects a valid pattern, got {pattern}',
    { pattern },
    pattern,
    flags ?? '',
    (re) => re.test(input),
  );
}

function replace(input: unknown, pattern: unknown, replacement: unknown, flags?: unknown): unknown {
  if (!isText(input) || !isText(pattern) || !isText(replacement) || !isFlags(flags)) return null;
  return withPattern(
    'replace',
    'replace(input, pattern, replacement) expects a valid pattern, got {pattern}',
    { pattern },
    pattern,
    flags ?? '',
    (re) => re.matcher(input).replaceAll(replacement, true),
  );
}

function split(string: unknown, delimiter: unknown): unknown {
  if (!isText(string) || !isText(delimiter)) return null;
  return withPattern(
    'split',
    'split(string, delimiter) expects a valid pattern, got {delimiter}',
    { delimiter },
    delimiter,
    '',
    (re) => re.split(string, -1),
  );
}

function extract(input: unknown, pattern: unknown): unknown {
  if (!isText(input) || !isText(pattern)) return null;
  return withPattern(
    'extract',
    'extract(input, pattern) expects a valid pattern, got {pattern}',
    { pattern },
    pattern,
    '',
    (re) => Array.from(re.matchAll(input), (m) => m[0]),
  );
}

/** feelin reads parameter names from `$args` first: named arguments (`matches(input: s, pattern: p)`) work. */
function named<F extends (...args: never[]) => unknown>(fn: F, names: string[]): F {
  return Object.assign(fn, { $args: names });
}

export const regexFunctions: Record<string, (...args: never[]) => unknown> = {
  matches: named(matches, ['input', 'pattern', 'flags']),
  replace: named(replace, ['input', 'pattern', 'replacement', 'flags']),
  split: named(split, ['string', 'delimiter']),
  extract: named(extract, ['input', 'pattern']),
};
