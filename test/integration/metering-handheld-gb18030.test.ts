import iconv from 'iconv-lite';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { MeteringService } from '../../domain/metering/service.js';
import { openBook, reader } from './metering-fixtures.js';

// Issue #17: names with rare characters (生僻字) outside GBK — 𠮷 (U+20BB7, beyond the BMP) and 䶮 (U+4DAE, CJK
// extension A) — survive a handheld file's way out and back: GB18030, the national superset of GBK.
let db: TestDatabase;
let metering: MeteringService;
let book: Array<{ accountNo: string; serial: string | null }>;
const NAMES = ['吉𠮷祥', '刘䶮'];

beforeAll(async () => {
  db = await freshDatabase();
  metering = new MeteringService(db.knex);
  book = await openBook(db.knex, 'GB1', 2, { initialReading: '10' });
  // Set-up: the customers' registered names (the accounts module is not under test here).
  for (const [i, a] of book.entries())
    await db
      .knex('cis.customers')
      .whereIn('id', db.knex('cis.accounts').where({ account_no: a.accountNo }).select('customer_id'))
      .update({ name: NAMES[i] });
});
afterAll(async () => {
  await db?.drop();
});

// 𠮷 U+20BB7 in GB18030: four bytes from 90 30 81 30 (U+10000) on, 0x20BB7 − 0x10000 = 68535 steps of a
// 10 × 126 × 10 × 126 … counter: 68535 = 5·12600 + 4·1260 + 49·10 + 5 → 95 34 B2 35 (GBK has no code for it:
// the export used to write "?"). 䶮 U+4DAE is FE 9F, which older GBK tables read as a private-use character.
const JI = Buffer.from([0x95, 0x34, 0xb2, 0x35]);
const YAN = Buffer.from([0xfe, 0x9f]);

test('export in GB18030 (and GBK, which is read and written as its superset) keeps the rare characters', async () => {
  for (const encoding of ['gb18030', 'gbk']) {
    const file = await metering.exportBook('GB1', { period: '2026-11', encoding });
    expect(file.bytes.includes(JI)).toBe(true);
    expect(file.bytes.includes(YAN)).toBe(true);
    const text = iconv.decode(file.bytes, 'gb18030');
    expect(text).toContain(`,${NAMES[0]},`);
    expect(text).toContain(`,${NAMES[1]},`);
    expect(text).not.toContain('?');
  }
});

test('the exported file comes back with readings: names and notes intact, detected as GB18030', async () => {
  const file = await metering.exportBook('GB1', { period: '2026-11', encoding: 'gb18030' });
  const [header, ...rows] = iconv.decode(file.bytes, 'gb18030').trim().split('\r\n');
  // The reader adds the reading and a note (the name as the customer wrote it) on the device.
  const back = [`${header},reading,note`, ...rows.map((r, i) => `${r},${20 + i},${NAMES[i]}本人签字`)].join('\r\n');
  for (const encoding of ['gb18030', 'gbk', 'auto']) {
    const report = await metering.previewImport(
      {
        period: '2026-11',
        bookCode: 'GB1',
        fileName: '生僻字.csv',
        encoding,
        contentBase64: iconv.encode(back, 'gb18030').toString('base64'),
      },
      reader,
    );
    expect(report).toMatchObject({ status: 'previewed', fileProblems: [], counts: { good: 2, bad: 0 } });
    expect(report.encoding).toBe(encoding === 'gbk' ? 'gbk' : 'gb18030');
    expect(report.lines.map((l) => [l.name, l.note])).toEqual([
      [NAMES[0], `${NAMES[0]}本人签字`],
      [NAMES[1], `${NAMES[1]}本人签字`],
    ]);
    if (encoding === 'auto') {
      const done = await metering.confirmImport(report.importId, reader);
      expect(done.recorded).toBe(2);
      const notes = await db.knex('cis.readings').where({ import_id: report.importId }).orderBy('id').pluck('note');
      expect(notes).toEqual([`${NAMES[0]}本人签字`, `${NAMES[1]}本人签字`]);
    }
  }
});
