import { FeelRange } from 'feelin';
import { decimalNumber } from './values.js';

/**
 * `<`, `<=`, `>`, `>=` and `between` in feelin test a point against a range (`FeelRange.includes`), the one
 * comparison step feelin exports. Two differences from Zeebe's FEEL are corrected there:
 * - a number compared with a string (`"500" > 100`, typical for form values) is `null` in Zeebe (the types are
 *   not comparable, so a condition raises an incident); feelin compared them with JavaScript's coercion;
 * - numbers compare as Zeebe's decimals (`1.1 * 3 <= 3.3` is true), read as in values.ts `decimalNumber`.
 * Equality (`=`) is not reachable from outside feelin and still compares doubles.
 */
type Bounds = { start: unknown; end: unknown; valueType: string | null };

let installed = false;

export function installZeebeComparisons(): void {
  if (installed) return;
  installed = true;
  const proto = FeelRange.prototype as unknown as { includes(this: Bounds, value: unknown): unknown };
  const original = proto.includes;
  proto.includes = function (this: Bounds, value: unknown) {
    if (value === null || value === undefined || value instanceof FeelRange) return original.call(this, value);
    const kind = typeof value;
    if (this.valueType === 'number' || this.valueType === 'string') {
      if (kind !== this.valueType) return null;
    } else if (kind === 'number' || kind === 'string') {
      if (this.valueType !== null) return null;
    }
    if (kind !== 'number') return original.call(this, value);
    const decimal = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? decimalNumber(n) : n);
    const range = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this)) as Bounds;
    range.start = decimal(this.start);
    range.end = decimal(this.end);
    return original.call(range, decimal(value));
  };
}
