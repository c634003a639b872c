import fs from 'node:fs';
import path from 'node:path';
import zhCN from '../../web/src/locales/dmn-js/zh-CN.js';
import { translateFor } from '../../web/src/views/modeler/dmn-translate.js';

// The decision editor in Chinese shows no English of dmn-js: every text dmn-js hands to its `translate` service
// (found in its sources, so an upgrade that adds one fails here) has a Chinese entry.
const MODULES = path.resolve('node_modules');
const PACKAGES = [
  'dmn-js-shared',
  'dmn-js-drd',
  'dmn-js-decision-table',
  'dmn-js-literal-expression',
  'dmn-js-boxed-expression',
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

function textsOf(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const js = fs.readFileSync(file, 'utf8');
    for (const m of js.matchAll(/translate\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1].replace(/\\(.)/g, '$1'));
    for (const m of js.matchAll(/translate\(\s*"([^"]*)"/g)) found.add(m[1]);
  }
  return found;
}

/** Texts dmn-js translates through a variable: hit policies, replace options, drill-down titles. */
function labelsOf(file: string): string[] {
  const js = fs.readFileSync(path.join(MODULES, file), 'utf8');
  return [...js.matchAll(/(?:label|explanation|title): '([^']+)'/g)].map((m) => m[1]).filter((t) => t !== '-');
}

test('every text dmn-js translates has a Chinese entry', () => {
  const texts = textsOf([
    ...PACKAGES.flatMap((p) => sources(path.join(MODULES, p, 'lib'))),
    ...sources(path.join(MODULES, 'diagram-js/lib/features/search-pad')),
  ]);
  for (const file of [
    'dmn-js-decision-table/lib/features/hit-policy/HitPolicies.js',
    'dmn-js-drd/lib/features/replace/ReplaceOptions.js',
    'dmn-js-drd/lib/features/drill-down/DrillDown.js',
  ])
    for (const label of labelsOf(file)) texts.add(label);
  expect(texts.size).toBeGreaterThan(150);
  const missing = [...texts].filter((t) => !(t in zhCN));
  expect(missing).toEqual([]);
});

test('the translation fills placeholders; English leaves the text as dmn-js wrote it', () => {
  const zh = translateFor('zh-CN');
  const en = translateFor('en');
  expect(zh('Expression language: {expressionLanguageLabel}', { expressionLanguageLabel: 'FEEL' })).toBe(
    '表达式语言：FEEL',
  );
  expect(zh('Add rule')).toBe('添加规则');
  expect(en('Add rule')).toBe('Add rule');
  expect(en('e.g. { sample }', { sample: 'P1D' })).toBe('e.g. P1D');
});
