// `npm run bench -- <scenario>... [--size N]`: one JSON line per scenario on stdout, progress on stderr.
import { parseArgs } from 'node:util';
import { openBenchDatabase, runScenario } from './runner.js';
import { scenarios } from './scenarios/index.js';

const usage = `Usage: npm run bench -- <scenario>... [--size N]   (or "all")

Scenarios:
${Object.entries(scenarios)
  .map(([name, s]) => `  ${name.padEnd(20)} ${s.description} (default size ${s.defaultSize})`)
  .join('\n')}
`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: { size: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
} catch (err) {
  fail(`${(err as Error).message.split('\n')[0]}\n${usage}`);
}
if (parsed.values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const names = parsed.positionals.includes('all') ? Object.keys(scenarios) : parsed.positionals;
if (names.length === 0) fail(`name a scenario\n${usage}`);
const unknown = names.filter((n) => !(n in scenarios));
if (unknown.length) fail(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
const size = parsed.values.size === undefined ? undefined : Number(parsed.values.size);
if (size !== undefined && (!Number.isInteger(size) || size < 1))
  fail(`--size must be a positive integer, got ${parsed.values.size}`);

const progress = (m: string) => process.stderr.write(`bench: ${m}\n`);
const db = await openBenchDatabase(process.env.DATABASE_URL || undefined, progress);
let failed = false;
try {
  for (const name of names) {
    const scenario = scenarios[name];
    const line = await runScenario(name, scenario, db.url, size ?? scenario.defaultSize, progress);
    process.stdout.write(JSON.stringify(line) + '\n');
  }
} catch (err) {
  progress(`failed: ${(err as Error).stack ?? err}`);
  failed = true;
} finally {
  await db.close();
}
process.exit(failed ? 1 : 0);
