/** The file types a case keeps, named by their MIME type. */
export const PDF = 'application/pdf';
export const JPEG = 'image/jpeg';
export const PNG = 'image/png';
export const WEBP = 'image/webp';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export type DocumentContentType = typeof PDF | typeof JPEG | typeof PNG | typeof WEBP | typeof XLSX | typeof DOCX;

export const TYPE_NAMES: Record<DocumentContentType, string> = {
  [PDF]: 'PDF',
  [JPEG]: 'JPEG',
  [PNG]: 'PNG',
  [WEBP]: 'WebP',
  [XLSX]: 'Excel (xlsx)',
  [DOCX]: 'Word (docx)',
};

const latin1 = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');

/**
 * The type by the content, whatever the file name or the browser claims: JPEG (FF D8 FF), PNG, WebP (RIFF....WEBP),
 * PDF (`%PDF-`), and the Office Open XML files, which are ZIP archives (PK 03 04) carrying `[Content_Types].xml`
 * and a `word/` or `xl/` part — their entry names are stored uncompressed, so they can be found in the bytes.
 * Anything else (an .exe renamed .pdf, a legacy .xls) is null. `file-type` would do the same with more types
 * than a case needs, and is not a dependency.
 */
export function sniffContentType(bytes: Uint8Array): DocumentContentType | null {
  const at = (i: number, ...values: number[]) =>
    bytes.length >= i + values.length && values.every((v, k) => bytes[i + k] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return JPEG;
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return PNG;
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return WEBP;
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return PDF;
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) {
    const names = latin1(bytes, 0, bytes.length);
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.includes('word/')) return DOCX;
    if (names.includes('xl/')) return XLSX;
  }
  return null;
}

/** What a browser shows by itself (opened inline); everything else is downloaded. */
export const previewable = (contentType: string) => contentType.startsWith('image/') || contentType === PDF;
