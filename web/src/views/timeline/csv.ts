import type { TimelineEntry } from '@/api/work';

const cell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Quote every cell; a leading =,+,-,@ is neutralised so a spreadsheet never runs it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** The timeline as CSV (UTF-8 with BOM so spreadsheet programs read Chinese correctly). */
export function timelineCsv(entries: TimelineEntry[], describe: (e: TimelineEntry) => string): string {
  const rows = [['time', 'actor', 'element', 'event', 'detail']];
  for (const e of entries) rows.push([e.at, e.actor ?? '', e.elementId ?? '', e.kind, describe(e)]);
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
