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

export const ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** The encodings a file is written in: GBK is written (and read) as GB18030, its superset (see decodeFile). */
export type FileEncoding = Exclude<Encoding, 'auto'>;

/**
 * Bytes → text. `auto`: a UTF-8 BOM or bytes that are valid UTF-8 are UTF-8, anything else is read as GB18030 —
 * what most devices write is GBK, which GB18030 contains byte for byte, and GB18030's four-byte sequences carry
 * the rare characters of names (生僻字: 𠮷, 䶮 …) that GBK lacks. `gbk` is read the same way. A file that is not
 * valid in the encoding named (or detected) is refused as a whole. A detected file is named `gbk` when it uses
 * nothing beyond GBK, else `gb18030`.
 */
export function decodeFile(
  bytes: Buffer,
  encoding: Encoding,
): { text: string; encoding: FileEncoding } | { problem: string } {
  const utf8 = () => {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return null;
    }
  };
  if (encoding === 'auto' || encoding === 'utf-8') {
    const text = utf8();
    if (text !== null) return { text, encoding: 'utf-8' };
    if (encoding === 'utf-8') return { problem: 'the file is not valid UTF-8 (try encoding gbk)' };
  }
  const text = iconv.decode(bytes, 'gb18030');
  if (text.includes('\uFFFD')) {
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, at).split('\n').length;
    return { problem: `the file is neither valid UTF-8 nor GB18030/GBK (undecodable bytes on line ${line})` };
  }
  if (encoding !== 'auto') return { text, encoding };
  return { text, encoding: iconv.decode(bytes, 'gbk') === text ? 'gbk' : 'gb18030' };
}

/**
 * Text → bytes for export: GB18030 for older devices (asked as `gbk` or `gb18030`: identical bytes for every GBK
 * character, and a rare character of a name is kept instead of becoming "?"), else UTF-8 with a BOM (so
 * spreadsheet programs read it).
 */
export function encodeFile(text: string, encoding: FileEncoding): Buffer {
  return encoding !== 'utf-8'
    ? iconv.encode(text, 'gb18030')
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
