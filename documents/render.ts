import { createRequire } from 'node:module';

/**
 * Printed documents (work orders, receipts, timelines) through pdfmake with Noto Sans SC, so
 * Chinese text prints on any machine: the font comes from npm, not from the system.
 */
const require = createRequire(import.meta.url);

interface PdfmakeOutput {
  getBuffer(): Promise<Buffer>;
}
interface Pdfmake {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: PdfDocument): PdfmakeOutput;
}

/** A pdfmake document definition; its `content` and `styles` follow pdfmake's documentation. */
export type PdfDocument = Record<string, unknown> & { content: unknown };

const fontFile = (weight: string) =>
  require.resolve(`@expo-google-fonts/noto-sans-sc/${weight}/NotoSansSC_${weight}.ttf`);

let printer: Pdfmake | undefined;

function pdfmake(): Pdfmake {
  if (printer) return printer;
  const instance = require('pdfmake') as Pdfmake;
  const regular = fontFile('400Regular');
  const bold = fontFile('700Bold');
  instance.setFonts({ NotoSansSC: { normal: regular, bold, italics: regular, bolditalics: bold } });
  // Documents are built from our own data: no remote images, and only the font files from disk.
  instance.setUrlAccessPolicy(() => false);
  instance.setLocalAccessPolicy((path) => path === regular || path === bold);
  printer = instance;
  return instance;
}

/** Renders a document to PDF bytes; the default font is the CJK one. */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  const defaultStyle = { font: 'NotoSansSC', fontSize: 10, ...((doc.defaultStyle as object | undefined) ?? {}) };
  return pdfmake()
    .createPdf({ pageSize: 'A4', pageMargins: [36, 36, 36, 48], ...doc, defaultStyle })
    .getBuffer();
}
