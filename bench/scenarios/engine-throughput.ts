import { execFile } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine as BpmnEngine } from 'bpmn-engine';
import * as bpmnElements from 'bpmn-elements';
import serializeModdleContext, { TypeResolver } from 'moddle-context-serializer';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine } from '../../engine/index.js';
import type { Scenario } from '../scenario.js';
import { closedLoop, type Run } from '../closed-loop.js';
import { postgresCpuMs } from '../process-cpu.js';

/** Instances kept running at once by the load generator (closed loop), for both engines. */
const CONCURRENCY = 64;
/**
 * Instances run before measuring, on both engines: connections, caches and, above all, V8's
 * optimisation of the hot paths (the engine's and the official client's; 50 left both sides ~25 %
 * slower per instance over the first thousand). The figure is a long-running server's steady state.
 */
const WARM_UP = 500;

const zeebeModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" targetNamespace="http://aquaflow/bench">
  <bpmn:process id="bench-three-tasks" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t1" />
    <bpmn:serviceTask id="t1"><bpmn:extensionElements><zeebe:taskDefinition type="bench-1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="t2" />
    <bpmn:serviceTask id="t2"><bpmn:extensionElements><zeebe:taskDefinition type="bench-2" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="t2" targetRef="t3" />
    <bpmn:serviceTask id="t3"><bpmn:extensionElements><zeebe:taskDefinition type="bench-3" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f4" sourceRef="t3" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** The same model for bpmn-engine: each service task calls an in-memory service that answers on the next tick. */
const peerModel = zeebeModel.replace(
  /<bpmn:serviceTask id="(t\d)">.*?<\/bpmn:serviceTask>/g,
  '<bpmn:serviceTask id="$1" implementation="${environment.services.work}" />',
);

/**
 * N instances of a three-service-task process. Ours: the embedded engine on PostgreSQL (durable: each
 * command committed before it is answered, concurrent ones in shared transactions) behind /v2 over HTTP, with one official-client job worker per task type.
 * Peer: bpmn-engine, in memory, no durability, services called in-process. Both run CONCURRENCY
 * instances at a time; the figure is completed tasks per second, instance latency p50/p99 to stderr.
 */
export const engineThroughput: Scenario = {
  description: 'completed service tasks/s, 3-task process, official-client workers over HTTP vs bpmn-engine in memory',
  defaultSize: 1000,
  async run({ databaseUrl, size, progress }) {
    progress(`embedded engine: ${size} instances, ${CONCURRENCY} at a time`);
    const ours = await runEmbedded(databaseUrl, size, progress);
    report(progress, 'embedded engine', size, ours);
    progress(`bpmn-engine: ${size} instances, ${CONCURRENCY} at a time`);
    const peer = await runBpmnEngine(size);
    report(progress, 'bpmn-engine', size, peer);
    return {
      metric: 'completed_tasks_per_second',
      value: (3 * size) / ours.seconds,
      unit: 'tasks/s',
      better: 'higher',
      baseline: {
        name: 'bpmn-engine 25 (in memory)',
        metric: 'completed_tasks_per_second',
        value: (3 * size) / peer.seconds,
        unit: 'tasks/s',
      },
    };
  },
};

async function runEmbedded(databaseUrl: string, size: number, progress: (m: string) => void): Promise<Run> {
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
    await client.createDeployment({ resources: [new File([zeebeModel], 'bench-three-tasks.bpmn')] });
    // Where the machine's CPU goes, per instance: the throughput is what two cores divided by the sum allow.
    const database = new URL(databaseUrl).pathname.slice(1);
    const pgBefore = postgresCpuMs(database);
    const cpu = process.cpuUsage();
    const run = await loadGenerator(url, size);
    const used = process.cpuUsage(cpu);
    const pgAfter = postgresCpuMs(database);
    // The engine's and PostgreSQL's figures span warm-up and run (they cannot be split from outside).
    const per = (ms: number, n: number) => `${(ms / n).toFixed(2)} ms`;
    progress(
      `embedded engine: CPU per instance: engine process ${per((used.user + used.system) / 1000, size + WARM_UP)}, ` +
        `load generator ${per(run.cpuMs, size)}` +
        (pgBefore !== null && pgAfter !== null
          ? `, PostgreSQL backends ${per(pgAfter - pgBefore, size + WARM_UP)}`
          : ''),
    );
    return run;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await engine.stop();
  }
}

/**
 * The official client and its job workers run in a process of their own, as workers do in a
 * deployment: in one process they would share a single event loop with the engine they measure.
 */
function loadGenerator(url: string, size: number): Promise<Run & { cpuMs: number }> {
  const script = fileURLToPath(new URL('./engine-throughput-load.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, url, String(size), String(CONCURRENCY), String(WARM_UP)],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`load generator failed: ${stderr.trim() || err.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      },
    );
  });
}

async function runBpmnEngine(size: number): Promise<Run> {
  // Parsed and serialized once, as a long-running bpmn-engine host would: each instance only executes.
  const moddleContext = await new BpmnModdle().fromXML(peerModel);
  const sourceContext = serializeModdleContext(moddleContext as never, TypeResolver({ ...bpmnElements } as never));
  const services = {
    work: (_scope: unknown, callback: (err: Error | null, result?: unknown) => void) =>
      setImmediate(() => callback(null, { ok: true })),
  };
  const one = async (i: number) => {
    const engine = new BpmnEngine({ name: `bench-${i}`, sourceContext, services, variables: { i } });
    const end = engine.waitFor('end');
    await engine.execute();
    await end;
  };
  await closedLoop(WARM_UP, CONCURRENCY, (i) => one(-1 - i));
  return closedLoop(size, CONCURRENCY, one);
}

function report(progress: (m: string) => void, name: string, size: number, r: Run): void {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  progress(
    `${name}: ${((3 * size) / r.seconds).toFixed(0)} tasks/s, ${(size / r.seconds).toFixed(0)} instances/s, ` +
      `instance latency p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms (${r.seconds.toFixed(2)} s)`,
  );
}
