/**
 * FEEL string escapes are `\"`, `\\`, `\n`, `\r`, `\t` and `\u…`; any other backslash stays in the string, which is
 * how regular expressions are written (`"\d+"`, `"\:"`). Three feelin readings differ from Zeebe's, and are undone
 * inside string literals before feelin parses the text:
 * - its escapes are case-insensitive, so `"\R"` (Java's line-break class) became a carriage return, `"\N"` a
 *   newline and `"\T"` a tab: these three are doubled (`\\R` reads back as `\R`);
 * - `\u` takes up to six hex digits, so `"\u0041b"` was U+0041B: as in Java, `\u` takes four (`"Ab"`); such an
 *   escape followed by a further hex digit is replaced by its character;
 * - a line break inside a literal is refused by feelin's grammar, while Zeebe takes multi-line strings (the AI
 *   agent connector's default system prompt is one): it is written as its escape (`\n`, `\r`). The deployment
 *   check (`syntax.ts`) asks for `blank` instead, a space, so that the positions it reports stay the text's own.
 */
const SUSPECT = /\\[RNT]|\\u[0-9a-fA-F]{5}|[\r\n]/;

export function withZeebeStringEscapes(body: string, lineBreaks: 'escape' | 'blank' = 'escape'): string {
  if (!SUSPECT.test(body)) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const start = body.indexOf('"', i);
    if (start < 0) break;
    let j = start + 1;
    out += body.slice(i, j);
    while (j < body.length && body[j] !== '"') {
      if (body[j] === '\\' && lineBreaks === 'blank') {
        out += body.slice(j, j + 2); // only the line breaks matter to the syntax
        j += 2;
      } else if (body[j] === '\\') {
        const next = body[j + 1] ?? '';
        const unicode = next === 'u' ? /^[0-9a-fA-F]{5}/.exec(body.slice(j + 2)) : null;
        if (unicode) {
          const char = String.fromCharCode(parseInt(unicode[0].slice(0, 4), 16));
          out += char === '"' || char === '\\' ? `\\${char}` : char;
          j += 6;
          continue;
        }
        out += 'RNT'.includes(next) && next !== '' ? `\\\\${next}` : `\\${next}`;
        j += 2;
      } else if (body[j] === '\n' || body[j] === '\r') {
        out += lineBreaks === 'blank' ? ' ' : body[j] === '\n' ? '\\n' : '\\r';
        j++;
      } else out += body[j++];
    }
    out += body.slice(j, j + 1);
    i = j + 1;
  }
  return out + body.slice(i);
}
