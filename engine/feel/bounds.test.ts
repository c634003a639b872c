import {
  checkSyntax,
  evaluateAny,
  evaluateCondition,
  evaluateCorrelationKey,
  evaluateDateTime,
  evaluateExpression,
  evaluateInputMappings,
  evaluateInterval,
  evaluateList,
  evaluateOutputMappings,
  evaluateString,
  evaluateStringList,
} from './index.js';
import { ResultTooLarge, toJson } from './values.js';

// Issue #14: one process-instance creation blocked the server for 68 s on `matches` with a crafted regex. The
// budget used to apply only when a regular expression over the text spotted a risky construct, and the text
// reached feelin's backtracking `matches` past it: through a comment between the name and the parenthesis, or
// through the function as a value. These inputs backtrack 2^40 times in a backtracking engine: without the
// linear-time engine they hang (jest's timeout fails them), with it they answer at once.
const CRAFTED = '^(a+)+$';
const s = 'a'.repeat(40) + '!';

const value = (expr: string, vars: Record<string, unknown> = {}, timeoutMs?: number) => {
  const r = evaluateExpression(expr, vars, { timeoutMs });
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('regular expressions run in linear time, however they are reached', () => {
  test.each([
    ['=matches(s, "^(a+)+$")', false],
    ['=matches(s, p)', false],
    ['=matches/* a comment */(s, "^(a+)+$")', false],
    ['=matches // a comment\n(s, "^(a+)+$")', false],
    ['={f: matches}.f(s, "^(a+)+$")', false],
    ['=get value({f: matches}, "f")(s, p)', false],
    ['=matches(input: s, pattern: p)', false],
    ['=replace/**/(s, p, "x")', s],
    ['=split/**/(s, "(a+)+b")', [s]],
    ['=extract/**/(s, "(a+)+b")', []],
    ['=matches(s + "a", "^(a+)+$")', false],
    ['=matches(s, "(a|aa)+$")', false],
    ['=matches(s, "(.*a){20}b")', false],
  ])('%s', (expr, expected) => {
    expect(value(expr, { s, p: CRAFTED })).toEqual(expected);
  });
});

describe('every evaluation past the plain-path fast path runs under the budget', () => {
  // Neither `for`, `some`, `every`, `function`, `..` nor a regex function: the old text check let this run
  // unguarded. A union of two lists built by doubling shared sub-lists compares them leaf by leaf: exponential
  // time in the depth, next to no memory (depth 26 took 7.7 s).
  const doubling = (depth: number) => {
    const chain = (p: string) =>
      Array.from({ length: depth }, (_, i) => `${p}${i + 1}: [${p}${i}, ${p}${i}]`).join(', ');
    return `{a0: [1], b0: [1], ${chain('a')}, ${chain('b')}, r: count(union([a${depth}], [b${depth}]))}.r`;
  };

  test('a small instance of the construct is evaluated normally', () => {
    expect(value(`=${doubling(3)}`)).toBe(1);
  });

  test('an exponential one is stopped and reported as a failure', () => {
    const r = evaluateExpression(`=${doubling(40)}`, {}, { timeoutMs: 100 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /^failed to evaluate expression '.*': the evaluation exceeded its budget of 100 ms$/s,
    );
    expect(value('=1 + 1')).toBe(2);
  });

  const loop = '=count(for i in 1..100000000000 return i)';
  const budget = /exceeded its budget of 50 ms/;

  test('every typed use reports the budget failure', () => {
    for (const r of [
      evaluateCondition(loop, {}, { timeoutMs: 50 }),
      evaluateString(loop, {}, { timeoutMs: 50 }),
      evaluateCorrelationKey(loop, {}, { timeoutMs: 50 }),
      evaluateInterval(loop, {}, { timeoutMs: 50 }),
      evaluateDateTime(loop, {}, { timeoutMs: 50 }),
    ]) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toMatch(budget);
    }
  });

  test('mappings report the budget failure and name the expression that ran out', () => {
    const mappings = [
      { source: '=a', target: 'x' },
      { source: '=a + 1', target: 'y' },
      { source: loop, target: 'z' },
    ];
    for (const r of [
      evaluateInputMappings(mappings, { a: 1 }, { timeoutMs: 400 }),
      evaluateOutputMappings(mappings, { a: 1 }, { timeoutMs: 400 }),
    ]) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toBe(
        `failed to evaluate expression 'count(for i in 1..100000000000 return i)': the evaluation exceeded its budget of 400 ms`,
      );
    }
  });
});

describe('the size of a result and the time of a parse are bounded too', () => {
  test('a result larger than Zeebe’s maximum message size as JSON is a failure', () => {
    const big = 'x'.repeat(3_000_000);
    expect(value('={a: big}', { big })).toEqual({ a: big });
    const r = evaluateExpression('={a: big, b: big}', { big }, { timeoutMs: 60_000 });
    expect(!r.ok && r.message).toBe(
      "failed to evaluate expression '{a: big, b: big}': the result is larger than 4194304 characters as JSON",
    );
    const any = evaluateAny('=[big, big]', { big }, { timeoutMs: 60_000 });
    expect(!any.ok && any.message).toBe(
      "failed to evaluate expression '[big, big]': the result is larger than 4194304 characters as JSON",
    );
    // A variable found by the fast path is stored JSON already and is not capped.
    expect(value('=big', { big: big + big })).toHaveLength(6_000_000);
    const list = evaluateList('=order.lines', { order: { lines: [big, big] } });
    expect(list.ok && list.value).toHaveLength(2);
  });

  test('the conversion of a result built from shared parts stops at the cap (small in memory, exponential as JSON)', () => {
    let shared: unknown = ['xxxxxxxx'];
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    expect(() => toJson(shared)).toThrow(ResultTooLarge);
  });

  test('a parse that takes too long is reported, not waited for', () => {
    expect(checkSyntax('=' + 'a + '.repeat(200000) + 'a', { timeoutMs: 20 })).toMatch(
      /^failed to parse expression '.*': parsing exceeded its budget of 20 ms$/s,
    );
  });

  test('a text result that would be stored cannot carry a NUL character', () => {
    const nul = 'job\u0000type';
    for (const r of [
      evaluateString('=x', { x: nul }),
      evaluateCorrelationKey('=x', { x: nul }),
      evaluateStringList('=x', { x: [nul] }),
    ]) {
      expect(!r.ok && r.message).toBe(
        "The result of the expression 'x' contains a NUL character, which cannot be stored.",
      );
    }
  });
});
