import iconv from 'iconv-lite';

/**
 * The handheld (抄表机) exchange files, documented in README.md. Export: one line per account in route order.
 * Import: one line per reading; headers in English or Chinese, in any order.
 */
export const EXPORT_COLUMNS = [
  'seq',
  'account_no',
  'meter_serial',
  'name',
  'address',
  'previous_reading',
  'average',
] as const;

export const IMPORT_COLUMNS = {
  seq: ['seq', '序号'],
  account_no: ['account_no', '户号'],
  meter_serial: ['meter_serial', '表号'],
  reading: ['reading', '本次读数', '读数'],
  read_at: ['read_at', '抄表时间'],
  note: ['note', '备注'],
  // Export columns a device may carry back unchanged; ignored on import.
  name: ['name', '户名'],
  address: ['address', '地址'],
  previous_reading: ['previous_reading', '上次读数'],
  average: ['average', '平均用量'],
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;
export const REQUIRED_COLUMNS: ImportColumn[] = ['meter_serial', 'reading'];

export const ENCODINGS = ['auto', 'utf-8', 'gbk'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Bytes → text. `auto`: a UTF-8 BOM or bytes that are valid UTF-8 are UTF-8, anything else is read as GBK (what
 * most devices write). A file that is not valid in the encoding named (or detected) is refused as a whole.
 */
export function decodeFile(
  bytes: Buffer,
  encoding: Encoding,
): { text: string; encoding: 'utf-8' | 'gbk' } | { problem: string } {
  const utf8 = () => {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return null;
    }
  };
  if (encoding !== 'gbk') {
    const text = utf8();
    if (text !== null) return { text, encoding: 'utf-8' };
    if (encoding === 'utf-8') return { problem: 'the file is not valid UTF-8 (try encoding gbk)' };
  }
  const text = iconv.decode(bytes, 'gbk');
  if (text.includes('\uFFFD')) {
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, at).split('\n').length;
    return { problem: `the file is neither valid UTF-8 nor GBK (undecodable bytes on line ${line})` };
  }
  return { text, encoding: 'gbk' };
}

/** Text → bytes for export: GBK for older devices, else UTF-8 with a BOM (so spreadsheet programs read it). */
export function encodeFile(text: string, encoding: 'utf-8' | 'gbk'): Buffer {
  return encoding === 'gbk'
    ? iconv.encode(text, 'gbk')
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
}

/** Header cells → column names; unknown headers are reported, not guessed. */
export function mapHeader(cells: string[]): { columns: Array<ImportColumn | null>; unknown: string[] } {
  const lookup = new Map<string, ImportColumn>();
  for (const [col, names] of Object.entries(IMPORT_COLUMNS))
    for (const n of names) lookup.set(n.toLowerCase(), col as ImportColumn);
  const columns = cells.map(
    (c) =>
      lookup.get(
        c
          .trim()
          .replace(/^\uFEFF/, '')
          .toLowerCase(),
      ) ?? null,
  );
  return { columns, unknown: cells.filter((_, i) => columns[i] === null) };
}
