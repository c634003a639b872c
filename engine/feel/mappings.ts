import { expressionBody, isExpression } from './expression.js';
import { BudgetExceeded, runWithBudget } from './budget.js';
import {
  DEFAULT_TIMEOUT_MS,
  evaluateExpression,
  failureMessage,
  isPlainPath,
  type EvaluateOptions,
  type Variables,
} from './evaluate.js';
import type { Json } from './values.js';

/** One `zeebe:input` / `zeebe:output` entry. */
export interface Mapping {
  source?: string | null;
  target: string;
}

type Context = { [key: string]: Json };
export type MappingResult = { ok: true; value: Context } | { ok: false; message: string };

const isContext = (value: unknown): value is Context =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Input mappings, Zeebe's rules: evaluated in order, each result visible to the following mappings; a static
 * source (no '=') is a string literal; a missing source is null; a nested target (`a.b`) builds a new context
 * that merges only with earlier mappings to the same root, never with an existing variable. Returns the
 * local variables to create on the element instance.
 */
export function evaluateInputMappings(
  mappings: readonly Mapping[],
  variables: Variables,
  options?: EvaluateOptions,
): MappingResult {
  return run(mappings, variables, () => undefined, options);
}

/**
 * Output mappings: like inputs, but a nested target merges into the current value of its root variable when
 * that is an object, at every level (`existing(name)` gives the value visible from the element's flow scope;
 * by default the evaluation variables). Returns the variables to set, which propagate like any other update.
 */
export function evaluateOutputMappings(
  mappings: readonly Mapping[],
  variables: Variables,
  options?: EvaluateOptions & { existing?: (name: string) => unknown },
): MappingResult {
  const existing = options?.existing ?? ((name: string) => variables[name]);
  return run(mappings, variables, existing, options);
}

/**
 * The list shares one time budget (the evaluations inside run in it instead of each opening their own, which
 * saves a watchdog thread per mapping): opened only when some source is more than a plain variable or path.
 */
function run(
  mappings: readonly Mapping[],
  variables: Variables,
  existing: (name: string) => unknown,
  options?: EvaluateOptions,
): MappingResult {
  let current = '';
  const all = (): MappingResult => {
    const out: Context = {};
    for (const mapping of mappings) {
      current = mapping.source ?? '';
      const value = sourceValue(mapping.source, { ...variables, ...out }, options);
      if (!value.ok) return value;
      const path = mapping.target.split('.').map((part) => part.trim());
      if (path.some((part) => part === ''))
        return { ok: false, message: `Invalid mapping target '${mapping.target}'.` };
      const [root, ...rest] = path;
      const base = root in out ? out[root] : existing(root);
      out[root] = rest.length === 0 ? value.value : setPath(base, rest, value.value);
    }
    return { ok: true, value: out };
  };
  const evaluated = mappings.some((m) => isExpression(m.source) && !isPlainPath(expressionBody(m.source ?? '')));
  if (!evaluated) return all();
  try {
    return runWithBudget(all, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, message: failureMessage(expressionBody(current), error) };
    throw error;
  }
}

function sourceValue(
  source: string | null | undefined,
  variables: Variables,
  options?: EvaluateOptions,
): { ok: true; value: Json } | { ok: false; message: string } {
  if (source === null || source === undefined || source === '') return { ok: true, value: null };
  if (!isExpression(source)) return { ok: true, value: source };
  return evaluateExpression(source, variables, options);
}

/** A copy of `base` (kept only when it is an object) with `value` set at `path`. */
function setPath(base: unknown, path: readonly string[], value: Json): Json {
  const copy: Context = isContext(base) ? { ...(base as Context) } : {};
  const [head, ...rest] = path;
  copy[head] = rest.length === 0 ? value : setPath(copy[head], rest, value);
  return copy;
}
