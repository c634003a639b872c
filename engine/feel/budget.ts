import vm from 'node:vm';

/**
 * The time budget of an evaluation. Every evaluation past the plain-path fast path runs under it, whatever its
 * text: deciding from the text which expressions can run long failed (issue #14: a comment between `matches` and
 * its parenthesis, or the function passed as a value, reached a backtracking regex unguarded), and constructs
 * without any telltale word can be exponential too (doubling lists in a context). A `vm` timeout interrupts any
 * JavaScript on this thread, feelin and irregexp included; it costs a watchdog thread per run (~90–110 µs
 * measured, engine/feel/README.md). A worker thread would add a message round trip plus cloning the variables.
 */
export class BudgetExceeded extends Error {}

const sandbox = vm.createContext({ task: null as null | (() => unknown), result: undefined as unknown });
const runner = new vm.Script('result = task(); task = null;');

/** Whether a budget is running: an evaluation inside it (a mapping list's) shares it instead of nesting. */
let running = false;

/**
 * Runs `task` synchronously, interrupting it after `timeoutMs` with BudgetExceeded. Inside another budget the
 * task runs directly: the enclosing deadline bounds it. Interrupted code runs no `finally` blocks, so tasks must
 * not leave shared state half-changed (evaluation keeps none).
 */
export function runWithBudget<T>(task: () => T, timeoutMs: number): T {
  if (running) return task();
  running = true;
  sandbox.task = task;
  try {
    runner.runInContext(sandbox, { timeout: timeoutMs, displayErrors: false });
    return sandbox.result as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new BudgetExceeded(`the evaluation exceeded its budget of ${timeoutMs} ms`);
    }
    throw error;
  } finally {
    running = false;
    sandbox.task = null;
    sandbox.result = undefined;
  }
}
