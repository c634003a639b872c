/**
 * Volumes in m³ with 3 decimals, computed as integer litres (thousandths of m³) so that no float ever
 * touches a reading: numeric(12,3) fits well inside Number.MAX_SAFE_INTEGER litres.
 */
export type Litres = number;

const VOLUME = /^(-?)(\d{1,12})(?:\.(\d{1,3}))?$/;

/** "123.4" → 123400; throws on anything that is not a decimal with at most 3 places. */
export function toLitres(value: string | number): Litres {
  const m = VOLUME.exec(String(value).trim());
  if (!m) throw new RangeError(`not a volume: ${value}`);
  const litres = Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  return m[1] ? -litres : litres;
}

/** 123400 → "123.400" (the text PostgreSQL prints for numeric(12,3)). */
export function fromLitres(litres: Litres): string {
  const sign = litres < 0 ? '-' : '';
  const abs = Math.abs(litres);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/** A meter with `digits` integer digits shows 0 again after 10^digits m³. */
export function meterCapacity(digits: number): Litres {
  return 10 ** digits * 1000;
}
