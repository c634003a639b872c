import vm from 'node:vm';

/**
 * Guard against expressions that loop or backtrack for ever (`for i in 1..1e12 return i`, recursive function
 * definitions, catastrophic regular expressions). Measured on this machine: a plain feelin evaluation costs
 * ~60–180 µs; running it under a vm timeout adds ~120 µs (the watchdog thread), and a worker thread would add
 * a message round trip plus structured cloning of all variables. Only constructs that can run unbounded — `for`,
 * quantifiers, function definitions, ranges and regex-taking functions — go through the guard; everything else
 * is bounded by the size of the expression and of the data, and stays on the fast path.
 */
const UNBOUNDED = /\b(?:for|some|every|function)\b|\.\.|\b(?:matches|replace|split|extract)\s*\(/;

export function needsBudget(expression: string): boolean {
  return UNBOUNDED.test(expression);
}

export class BudgetExceeded extends Error {}

const sandbox = vm.createContext({ task: null as null | (() => unknown), result: undefined as unknown });
const runner = new vm.Script('result = task(); task = null;');

/**
 * Runs `task` synchronously, interrupting it after `timeoutMs`. The vm timeout terminates any JavaScript running
 * on this thread, including feelin's own code called from inside the sandbox.
 */
export function runWithBudget<T>(task: () => T, timeoutMs: number): T {
  sandbox.task = task;
  try {
    runner.runInContext(sandbox, { timeout: timeoutMs });
    return sandbox.result as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new BudgetExceeded(`the evaluation exceeded its budget of ${timeoutMs} ms`);
    }
    throw error;
  } finally {
    sandbox.task = null;
    sandbox.result = undefined;
  }
}
