import { likeMatches, likeToSql } from './like.js';

/** Reference: the textbook dynamic programme over (pattern, text) prefixes, on the same wildcard rules. */
function reference(pattern: string, text: string): boolean {
  const p: Array<{ any?: true; one?: true; c?: string }> = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\' && i + 1 < chars.length) p.push({ c: chars[++i] });
    else if (chars[i] === '*') p.push({ any: true });
    else if (chars[i] === '?') p.push({ one: true });
    else p.push({ c: chars[i] });
  }
  const t = Array.from(text);
  let row = Array<boolean>(t.length + 1).fill(false);
  row[0] = true;
  for (const tok of p) {
    const next = Array<boolean>(t.length + 1).fill(false);
    if (tok.any) {
      next[0] = row[0];
      for (let i = 1; i <= t.length; i++) next[i] = row[i] || next[i - 1];
    } else {
      for (let i = 1; i <= t.length; i++) next[i] = row[i - 1] && (tok.one === true || tok.c === t[i - 1]);
    }
    row = next;
  }
  return row[t.length];
}

describe('Camunda $like wildcards', () => {
  it('maps * and ? to SQL and escapes SQL wildcards', () => {
    expect(likeToSql('ab*c?')).toBe('ab%c_');
    expect(likeToSql('100%_x')).toBe('100\\%\\_x');
    expect(likeToSql('a\\*b\\?')).toBe('a*b?');
    expect(likeToSql('back\\\\slash')).toBe('back\\\\slash');
  });

  it.each<[string, string, boolean]>([
    ['COMP*', 'COMPLETED', true],
    ['COMP*', 'CREATED', false],
    ['?REATED', 'CREATED', true],
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['*', '', true],
    ['', '', true],
    ['?', '', false],
    ['*ED', 'CREATED', true],
    ['*E*E*', 'CREATED', true],
    ['*E*E*E*', 'CREATED', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\?', 'a?', true],
    ['a\\?', 'ab', false],
    ['a\\\\b', 'a\\b', true],
    ['trailing\\', 'trailing\\', true],
    ['(a+)+$', '(a+)+$', true],
    ['?', '😀', true],
    ['*😀*', 'x😀y', true],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(likeMatches(pattern, text)).toBe(expected);
    expect(reference(pattern, text)).toBe(expected);
  });

  it('a pattern of many stars matches correctly (a backtracking regex took seconds)', () => {
    const stars = '*'.repeat(28);
    expect(likeMatches(`${stars}x`, 'TERMINATED')).toBe(false);
    expect(likeMatches(`${stars}D`, 'TERMINATED')).toBe(true);
    expect(likeMatches(`${stars}T${stars}E${stars}D${stars}`, 'TERMINATED')).toBe(true);
    expect(likeMatches('*a'.repeat(28) + 'X', 'a'.repeat(10_000))).toBe(false);
    expect(likeMatches('*a'.repeat(28) + '*', 'a'.repeat(10_000))).toBe(true);
    expect(likeMatches('*?'.repeat(200) + 'b', 'a'.repeat(10_000))).toBe(false);
  });

  it('agrees with the reference on random patterns and texts', () => {
    let seed = 14;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let k = 0; k < 5000; k++) {
      const pattern = pick('ab*?\\', random(9));
      const text = pick('ab*?\\', random(9));
      expect([pattern, text, likeMatches(pattern, text)]).toEqual([pattern, text, reference(pattern, text)]);
    }
  });
});
