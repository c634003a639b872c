/**
 * Camunda's `matches`, `replace`, `split` compile the pattern with `java.util.regex`; this engine matches with RE2
 * (regex.ts). Most Java syntax is RE2 syntax too; what is not is rewritten here into RE2 terms, or named as
 * unsupported when RE2 has nothing equivalent (regex.ts then fails the evaluation with that reason, an incident,
 * instead of answering differently from Camunda):
 * - Java's POSIX classes (`\p{Alpha}`, `\p{Lower}`, `\p{Punct}`, … US-ASCII as in Java) → `[[:alpha:]]`;
 *   `java.lang.Character` classes (`\p{javaLowerCase}`), `Is`-prefixed scripts, categories and common binary
 *   properties (`\p{IsLatin}`, `\p{IsLu}`, `\p{IsAlphabetic}`) → RE2's Unicode classes;
 * - `\h`, `\v` (Java: vertical whitespace; RE2: only U+000B), `\R`, `\e`, `\uXXXX`, octal `\0nn` → their characters;
 * - unsupported: possessive quantifiers (`a++`), atomic groups (`(?>…)`), class intersections (`[a-z&&[^b]]`) and
 *   nested classes (`[a[b]]`), Unicode blocks (`\p{InGreek}`), the `x` flag inline (`(?x)`).
 * Backreferences, lookaround and `\Z` are left to RE2, which refuses them (also unsupported, see regex.ts).
 */
export class JavaOnlySyntax extends Error {}

const POSIX: Record<string, string> = {
  Lower: 'lower',
  Upper: 'upper',
  ASCII: 'ascii',
  Alpha: 'alpha',
  Digit: 'digit',
  Alnum: 'alnum',
  Punct: 'punct',
  Graph: 'graph',
  Print: 'print',
  Blank: 'blank',
  Cntrl: 'cntrl',
  XDigit: 'xdigit',
  Space: 'space',
};

/** Class contents (usable inside brackets) for Java property names RE2 does not know by that name. */
const PROPERTIES: Record<string, string> = {
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaTitleCase: '\\p{Lt}',
  javaDigit: '\\p{Nd}',
  javaLetter: '\\p{L}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
  javaAlphabetic: '\\p{L}\\p{Nl}',
  javaWhitespace: '\\t-\\r\\x{1C}-\\x{1F}\\p{Zs}\\p{Zl}\\p{Zp}',
  javaSpaceChar: '\\p{Zs}\\p{Zl}\\p{Zp}',
  IsAlphabetic: '\\p{L}\\p{Nl}',
  IsLetter: '\\p{L}',
  IsDigit: '\\p{Nd}',
  IsUppercase: '\\p{Lu}',
  IsLowercase: '\\p{Ll}',
  IsTitlecase: '\\p{Lt}',
  IsPunctuation: '\\p{P}',
  IsControl: '\\p{Cc}',
  IsWhite_Space: '\\t-\\r\\x{85}\\p{Z}',
  IsWhiteSpace: '\\t-\\r\\x{85}\\p{Z}',
  IsHex_Digit: '0-9A-Fa-f\\x{FF10}-\\x{FF19}\\x{FF21}-\\x{FF26}\\x{FF41}-\\x{FF46}',
  IsAssigned: '^\\p{Cn}',
};

const HORIZONTAL = '\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const VERTICAL = '\\n\\x{B}\\f\\r\\x{85}\\x{2028}\\x{2029}';

/** RE2 form of a Java `\p{name}` (negated: `\P{…}`), inside a character class or not. */
function property(name: string, negated: boolean, inClass: boolean): string {
  const posix = POSIX[name] ?? (name.startsWith('Is') ? POSIX[name.slice(2)] : undefined);
  if (posix) return inClass ? `[:${negated ? '^' : ''}${posix}:]` : `[[:${negated ? '^' : ''}${posix}:]]`;
  const content = PROPERTIES[name];
  if (content) return set(content, negated, inClass, `\\p{${name}}`);
  if (/^(In|block=|blk=)/.test(name)) throw new JavaOnlySyntax(`Unicode block \\p{${name}}`);
  // Scripts and categories: `IsLatin`, `IsLu`, `script=Latin`, `sc=Latin`, `general_category=Lu`, `gc=Lu`, `Lu`.
  const plain = name.replace(/^(Is|script=|sc=|general_category=|gc=)/, '');
  return `\\${negated ? 'P' : 'p'}{${plain}}`;
}

/** A set of class contents as one class (outside brackets) or spliced into the surrounding class. */
function set(content: string, negated: boolean, inClass: boolean, what: string): string {
  if (!inClass) return `[${negated ? '^' : ''}${content}]`;
  if (negated) throw new JavaOnlySyntax(`${what} negated inside a character class`);
  return content;
}

const hex = (code: number) => `\\x{${code.toString(16).toUpperCase()}}`;

/** The pattern in RE2 syntax; throws JavaOnlySyntax naming the construct RE2 cannot express. */
export function javaToRe2(pattern: string): string {
  if (!/[\\+(&[]/.test(pattern)) return pattern;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const m = /^\{([^}]*)\}|^([A-Za-z])/.exec(pattern.slice(i + 2));
        if (m) {
          out += property(m[1] ?? m[2], next === 'P', inClass);
          i += 1 + m[0].length;
          continue;
        }
      }
      if (next === 'h' || next === 'H') out += set(HORIZONTAL, next === 'H', inClass, `\\${next}`);
      else if (next === 'v' || next === 'V') out += set(VERTICAL, next === 'V', inClass, `\\${next}`);
      else if (next === 'R' && !inClass) out += `(?:\\r\\n|[${VERTICAL}])`;
      else if (next === 'e') out += hex(0x1b);
      else if (next === 'u' && /^[0-9a-fA-F]{4}/.test(pattern.slice(i + 2))) {
        out += hex(parseInt(pattern.slice(i + 2, i + 6), 16));
        i += 4;
      } else if (next === '0') {
        const m = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(i + 2));
        if (!m) return pattern; // invalid in Java too: RE2 refuses it
        out += hex(parseInt(m[0], 8));
        i += m[0].length;
      } else {
        out += c + (next ?? '');
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '&' && pattern[i + 1] === '&') throw new JavaOnlySyntax('character class intersection (&&)');
      else if (c === '[' && pattern[i + 1] !== ':') throw new JavaOnlySyntax('nested character class');
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in Java as in RE2.
      const lead = /^\^?\]?/.exec(pattern.slice(i + 1))![0];
      out += lead;
      i += lead.length;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+' && i > 0) {
      throw new JavaOnlySyntax(`possessive quantifier ${c}+`);
    }
    if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === '>') throw new JavaOnlySyntax('atomic group (?>…)');
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]/.exec(pattern.slice(i));
      if (flags && /x/.test(flags[1] + (flags[2] ?? ''))) throw new JavaOnlySyntax('inline flag x');
      if (flags) {
        // Java's `u` (Unicode case) and `d` (Unix lines) have no RE2 counterpart and change little; `U` means
        // Unicode classes in Java but ungreedy in RE2: all three are dropped.
        const keep = (s: string | undefined) => (s ?? '').replace(/[udU]/g, '');
        const [on, off] = [keep(flags[1]), keep(flags[2])];
        const end = flags[0].slice(-1);
        out += on || off ? `(?${on}${off ? `-${off}` : ''}${end}` : end === ':' ? '(?:' : '';
        i += flags[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}
