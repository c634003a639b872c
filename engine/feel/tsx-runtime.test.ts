import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The server runs with `node --import tsx` (package.json `start`), whose esbuild output differs from ts-jest's:
// `(text) => …` becomes `text=>…`, which feelin reads as a function without parameters. Evaluate the extension
// functions under tsx itself, as production does.
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

test('extension functions take their arguments when the engine runs under tsx', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feel-tsx-'));
  const script = path.join(dir, 'probe.ts');
  fs.writeFileSync(
    script,
    `import { evaluateExpression } from ${JSON.stringify(path.join(here, 'evaluate.ts'))};
const exprs = ['=is defined(x)', '=trim("  a ")', '=to base64("FEEL")', '=string(0.1 + 0.2)', '=is empty([])', '=is blank(" ")',
  '=duplicate values([1, 1, 2])', '=get or else(missing, 7)', '=0.1 + 0.2 = 0.3', '=extract("a1b22", "[0-9]+")',
  '=split(string: "a,b", delimiter: ",")'];
console.log(JSON.stringify(exprs.map((e) => { const r = evaluateExpression(e, { x: 1 }); return r.ok ? r.value : r.message; })));
`,
  );
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual([
      true,
      'a',
      'RkVFTA==',
      '0.3',
      true,
      true,
      [1],
      7,
      true,
      ['1', '22'],
      ['a', 'b'],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30000);
