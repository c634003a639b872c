import iconv from 'iconv-lite';
import { AccountsService } from '../accounts/service.js';
import { freshDatabase, type TestDatabase } from '../../test/support/db.js';
import { clerkCtx, openBook, reader } from '../../test/integration/metering-fixtures.js';
import { MeteringService } from './service.js';

let db: TestDatabase;
let metering: MeteringService;
let book: Array<{ accountNo: string; serial: string | null }>;

beforeAll(async () => {
  db = await freshDatabase();
  metering = new MeteringService(db.knex);
  book = await openBook(db.knex, 'HH1', 4, { initialReading: '10' });
  const s = book[0].serial!;
  await metering.record({ meterSerial: s, reading: '20', period: '2026-09' }, reader);
  await metering.record({ meterSerial: s, reading: '32', period: '2026-10' }, reader);
  await new AccountsService(db.knex).closeAccount(book[3].accountNo, { reason: 'demolition' }, clerkCtx);
});
afterAll(async () => {
  await db?.drop();
});

const upload = (text: string | Buffer, extra: Record<string, unknown> = {}) =>
  metering.previewImport(
    {
      period: '2026-11',
      bookCode: 'HH1',
      fileName: 'hh1.csv',
      contentBase64: (typeof text === 'string' ? Buffer.from(text) : text).toString('base64'),
      ...extra,
    },
    reader,
  );
const readingsOf = (serial: string) =>
  db.knex('cis.readings').whereIn('meter_id', db.knex('cis.meters').where({ serial }).select('id'));

test('export: the open accounts of a book in route order with previous reading and average, UTF-8 or GBK', async () => {
  const utf8 = await metering.exportBook('HH1', { period: '2026-11' });
  expect(utf8.fileName).toBe('HH1-2026-11.csv');
  const text = utf8.bytes.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('seq,account_no,meter_serial,name,address,previous_reading,average');
  expect(lines).toHaveLength(4); // the closed account is left out
  expect(lines[1].split(',')).toEqual([
    '10',
    book[0].accountNo,
    book[0].serial,
    expect.stringMatching(/^用户/),
    expect.stringContaining('解放路'),
    '32.000',
    '11.000',
  ]);
  expect(lines[2].split(',').slice(5)).toEqual(['10.000', '0.000']);
  const gbk = await metering.exportBook('HH1', { period: '2026-11', encoding: 'gbk' });
  expect(iconv.decode(gbk.bytes, 'gbk')).toBe(text.slice(1));
  await expect(metering.exportBook('HH1', { period: 'x' })).rejects.toMatchObject({ status: 422, field: 'period' });
});

test('a GBK file with Chinese headers: detected, previewed (nothing recorded), then confirmed', async () => {
  const csv = [
    '序号,户号,表号,本次读数,抄表时间,备注',
    `10,${book[0].accountNo},${book[0].serial},40.5,2026-11-20 09:30,门口`,
    `20,,${book[1].serial},18,,`,
  ].join('\r\n');
  const report = await upload(iconv.encode(csv, 'gbk'));
  expect(report).toMatchObject({
    status: 'previewed',
    encoding: 'gbk',
    fileProblems: [],
    counts: { lines: 2, good: 2, bad: 0 },
  });
  expect(report.lines[0]).toMatchObject({
    line: 2,
    reading: '40.5',
    readAt: '2026-11-20T09:30:00+08:00',
    note: '门口',
    problem: null,
  });
  expect(await readingsOf(book[0].serial!).where({ period: '2026-11-01' })).toHaveLength(0);

  const done = await metering.confirmImport(report.importId, clerkCtx);
  expect(done).toMatchObject({ status: 'imported', recorded: 2, failed: 0 });
  const [r] = await readingsOf(book[0].serial!).where({ period: '2026-11-01' });
  expect(r).toMatchObject({
    source: 'handheld',
    reading: '40.500',
    consumption: '8.500',
    status: 'accepted',
    note: '门口',
  });
  expect(Number(r.import_id)).toBe(report.importId);
  await expect(metering.confirmImport(report.importId, clerkCtx)).rejects.toMatchObject({
    status: 409,
    code: 'already_imported',
  });
  const audit = await db.knex('cis.audit_log').where({ entity: 'reading_import', entity_id: String(report.importId) });
  expect(audit.map((a) => a.action)).toEqual(['import_previewed', 'import_confirmed']);
});

test('file-level problems reject the whole file: wrong columns, broken CSV, undecodable bytes', async () => {
  const columns = await upload(`meter,value\n${book[2].serial},5\n`);
  expect(columns).toMatchObject({ status: 'rejected', lines: [] });
  expect(columns.fileProblems.map((p) => p.message)).toEqual([
    'unknown columns: meter, value',
    'missing columns: meter_serial, reading',
  ]);
  const ragged = await upload(`meter_serial,reading\n${book[2].serial},5,extra\n`);
  expect(ragged.fileProblems[0]).toMatchObject({ problem: 'csv' });
  const gbkAsUtf8 = await upload(iconv.encode(`表号,读数\n${book[2].serial},5\n`, 'gbk'), { encoding: 'utf-8' });
  expect(gbkAsUtf8.fileProblems[0]).toMatchObject({
    problem: 'encoding',
    message: expect.stringContaining('not valid UTF-8'),
  });
  const garbage = await upload(
    Buffer.concat([Buffer.from('meter_serial,reading\n'), Buffer.from([0x81, 0x20, 0xff, 0x0a])]),
  );
  expect(garbage.fileProblems[0]).toMatchObject({ problem: 'encoding', message: expect.stringContaining('line 2') });
  await expect(metering.confirmImport(garbage.importId, clerkCtx)).rejects.toMatchObject({
    status: 409,
    code: 'rejected_file',
  });
  expect(await readingsOf(book[2].serial!)).toHaveLength(0);
});

test('line-level problems reported line by line; only the good lines are recorded on confirmation', async () => {
  const csv = [
    'meter_serial,reading,account_no',
    `${book[2].serial},15,`,
    `${book[2].serial},16,`,
    'NO-SUCH-METER,3,',
    `${book[3].serial},3,`,
    `${book[1].serial},1.2345,`,
    `${book[1].serial!.toLowerCase()},abc,`,
    `,3,`,
    `${book[0].serial},50,`,
    `${book[1].serial},19,${book[0].accountNo}`,
  ].join('\n');
  const report = await upload(csv);
  expect(report.status).toBe('previewed');
  expect(report.lines.map((l) => [l.line, l.problem])).toEqual([
    [2, null],
    [3, 'duplicate_meter'],
    [4, 'unknown_meter'],
    [5, 'meter_not_in_service'],
    [6, 'bad_number'],
    [7, 'duplicate_meter'],
    [8, 'missing_meter'],
    [9, 'already_read'],
    [10, 'duplicate_meter'],
  ]);
  expect(report.lines[1].message).toContain('already on line 2');
  expect(report.counts).toEqual({ lines: 9, good: 1, bad: 8, held: 0 });
  const done = await metering.confirmImport(report.importId, clerkCtx);
  expect(done.recorded).toBe(1);
  expect(await readingsOf(book[2].serial!)).toEqual([
    expect.objectContaining({ reading: '15.000', source: 'handheld' }),
  ]);
});

test('a mismatching account, another book and a doubtful value: named in the preview', async () => {
  await openBook(db.knex, 'HH2', 1);
  const other = await db.knex('cis.meters').where('serial', 'like', 'HH2-%').first('serial');
  const report = await upload(
    [`meter_serial,reading,account_no`, `${book[2].serial},99,${book[0].accountNo}`, `${other.serial},1,`].join('\n'),
    { period: '2026-12' },
  );
  expect(report.lines.map((l) => l.problem)).toEqual(['meter_mismatch', 'other_book']);
  const held = await upload(`meter_serial,reading\n${book[2].serial},5\n`, { period: '2026-12' });
  expect(held.lines[0]).toMatchObject({ problem: null, heldBy: 'negative_consumption' });
  expect(held.counts.held).toBe(1);
});
