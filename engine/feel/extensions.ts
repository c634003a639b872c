import { randomUUID } from 'node:crypto';
import { dateAndTime, evaluate, parseDate, FeelDate, FeelDateTime } from 'feelin';
import { decimalNumber, toJson } from './values.js';
import { regexFunctions } from './regex.js';
import { rangeFunctions } from './range-functions.js';
import { fromAi } from './from-ai.js';
import { listEqualityFunctions } from './list-equality.js';

/**
 * Camunda's FEEL extension functions that feelin lacks, plus `now()`/`today()` read from the engine's pinnable
 * clock instead of the system time. Names with spaces must be in the evaluation context for the parser to
 * recognise them, which is why they are passed as context entries.
 */
export class AssertionFailure extends Error {}

const isNil = (value: unknown): boolean => value === null || value === undefined;
const isContext = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor === Object;

const ROUNDING_MODES: Record<string, string> = {
  UP: 'round up',
  DOWN: 'round down',
  CEILING: 'ceiling',
  FLOOR: 'floor',
  HALF_UP: 'round half up',
  HALF_DOWN: 'round half down',
  HALF_EVEN: 'decimal',
  UNNECESSARY: 'UNNECESSARY',
};

/** feelin's own rounding function `name` with the scale defaulting to 0. */
function rounded(name: string, n: unknown, scale: unknown): unknown {
  return evaluate(`${name}(n, scale)`, { n, scale: scale ?? 0 }).value ?? null;
}

const staticFunctions: Record<string, (...args: never[]) => unknown> = {
  'get or else': (value: unknown, fallback: unknown) => (isNil(value) ? fallback : value),
  'is defined': (value: unknown) => !isNil(value),
  assert: (value: unknown, condition: unknown, cause?: unknown) => {
    if (condition !== true) {
      throw new AssertionFailure(
        typeof cause === 'string' ? `Assertion failure: ${cause}` : 'Assertion failure: the condition is not fulfilled',
      );
    }
    return value;
  },
  'is empty': (list: unknown) => (Array.isArray(list) ? list.length === 0 : null),
  'is blank': (text: unknown) => (typeof text === 'string' ? text.trim() === '' : null),
  trim: (text: unknown) => (typeof text === 'string' ? text.trim() : null),
  put: (context: unknown, key: unknown, value: unknown) =>
    isContext(context) && typeof key === 'string' ? { ...context, [key]: value } : null,
  'put all': (...contexts: unknown[]) => {
    const list = contexts.length === 1 && Array.isArray(contexts[0]) ? contexts[0] : contexts;
    return list.every(isContext) ? Object.assign({}, ...list) : null;
  },
  partition: (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || typeof size !== 'number' || size < 1 || !Number.isInteger(size)) return null;
    const parts: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size));
    return parts;
  },
  // In the order of their first occurrence (`duplicate values([1,2,3,2,1])` = [1,2], as Camunda documents it).
  'duplicate values': (list: unknown) => {
    if (!Array.isArray(list)) return null;
    const counts = new Map<string, { item: unknown; count: number }>();
    for (const item of list) {
      const key = JSON.stringify(item);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { item, count: 1 });
    }
    return [...counts.values()].filter((e) => e.count > 1).map((e) => e.item);
  },
  'last day of month': (value: unknown) => {
    const date = value instanceof FeelDateTime || value instanceof FeelDate ? value : null;
    if (!date) return null;
    const plain = date.unwrap();
    return parseDate(plain.with({ day: plain.daysInMonth }).toString().slice(0, 10));
  },
  // feelin's string() prints the binary double (`string(0.1 + 0.2)` = "0.30000000000000004"); Zeebe's decimal
  // prints "0.3". Numbers go through the same decimal reading as stored results (values.ts); the rest to feelin.
  // The parameter is named `from`, as in FEEL, so `string(from: x)` keeps working.
  string: (from: unknown) =>
    typeof from === 'number' ? String(decimalNumber(from)) : evaluate('string(from)', { from }).value,
  // Camunda's string join also takes a prefix and a suffix (`string join(["a"], ", ", "[", "]")` = "[a]"); null
  // items are skipped, any other non-string item makes the result null.
  'string join': (list: unknown, delimiter?: unknown, prefix?: unknown, suffix?: unknown) => {
    if (!Array.isArray(list) || list.some((i) => i !== null && typeof i !== 'string')) return null;
    const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : null);
    const [d, p, s] = [text(delimiter), text(prefix), text(suffix)];
    if (d === null || p === null || s === null) return null;
    return p + list.filter((i) => i !== null).join(d) + s;
  },
  // Camunda's get value also takes a list of keys, a path into nested contexts.
  'get value': (m: unknown, key: unknown) => {
    const path = Array.isArray(key) ? key : [key];
    if (path.length === 0) return null;
    let current: unknown = m;
    for (const k of path) {
      if (typeof k !== 'string' || !isContext(current) || !Object.prototype.hasOwnProperty.call(current, k))
        return null;
      current = current[k];
    }
    return current ?? null;
  },
  // Camunda's context put also takes a list of keys: the nested entry is set, missing contexts on the way created
  // (`context put({x:1}, ["y", "z"], 2)` = {x:1, y:{z:2}}); empty keys give null.
  'context put': (context: unknown, keys: unknown, value: unknown) => {
    const path = Array.isArray(keys) ? keys : [keys];
    if (!isContext(context) || path.length === 0 || path.some((k) => typeof k !== 'string')) return null;
    const put = (ctx: Record<string, unknown>, [first, ...rest]: string[]): Record<string, unknown> => ({
      ...ctx,
      [first]: rest.length ? put(isContext(ctx[first]) ? ctx[first] : {}, rest) : value,
    });
    return put(context, path as string[]);
  },
  // `date and time("2018-04-29T09:30:00+02:00[Europe/Berlin]")` (offset plus zone, the form Zeebe and this engine
  // write zoned date-times in): feelin drops both and answers a zone-less value; read as the named zone instead.
  // Camunda's `date and time(date and time, timezone)` moves a value to another zone (zone-less read as UTC).
  'date and time': (from: unknown, time?: unknown) => {
    if (time === undefined) {
      const text = typeof from === 'string' ? from.replace(/^(.+?)(?:[+-]\d{2}:\d{2}|Z)\[([^\]]+)\]$/, '$1@$2') : from;
      return evaluate('date and time(a)', { a: text }).value ?? null;
    }
    if (typeof time === 'string' && from instanceof FeelDateTime) {
      try {
        type Zoned = { withTimeZone(z: string): { toPlainDateTime(): { toString(): string } } };
        const plain = from.unwrap() as unknown as { toZonedDateTime(z: string): Zoned };
        const zone = !from.zone || from.zone === 'Z' ? 'UTC' : from.zone;
        const moved = plain
          .toZonedDateTime(zone)
          .withTimeZone(time === 'Z' ? 'UTC' : time)
          .toPlainDateTime()
          .toString();
        return dateAndTime(time === 'Z' || /^[+-]/.test(time) ? `${moved}${time}` : `${moved}@${time}`);
      } catch {
        return null;
      }
    }
    return evaluate('date and time(a, b)', { a: from, b: time }).value ?? null;
  },
  // Camunda's conversion functions to and from JSON text, and Base64.
  'to json': (value: unknown) => JSON.stringify(toJson(value)),
  'from json': (value: unknown) => {
    if (typeof value !== 'string') return null;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  },
  'to base64': (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : null),
  // Rounding with the scale optional (default 0: `round up(5.5)` = 6) and decimal() with a rounding mode, as Camunda
  // documents them; feelin requires the scale and knows no mode.
  'round up': (n: unknown, scale?: unknown) => rounded('round up', n, scale),
  'round down': (n: unknown, scale?: unknown) => rounded('round down', n, scale),
  'round half up': (n: unknown, scale?: unknown) => rounded('round half up', n, scale),
  'round half down': (n: unknown, scale?: unknown) => rounded('round half down', n, scale),
  decimal: (n: unknown, scale: unknown, mode?: unknown) => {
    if (mode === undefined || mode === null) return rounded('decimal', n, scale);
    const fn = typeof mode === 'string' ? ROUNDING_MODES[mode.toUpperCase()] : undefined;
    if (!fn) return null;
    if (fn !== 'UNNECESSARY') return rounded(fn, n, scale);
    return rounded('decimal', n, scale) === n ? n : null;
  },
  // matches, replace, split on a linear-time engine instead of feelin's; Camunda's extract (feelin lacks it).
  ...regexFunctions,
  // FEEL: the whole years and months between two dates (`P1Y8M` from 2011-12-22 to 2013-08-24); feelin keeps the
  // remaining days (`P1Y8M2D`), which is no years-and-months duration. The days are dropped (toward zero).
  'years and months duration': (from: unknown, to: unknown) => {
    const full = evaluate('years and months duration(from, to)', { from, to }).value;
    const m = full === null || full === undefined ? null : /^(-?)P(?:(\d+)Y)?(?:(\d+)M)?/.exec(String(full));
    if (!m) return full ?? null;
    const text = `${m[1]}P${m[2] ?? 0}Y${m[3] ?? 0}M`;
    return evaluate('duration(text)', { text }).value;
  },
  ...rangeFunctions,
  ...listEqualityFunctions,
  fromAi,
  'random number': () => Math.random(),
  uuid: () => randomUUID(),
};

/**
 * feelin reads parameter names from a function's source (`(a, b) => …`) and misses a single parameter written
 * without parentheses (`text=>…`) — which is how tsx/esbuild prints `(text) => …` when the server runs with
 * `node --import tsx`: such a function then takes no argument and every call is null with a warning. The names
 * of those are given explicitly (`$args`, which feelin reads first).
 */
export function withParameterNames<T extends object>(functions: T): T {
  for (const fn of Object.values(functions)) {
    if (typeof fn !== 'function' || Array.isArray((fn as { $args?: unknown }).$args)) continue;
    const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(fn.toString());
    if (single) (fn as { $args?: string[] }).$args = [single[1]];
  }
  return functions;
}
withParameterNames(staticFunctions);

/**
 * The extension functions an expression mentions, as context entries to put under the process variables;
 * `clock` is the engine's current time. Only mentioned names are passed: every context entry makes feelin's
 * parser slower (measured ~+70 µs for all of them), and most expressions use none.
 */
export function extensionFunctions(clock: Date | undefined, expression?: string): Record<string, unknown> {
  const all: Record<string, unknown> = clock
    ? {
        ...staticFunctions,
        now: () => dateAndTime(clock.toISOString()),
        today: () => parseDate(clock.toISOString().slice(0, 10)),
      }
    : staticFunctions;
  if (expression === undefined) return all;
  const used: Record<string, unknown> = {};
  for (const name of Object.keys(all)) if (expression.includes(name)) used[name] = all[name];
  return used;
}

export const extensionNames: readonly string[] = [...Object.keys(staticFunctions), 'now', 'today'];
