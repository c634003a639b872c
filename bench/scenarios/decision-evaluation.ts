import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { evaluate as feelEvaluate, unaryTest } from 'feelin';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine } from '../../engine/index.js';
import type { Knex } from '../../db/index.js';
import { closedLoop, type Run } from '../closed-loop.js';
import type { Scenario } from '../scenario.js';

/** Evaluations kept in flight by the client (closed loop): a busy counter's worth of callers. */
const CONCURRENCY = 16;
const WARM_UP = 300;

const CLASSES = ['residential', 'commercial', 'industrial', 'public'];
const DISTRICTS = ['north', 'south', 'east', 'west', 'centre'];
/** Volume bands (m³): with the 4 classes, 20 disjoint rules (hit policy UNIQUE: exactly one matches). */
const BANDS = ['< 10', '[10..20)', '[20..40)', '[40..80)', '>= 80'];

const INPUTS = ['customerClass', 'volume', 'householdSize', 'arrearsDays', 'district'];

/** The 20 rules: 5 input entries each (some `-`, lists, ranges, negations), one output, the tariff code. */
export const RULES: Array<{ entries: string[]; output: string }> = CLASSES.flatMap((c, ci) =>
  BANDS.map((band, bi) => ({
    entries: [
      `"${c}"`,
      band,
      bi % 2 ? '>= 1' : '-',
      ci % 2 ? 'not(> 3650)' : '-',
      bi === 4 ? '-' : DISTRICTS.map((d) => `"${d}"`).join(','),
    ],
    output: `"${c.slice(0, 3).toUpperCase()}-${bi + 1}"`,
  })),
);

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export const DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="bench-tariff" name="Bench tariff" namespace="http://aquaflow/bench">
  <decision id="bench-tariff-code" name="Tariff code">
    <decisionTable id="bench-tariff-table" hitPolicy="UNIQUE">
      ${INPUTS.map((e, i) => `<input id="in${i}" label="${e}"><inputExpression id="ie${i}"><text>${e}</text></inputExpression></input>`).join('\n      ')}
      <output id="out" name="tariffCode" />
      ${RULES.map(
        (r, n) =>
          `<rule id="r${n + 1}">${r.entries.map((e, i) => `<inputEntry id="r${n + 1}i${i}"><text>${esc(e)}</text></inputEntry>`).join('')}<outputEntry id="r${n + 1}o"><text>${esc(r.output)}</text></outputEntry></rule>`,
      ).join('\n      ')}
    </decisionTable>
  </decision>
</definitions>`;

/** Deterministic variables for evaluation i (every one matches exactly one rule). */
export function variablesOf(i: number): Record<string, unknown> {
  return {
    customerClass: CLASSES[i % CLASSES.length],
    volume: (i * 7919) % 120,
    householdSize: 1 + ((i * 31) % 6),
    arrearsDays: (i * 104729) % 400,
    district: DISTRICTS[(i * 13) % DISTRICTS.length],
  };
}

/**
 * A 20-rule, 5-input decision table evaluated N times. Ours: POST /v2/decision-definitions/evaluation through the
 * official client over HTTP, CONCURRENCY at a time, each evaluation durable (its decision instance and record
 * written before the answer). Peer: the same table in memory as a plain loop — feelin `evaluate` per input,
 * `unaryTest` per cell, `evaluate` for the matched output — no engine, no storage. Both answers are compared
 * evaluation by evaluation, and ours must have written exactly one decision instance per evaluation.
 */
export const decisionEvaluation: Scenario = {
  description: 'evaluations/s of a 20-rule, 5-input table via /v2 (official client) vs a feelin loop in memory',
  defaultSize: 20_000,
  async run({ databaseUrl, knex, size, progress }) {
    progress(`embedded engine: ${size} evaluations, ${CONCURRENCY} at a time`);
    const ours = await runEngine(databaseUrl, knex, size, progress);
    report(progress, 'embedded engine', size, ours.run);
    progress(`feelin loop: ${size} evaluations in memory`);
    const peer = runPeer(size + WARM_UP);
    const peerSeconds = (peer.seconds * size) / (size + WARM_UP);
    progress(`feelin loop: ${Math.round(size / peerSeconds)} evaluations/s`);
    for (let i = 0; i < size; i++)
      if (ours.outputs[i] !== peer.outputs[i + WARM_UP])
        throw new Error(
          `evaluation ${i}: the engine answered ${ours.outputs[i]}, the loop ${peer.outputs[i + WARM_UP]}`,
        );
    return {
      metric: 'decision_evaluations_per_second',
      value: size / ours.run.seconds,
      unit: 'evaluations/s',
      better: 'higher',
      baseline: {
        name: 'feelin unaryTest loop (in memory, no storage)',
        metric: 'decision_evaluations_per_second',
        value: size / peerSeconds,
        unit: 'evaluations/s',
      },
    };
  },
};

async function runEngine(
  databaseUrl: string,
  knex: Knex,
  size: number,
  progress: (m: string) => void,
): Promise<{ run: Run; outputs: string[] }> {
  const engine = createEngine({ databaseUrl, auth: 'none', poolSize: 16 });
  await engine.start();
  const app = new Koa();
  app.use(engine.middleware);
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const client = createCamundaClient({
      config: { CAMUNDA_REST_ADDRESS: url, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SDK_LOG_LEVEL: 'silent' } as never,
    });
    await client.createDeployment({ resources: [new File([DMN], 'bench-tariff.dmn', { type: 'application/xml' })] });
    const before = await instanceCount(knex);
    const outputs: string[] = [];
    const one = async (i: number) => {
      const r = await client.evaluateDecision({
        decisionDefinitionId: 'bench-tariff-code',
        variables: variablesOf(i + WARM_UP),
      } as never);
      if (r.failureMessage) throw new Error(`evaluation ${i} failed: ${r.failureMessage}`);
      if (i >= 0) outputs[i] = JSON.parse(r.output) as string;
    };
    await closedLoop(WARM_UP, CONCURRENCY, (i) => one(i - WARM_UP));
    const cpu = process.cpuUsage();
    const run = await closedLoop(size, CONCURRENCY, one);
    const used = process.cpuUsage(cpu);
    const written = (await instanceCount(knex)) - before;
    if (written !== size + WARM_UP)
      throw new Error(`expected one decision instance per evaluation (${size + WARM_UP}), found ${written}`);
    progress(
      `embedded engine: ${written} decision instances written (one per evaluation); CPU per evaluation (engine and ` +
        `client share the process) ${((used.user + used.system) / 1000 / size).toFixed(3)} ms`,
    );
    return { run, outputs };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await engine.stop();
  }
}

async function instanceCount(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(
    `SELECT count(*) AS n FROM engine.decision_instance WHERE decision_id = 'bench-tariff-code'`,
  );
  return Number(rows[0].n);
}

/** The peer: the table as data, matched by feelin per cell (UNIQUE: exactly one rule must match). */
function runPeer(n: number): { seconds: number; outputs: string[] } {
  const outputs: string[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const variables = variablesOf(i);
    const values = INPUTS.map((e) => feelEvaluate(e, variables).value);
    let result: unknown;
    let matches = 0;
    for (const rule of RULES) {
      if (
        rule.entries.every(
          (cell, c) => cell === '-' || unaryTest(cell, { ...variables, '?': values[c] }).value === true,
        )
      ) {
        matches++;
        result = feelEvaluate(rule.output, variables).value;
      }
    }
    if (matches !== 1) throw new Error(`peer: ${matches} rules matched evaluation ${i}`);
    outputs.push(result as string);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, outputs };
}

function report(progress: (m: string) => void, name: string, size: number, run: Run): void {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  progress(`${name}: ${Math.round(size / run.seconds)} evaluations/s, latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
}
