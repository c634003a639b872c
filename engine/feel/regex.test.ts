import { evaluateExpression } from './index.js';

const evaluate = (expr: string, vars: Record<string, unknown> = {}) => evaluateExpression(expr, vars);
const value = (expr: string, vars: Record<string, unknown> = {}) => {
  const r = evaluate(expr, vars);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

// Camunda's semantics (feel-scala on java.util.regex), on a linear-time engine.
describe('regular-expression functions with Camunda semantics', () => {
  test.each<[string, unknown]>([
    // matches: the pattern anywhere in the input (Java's find)
    ['matches("abc", "^a.c$")', true],
    ['matches("xabcx", "b")', true],
    ['matches("abc", "d")', false],
    ['matches("TEST", "test")', false],
    ['matches("TEST", "test", "i")', true],
    ['matches("a\\nb", "a.b")', false],
    ['matches("a\\nb", "a.b", "s")', true],
    ['matches("x\\nfoo", "^foo")', false],
    ['matches("x\\nfoo", "^foo", "m")', true],
    ['matches("x\\nFOO", "^foo$", "mi")', true],
    ['matches("abc", " a b c # letters", "x")', true],
    ['matches("a b", "a\\\\ b", "x")', true],
    ['matches("abc", "abc", "q")', true],
    ['matches("😀", "^.$")', true],
    ['matches("héllo", "^\\\\p{L}+$")', true],
    ['matches("2026", "(?<year>\\\\d{4})")', true],
    ['matches(input: "abc", pattern: "b")', true],
    ['matches(1, "a")', null],
    // replace: Java's replaceAll
    ['replace("abc", "b", "x")', 'axc'],
    ['replace("abcb", "(b)", "[$1$0]")', 'a[bb]c[bb]'],
    ['replace("2026-01-31", "(?<y>\\\\d+)-(\\\\d+)-(\\\\d+)", "$3.$2.${y}")', '31.01.2026'],
    ['replace("a.b", "\\\\.", "\\\\$")', 'a$b'],
    ['replace("abc", "", "-")', '-a-b-c-'],
    ['replace("ABC", "b", "x", "i")', 'AxC'],
    ['replace("banana", "a(?:n)", "o")', 'booa'],
    // split: Java's Pattern.split(input, -1)
    ['split("a,b,c", ",")', ['a', 'b', 'c']],
    ['split("a;b;c;;", ";")', ['a', 'b', 'c', '', '']],
    ['split("John Doe", "\\\\s")', ['John', 'Doe']],
    ['split(",a", ",")', ['', 'a']],
    ['split("abc", "")', ['a', 'b', 'c', '']],
    ['split("a1b2c", "([0-9])")', ['a', 'b', 'c']],
    ['split(string: "a-b", delimiter: "-")', ['a', 'b']],
    // extract: all matches
    ['extract("a1b22", "[0-9]+")', ['1', '22']],
    ['extract("abc", "[0-9]+")', []],
    ['extract(input: "a1", pattern: "\\\\d")', ['1']],
  ])('%s = %j', (expr, expected) => {
    expect(value(`=${expr}`)).toEqual(expected);
  });

  test('a pattern from a variable is compiled like a literal one (and cached)', () => {
    for (let i = 0; i < 3; i++) expect(value('=matches(s, p)', { s: 'order-42', p: '^order-\\d+$' })).toBe(true);
    expect(value('=matches(s, p, f)', { s: 'ORDER-42', p: '^order-\\d+$', f: 'i' })).toBe(true);
  });

  test.each(['matches("a", "(")', 'replace("a", "[", "x")', 'split("a", "*")', 'extract("a", "(")'])(
    'an invalid pattern is null with a warning: %s',
    (expr) => {
      const r = evaluate(`=${expr}`);
      expect(r.ok && r.value).toBeNull();
      expect(r.ok && r.warnings.map((w) => w.type)).toEqual(['INVALID_ARGUMENTS']);
      expect(r.ok && r.warnings[0].message).toMatch(/expects a valid pattern/);
    },
  );

  test('a replacement naming a missing group is null with a warning', () => {
    const r = evaluate('=replace("abc", "(b)", "$2")');
    expect(r.ok && r.value).toBeNull();
    expect(r.ok && r.warnings.map((w) => w.type)).toEqual(['INVALID_ARGUMENTS']);
  });

  test.each([
    [
      'matches(s, "^(a+)+\\\\1$")',
      /the pattern '\^\(a\+\)\+\\1\$' is not supported \(invalid escape sequence: `\\1`\)/,
    ],
    [
      'matches(s, "a(?=b)")',
      /the pattern 'a\(\?=b\)' is not supported \(invalid or unsupported Perl syntax: `\(\?=`\)/,
    ],
    ['replace(s, "(?<=a)b", "x")', /replace\(\): the pattern '\(\?<=a\)b' is not supported/],
    ['split(s, "(a)\\\\1")', /split\(\): the pattern/],
  ])('a pattern only a backtracking engine runs is a failure, not a silent null: %s', (expr, message) => {
    const r = evaluate(`=${expr}`, { s: 'aab' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^failed to evaluate expression '.*': /);
    expect(!r.ok && r.message).toMatch(message);
    expect(!r.ok && r.message).toMatch(/linear time/);
  });

  test('the failure names the function that was given the pattern', () => {
    const first = evaluate('=matches("a", "(a)\\1")');
    const second = evaluate('=extract("a", "(a)\\1")');
    expect(!first.ok && first.message).toMatch(/: matches\(\): the pattern/);
    expect(!second.ok && second.message).toMatch(/: extract\(\): the pattern/);
  });

  test('a process variable with the name of a regex function shadows it, as for other functions', () => {
    expect(value('=matches', { matches: 'mine' })).toBe('mine');
  });
});

describe('strings that end up in incident messages', () => {
  test('a NUL quoted from a value is written as an escape', () => {
    const r = evaluate('=assert(1, false, cause)', { cause: 'bad\u0000cause' });
    expect(!r.ok && r.message).toBe(
      "failed to evaluate expression 'assert(1, false, cause)': Assertion failure: bad\\u0000cause",
    );
    const w = evaluate('=matches("a", p)', { p: '(\u0000' });
    expect(w.ok && w.warnings[0].message).not.toContain('\u0000');
  });
});
