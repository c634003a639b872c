import { generateKeyPairSync, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EInvoiceRequest } from '../../contracts/receipts.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { createLocalProvider, escapeXml, UnknownInvoiceError } from './index.js';

const seller = { name: '滨江自来水有限公司', taxId: '91330100MA2XXXXX1Q', address: '滨江区江南大道 1 号' };

// Tap water 60.60 at the 3 % simplified levy: tax 60.60 × 3/103 = 1.765 → 1.77, net 58.83; the sewage treatment fee
// (17.10) is a government fund, not taxed. Total 77.70.
const request: EInvoiceRequest = {
  buyerName: '张三 & 李四 <合租>',
  paymentRef: 'A 00012345',
  items: [
    { name: '自来水费', amountFen: 6060, taxRate: 0.03 },
    { name: '污水处理费', amountFen: 1710, taxRate: 0 },
  ],
  totalFen: 7770,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'einvoice-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (iso: string) => () => new Date(iso);

describe('local e-invoice provider', () => {
  it('issues a numbered invoice as signed XML and a PDF; a changed byte breaks the signature', async () => {
    const provider = createLocalProvider({ dir, seller, now: at('2026-12-07T06:30:00Z') });
    const issued = await provider.issue(request);

    expect(issued).toMatchObject({
      invoiceNo: '20261207000001',
      status: 'issued',
      issuedAt: '2026-12-07T06:30:00.000Z',
    });
    expect(existsSync(issued.pdfPath) && existsSync(issued.xmlPath) && existsSync(`${issued.xmlPath}.sig`)).toBe(true);

    const xml = await readFile(issued.xmlPath);
    const signature = await readFile(`${issued.xmlPath}.sig`, 'utf8');
    expect(provider.verify(xml, signature)).toBe(true);
    // Anyone with the public key can check it, without this module.
    expect(verify(null, xml, provider.publicKeyPem, Buffer.from(signature, 'base64'))).toBe(true);

    const text = xml.toString('utf8');
    expect(text).toContain('<Name>张三 &amp; 李四 &lt;合租&gt;</Name>');
    expect(text).toContain('<TaxAmount>1.77</TaxAmount>');
    expect(text).toContain('<Amount>58.83</Amount>');
    expect(text).toContain('<AmountIncludingTax>77.70</AmountIncludingTax>');
    expect(text).toContain('<AmountInCapitals>柒拾柒元柒角整</AmountInCapitals>');

    const forged = Buffer.from(
      text.replace('<AmountIncludingTax>77.70</AmountIncludingTax>', '<AmountIncludingTax>7.77</AmountIncludingTax>'),
    );
    expect(provider.verify(forged, signature)).toBe(false);
    expect(provider.verify(xml, Buffer.alloc(64))).toBe(false);

    const [page] = await pdfText(await readFile(issued.pdfPath));
    for (const words of [
      '20261207000001',
      '张三 & 李四 <合租>',
      '滨江自来水有限公司',
      '柒拾柒元柒角整',
      '1.77',
      'A 00012345',
    ]) {
      expect(page).toContain(words);
    }
  });

  it('reads back what it wrote', async () => {
    const provider = createLocalProvider({ dir, seller, now: at('2026-12-07T06:30:00Z') });
    const { invoiceNo } = await provider.issue(request);
    expect(await provider.status(invoiceNo)).toEqual({
      invoiceNo,
      colour: 'blue',
      status: 'issued',
      issuedAt: '2026-12-07T06:30:00.000Z',
      totalFen: 7770,
      paymentRef: 'A 00012345',
    });
  });

  it('numbers concurrent invoices uniquely, goes on after a restart and starts again on the next China day', async () => {
    const provider = createLocalProvider({ dir, seller, now: at('2026-12-07T06:30:00Z') });
    const numbers = (await Promise.all(Array.from({ length: 6 }, () => provider.issue(request)))).map(
      (r) => r.invoiceNo,
    );
    expect([...numbers].sort()).toEqual(Array.from({ length: 6 }, (_, n) => `2026120700000${n + 1}`));

    const restarted = createLocalProvider({ dir, seller, now: at('2026-12-07T15:59:59Z') });
    expect((await restarted.issue(request)).invoiceNo).toBe('20261207000007');
    // 17:00 UTC is 01:00 the next morning in China.
    const tomorrow = createLocalProvider({ dir, seller, now: at('2026-12-07T17:00:00Z') });
    expect((await tomorrow.issue(request)).invoiceNo).toBe('20261208000001');
  });

  it('never reuses a number, even when the counter file was lost', async () => {
    const provider = createLocalProvider({ dir, seller, now: at('2026-12-07T06:30:00Z') });
    await provider.issue(request);
    await rm(join(dir, 'counter.json'));
    expect((await provider.issue(request)).invoiceNo).toBe('20261207000002');
  });

  it('red-letters an invoice with a negative one that names it; the original reads red-lettered', async () => {
    const provider = createLocalProvider({ dir, seller, now: at('2026-12-07T06:30:00Z') });
    const blue = await provider.issue(request);
    const red = await provider.redLetter(blue.invoiceNo, '重复开票');

    expect(red.invoiceNo).toBe('20261207000002');
    expect(await provider.status(blue.invoiceNo)).toMatchObject({
      status: 'red-lettered',
      redInvoiceNo: red.invoiceNo,
    });
    expect(await provider.status(red.invoiceNo)).toMatchObject({
      colour: 'red',
      status: 'issued',
      totalFen: -7770,
      originalInvoiceNo: blue.invoiceNo,
      reason: '重复开票',
    });

    const xml = await readFile(red.xmlPath);
    expect(provider.verify(xml, await readFile(`${red.xmlPath}.sig`, 'utf8'))).toBe(true);
    expect(xml.toString()).toContain(`<OriginalInvoiceNumber>${blue.invoiceNo}</OriginalInvoiceNumber>`);
    expect(xml.toString()).toContain('<TaxAmount>-1.77</TaxAmount>');
    expect(xml.toString()).toContain('<AmountInCapitals>负柒拾柒元柒角整</AmountInCapitals>');
    // The blue invoice's signed XML is untouched by red-lettering.
    expect(provider.verify(await readFile(blue.xmlPath), await readFile(`${blue.xmlPath}.sig`, 'utf8'))).toBe(true);
    const [page] = await pdfText(await readFile(red.pdfPath));
    expect(page).toContain('红字');
    expect(page).toContain(blue.invoiceNo);

    await expect(provider.redLetter(blue.invoiceNo, '再次')).rejects.toThrow(/red-lettered already, by 20261207000002/);
    await expect(provider.redLetter(red.invoiceNo, '再次')).rejects.toThrow(/itself a red-letter invoice/);
  });

  it('an unknown invoice number is a clear error, and never a path', async () => {
    const provider = createLocalProvider({ dir, seller });
    await expect(provider.status('20261207999999')).rejects.toThrow(UnknownInvoiceError);
    await expect(provider.status('20261207999999')).rejects.toThrow('unknown invoice "20261207999999"');
    await expect(provider.status('../counter')).rejects.toThrow(UnknownInvoiceError);
    await expect(provider.redLetter('20261207999999', '错开')).rejects.toThrow(UnknownInvoiceError);
  });

  it('refuses a request whose total is not the sum of its items, and writes nothing', async () => {
    const provider = createLocalProvider({ dir, seller });
    await expect(provider.issue({ ...request, totalFen: 7700 })).rejects.toThrow(
      'total 7700 fen is not the sum of the items, 7770 fen',
    );
    await expect(
      provider.issue({ ...request, items: [{ name: '水费', amountFen: 10.5, taxRate: 0.03 }], totalFen: 10.5 }),
    ).rejects.toThrow(/whole number of fen/);
    expect(await readdir(dir)).toEqual(['signing-key.pem']);
  });

  it('signs with the key it is given, and keeps a key it made across restarts', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const given = createLocalProvider({ dir: join(dir, 'given'), seller, privateKeyPem: pem });
    expect(given.publicKeyPem).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString());

    const first = createLocalProvider({ dir: join(dir, 'made'), seller });
    const again = createLocalProvider({ dir: join(dir, 'made'), seller });
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).not.toBe(given.publicKeyPem);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => createLocalProvider({ dir, seller, privateKeyPem: rsa.toString() })).toThrow(/must be Ed25519/);
  });

  it('a tampered .sig file fails too', async () => {
    const provider = createLocalProvider({ dir, seller });
    const { xmlPath } = await provider.issue(request);
    const signature = Buffer.from(await readFile(`${xmlPath}.sig`, 'utf8'), 'base64');
    signature[0] ^= 1;
    await writeFile(`${xmlPath}.sig`, signature.toString('base64'));
    expect(provider.verify(await readFile(xmlPath), await readFile(`${xmlPath}.sig`, 'utf8'))).toBe(false);
  });
});

describe('escapeXml', () => {
  it('escapes the five characters XML reserves', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('keeps Chinese, tabs, newlines and characters beyond the BMP', () => {
    expect(escapeXml('𠀀路\t12号\n')).toBe('𠀀路\t12号\n');
  });

  it.each(['\u0000', 'a\u0008b', '\uFFFF', '\uD800'])('refuses %j, which XML 1.0 cannot carry', (text) => {
    expect(() => escapeXml(text)).toThrow(RangeError);
  });
});
