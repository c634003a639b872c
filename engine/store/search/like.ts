/**
 * Camunda's `$like` wildcards (`*` any run, `?` one character, backslash escapes either) as a SQL
 * LIKE pattern with backslash as its escape character.
 */
export function likeToSql(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += next === '%' || next === '_' || next === '\\' ? `\\${next}` : next;
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else if (c === '%' || c === '_' || c === '\\') out += `\\${c}`;
    else out += c;
  }
  return out;
}

const ANY = Symbol('*');
const ONE = Symbol('?');
type Token = string | typeof ANY | typeof ONE;

/** The pattern as tokens: characters (code points), `?`, and `*` (runs of `*` are one). */
function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) out.push(chars[++i]);
    else if (c === '*') {
      if (out[out.length - 1] !== ANY) out.push(ANY);
    } else if (c === '?') out.push(ONE);
    else out.push(c);
  }
  return out;
}

/**
 * Whether `text` matches the `$like` pattern as a whole (enum names are matched in memory). Greedy with a
 * single backtrack point, the last `*` seen: a later `*` makes earlier ones irrelevant, so the worst case is
 * O(text × pattern) steps, where a backtracking regex (`^.*.*…x$`) grows exponentially with the number of
 * stars (issue #14: 28 stars took 6 s and blocked the server).
 */
export function likeMatches(pattern: string, text: string): boolean {
  const p = tokens(pattern);
  const t = Array.from(text);
  let i = 0; // position in t
  let j = 0; // position in p
  let star = -1; // index in p of the last `*` seen
  let resume = 0; // position in t that `*` was last extended to
  while (i < t.length) {
    const token = p[j];
    if (j < p.length && token !== ANY && (token === ONE || token === t[i])) {
      i++;
      j++;
    } else if (token === ANY) {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else return false;
  }
  while (p[j] === ANY) j++;
  return j === p.length;
}
