import { Worker } from 'node:worker_threads';
import type { LintProblem } from '../../contracts/process-check.js';

export type { LintProblem };

let worker: Worker | undefined;
let next = 0;
const waiting = new Map<number, { resolve: (p: LintProblem[]) => void; reject: (e: Error) => void }>();

function lintWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./lint-worker.mjs', import.meta.url), { execArgv: ['--import', 'tsx'] });
  w.unref(); // never keeps the process (or a test run) alive
  w.on('message', (m: { id: number; problems?: LintProblem[]; error?: string }) => {
    const p = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve(m.problems ?? []);
  });
  w.on('error', (err) => {
    for (const p of waiting.values()) p.reject(err);
    waiting.clear();
    worker = undefined;
  });
  worker = w;
  return w;
}

/** bpmnlint with bpmnlint-plugin-camunda-compat over a diagram; unreadable XML is one problem on the definitions. */
export function lintDiagram(xml: string): Promise<LintProblem[]> {
  const id = ++next;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    lintWorker().postMessage({ id, xml });
  });
}

/**
 * Starts the linter's thread ahead of the first diagram (loading bpmnlint under tsx takes a second or more), so a
 * manager who opens the modeler list gets the first check of a diagram without that wait.
 */
export function warmUpLinter(): void {
  lintWorker();
}

export async function stopLinter(): Promise<void> {
  await worker?.terminate();
  worker = undefined;
}
