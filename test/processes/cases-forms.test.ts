import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the case forms show (review of issue #19): coded values as read-only choices with Chinese labels, moments
 * as date-time pickers or the worker's China-time text, measured values as numbers (0 or more, 3 decimals).
 */
const DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes/cases');
interface Field {
  type: string;
  key?: string;
  readonly?: boolean;
  values?: Array<{ label: string; value: unknown }>;
  validate?: { required?: boolean; min?: number };
  decimalDigits?: number;
  subtype?: string;
  conditional?: { hide?: string };
}
const fields = (form: string): Field[] =>
  (JSON.parse(readFileSync(path.join(DIR, `${form}.form`), 'utf8')) as { components: Field[] }).components;
const field = (form: string, key: string) => fields(form).find((f) => f.key === key);
const CHINESE = /^[\u4e00-\u9fff/（）\s]+$/;

describe('case forms', () => {
  test.each([
    ['water-shutoff-approval-approval', 'kind'],
    ['water-shutoff-approval-ratification', 'kind'],
    ['water-use-inspection-penalty-approval', 'finding'],
  ])('%s shows %s as a read-only choice with Chinese labels', (form, key) => {
    const f = field(form, key)!;
    expect(['select', 'radio']).toContain(f.type);
    expect(f.readonly).toBe(true);
    expect(f.values!.length).toBeGreaterThan(1);
    for (const v of f.values!) expect(v.label).toMatch(CHINESE);
  });

  test.each([
    'water-shutoff-approval-approval',
    'water-shutoff-approval-ratification',
    'water-shutoff-approval-restoration',
  ])('%s shows the window as China-time text, never the UTC ISO moments', (form) => {
    expect(field(form, 'startAt')).toBeUndefined();
    expect(field(form, 'endAt')).toBeUndefined();
    for (const key of ['startAtText', 'endAtText']) expect(field(form, key)).toMatchObject({ readonly: true });
  });

  test.each([
    ['water-shutoff-approval-area', 'startAt'],
    ['water-shutoff-approval-area', 'endAt'],
    ['water-shutoff-approval-restoration', 'restoredAt'],
  ])('%s asks for %s with a date-time picker', (form, key) => {
    expect(field(form, key)).toMatchObject({ type: 'datetime', subtype: 'datetime', validate: { required: true } });
  });

  test.each([
    ['new-connection-first-reading', 'firstReading'],
    ['new-connection-acceptance', 'initialReading'],
    ['water-use-inspection-findings', 'estimatedVolume'],
  ])('%s takes %s as a number, 0 or more, up to 3 decimals', (form, key) => {
    expect(field(form, key)).toMatchObject({ type: 'number', decimalDigits: 3, validate: { min: 0 } });
  });

  test('acceptance: the meter serial is required when accepted (hidden, so not asked, otherwise)', () => {
    expect(field('new-connection-acceptance', 'meterSerial')).toMatchObject({
      validate: { required: true },
      conditional: { hide: '=accepted != true' },
    });
    expect(field('new-connection-acceptance', 'problem')).toMatchObject({ readonly: true });
  });
});
