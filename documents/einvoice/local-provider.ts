import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EInvoiceRequest, EInvoiceResult, EInvoiceStatus } from '../../contracts/receipts.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { checkRequest, priceItems, type InvoiceRecord } from './invoice-record.js';
import { INVOICE_NO, nextInvoiceNo } from './invoice-numbers.js';
import { invoiceXml } from './invoice-xml.js';
import { UnknownInvoiceError, type EInvoiceProvider, type Seller } from './provider.js';

export interface LocalProviderOptions {
  dir: string;
  /** PKCS#8 PEM of an Ed25519 key; without one, the key in `dir/signing-key.pem`, made on first use. */
  privateKeyPem?: string;
  seller: Seller;
  now?: () => Date;
}

export interface LocalProvider extends EInvoiceProvider {
  readonly dir: string;
  readonly publicKeyPem: string;
  /** Whether `signature` (bytes, or the base64 of a .sig file) is this provider's over exactly these XML bytes. */
  verify(xmlBytes: Uint8Array, signature: Uint8Array | string): boolean;
}

// Numbering and red-lettering read, then write files of the folder; one queue per folder keeps two calls of this
// process from interleaving there, even through two providers on the same folder.
const folderQueues = new Map<string, Promise<unknown>>();

function inQueue<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const turn = (folderQueues.get(dir) ?? Promise.resolve()).then(work);
  folderQueues.set(
    dir,
    turn.catch(() => undefined),
  );
  return turn;
}

// A generated key is kept in the folder: invoices must stay verifiable after a restart.
function signingKey(dir: string, pem?: string): KeyObject {
  const file = join(dir, 'signing-key.pem');
  if (pem === undefined && existsSync(file)) pem = readFileSync(file, 'utf8');
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return privateKey;
  }
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new TypeError(`the signing key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

const statusOf = (r: InvoiceRecord): EInvoiceStatus => ({
  invoiceNo: r.invoiceNo,
  colour: r.colour,
  status: r.status,
  issuedAt: r.issuedAt,
  totalFen: r.totalFen,
  paymentRef: r.paymentRef,
  ...(r.originalInvoiceNo === undefined ? {} : { originalInvoiceNo: r.originalInvoiceNo }),
  ...(r.redInvoiceNo === undefined ? {} : { redInvoiceNo: r.redInvoiceNo }),
  ...(r.reason === undefined ? {} : { reason: r.reason }),
});

/**
 * E-invoices as files: per invoice `<no>.xml`, its Ed25519 signature `<no>.xml.sig` (base64), `<no>.pdf`, and
 * `<no>.json`, the record status() reads. The XML never changes once signed; red-lettering changes the record only.
 */
export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const privateKey = signingKey(dir, options.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const now = options.now ?? (() => new Date());
  const paths = (no: string) => ({ xmlPath: join(dir, `${no}.xml`), pdfPath: join(dir, `${no}.pdf`) });

  // The record goes last and by rename: status() knows an invoice only once all its files are there.
  async function saveRecord(record: InvoiceRecord): Promise<void> {
    const file = join(dir, `${record.invoiceNo}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(record, null, 2));
    await rename(`${file}.tmp`, file);
  }

  async function readRecord(invoiceNo: string): Promise<InvoiceRecord> {
    if (!INVOICE_NO.test(invoiceNo)) throw new UnknownInvoiceError(invoiceNo);
    try {
      return JSON.parse(await readFile(join(dir, `${invoiceNo}.json`), 'utf8')) as InvoiceRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnknownInvoiceError(invoiceNo);
      throw error;
    }
  }

  /** Numbers, signs and writes an invoice; call in the folder's queue. */
  async function write(unnumbered: Omit<InvoiceRecord, 'invoiceNo' | 'issuedAt'>): Promise<EInvoiceResult> {
    const at = now();
    for (;;) {
      const record: InvoiceRecord = {
        ...unnumbered,
        invoiceNo: await nextInvoiceNo(dir, at),
        issuedAt: at.toISOString(),
      };
      const { xmlPath, pdfPath } = paths(record.invoiceNo);
      const xml = Buffer.from(invoiceXml(record), 'utf8');
      try {
        // `wx`: a number is never issued twice, whatever happened to the counter file.
        await writeFile(xmlPath, xml, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      await writeFile(`${xmlPath}.sig`, sign(null, xml, privateKey).toString('base64') + '\n');
      await writeFile(pdfPath, await renderInvoicePdf(record));
      await saveRecord(record);
      return { invoiceNo: record.invoiceNo, status: record.status, issuedAt: record.issuedAt, xmlPath, pdfPath };
    }
  }

  return {
    dir,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),

    verify(xmlBytes, signature) {
      const bytes = typeof signature === 'string' ? Buffer.from(signature.trim(), 'base64') : signature;
      try {
        return verify(null, xmlBytes, publicKey, bytes);
      } catch {
        return false;
      }
    },

    async issue(req: EInvoiceRequest) {
      checkRequest(req);
      return inQueue(dir, () =>
        write({
          colour: 'blue',
          status: 'issued',
          totalFen: req.totalFen,
          paymentRef: req.paymentRef,
          seller: options.seller,
          buyerName: req.buyerName,
          ...(req.buyerTaxId ? { buyerTaxId: req.buyerTaxId } : {}),
          items: priceItems(req.items),
        }),
      );
    },

    async redLetter(invoiceNo: string, reason: string) {
      if (!reason.trim()) throw new RangeError('a red-letter invoice needs a reason');
      return inQueue(dir, async () => {
        const original = await readRecord(invoiceNo);
        if (original.colour === 'red') throw new Error(`invoice ${invoiceNo} is itself a red-letter invoice`);
        if (original.status === 'red-lettered') {
          throw new Error(`invoice ${invoiceNo} was red-lettered already, by ${original.redInvoiceNo}`);
        }
        // The red invoice is the blue one negated item by item, tax included, so the two sum to nothing.
        const red = await write({
          colour: 'red',
          status: 'issued',
          totalFen: -original.totalFen,
          paymentRef: original.paymentRef,
          seller: original.seller,
          buyerName: original.buyerName,
          ...(original.buyerTaxId ? { buyerTaxId: original.buyerTaxId } : {}),
          items: original.items.map((i) => ({ ...i, amountFen: -i.amountFen, netFen: -i.netFen, taxFen: -i.taxFen })),
          originalInvoiceNo: original.invoiceNo,
          reason,
        });
        await saveRecord({ ...original, status: 'red-lettered', redInvoiceNo: red.invoiceNo });
        return red;
      });
    },

    async status(invoiceNo: string) {
      return statusOf(await readRecord(invoiceNo));
    },
  };
}
