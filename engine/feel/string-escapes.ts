/**
 * FEEL string escapes are `\"`, `\\`, `\n`, `\r`, `\t` and `\u…`; any other backslash stays in the string, which is
 * how regular expressions are written (`"\d+"`, `"\:"`). feelin reads its escapes case-insensitively, so `"\R"`
 * (Java's line-break class) became a carriage return, `"\N"` a newline and `"\T"` a tab. Inside string literals
 * these three are doubled (`\\R` reads back as `\R`) before feelin parses the text.
 */
const UPPER_ESCAPE = /\\[RNT]/;

export function withCaseSensitiveEscapes(body: string): string {
  if (!UPPER_ESCAPE.test(body)) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const start = body.indexOf('"', i);
    if (start < 0) break;
    let j = start + 1;
    out += body.slice(i, j);
    while (j < body.length && body[j] !== '"') {
      if (body[j] === '\\') {
        const next = body[j + 1] ?? '';
        out += 'RNT'.includes(next) && next !== '' ? `\\\\${next}` : `\\${next}`;
        j += 2;
      } else out += body[j++];
    }
    out += body.slice(j, j + 1);
    i = j + 1;
  }
  return out + body.slice(i);
}
