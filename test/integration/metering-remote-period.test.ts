import { freshDatabase, type TestDatabase } from '../support/db.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { buildCjt188, toBcd } from '../../domain/metering/cjt188.js';
import { MeteringService } from '../../domain/metering/service.js';
import { openBook, reader } from './metering-fixtures.js';

// Issue #17: a reading's period is the month of its reading time in the utility's time zone (Asia/Shanghai by
// default), a remote frame's reading time is the meter's own clock when it sends one, and a later frame of a
// period replaces the earlier one.
let db: TestDatabase;
let metering: MeteringService;
let accounts: Array<{ accountNo: string; serial: string | null }>;
const ADDRESS = '00003030120218';

beforeAll(async () => {
  db = await freshDatabase();
  metering = new MeteringService(db.knex);
  accounts = await openBook(db.knex, 'TZ1', 2, { initialReading: '10' });
  await new AccountsService(db.knex).replaceMeter(
    accounts[1].accountNo,
    { finalReading: '10', meter: { serial: ADDRESS, kind: 'remote', initialReading: '10' } },
    { actor: 'test' },
  );
});
afterAll(async () => {
  await db?.drop();
});

/** A metering answer carrying the meter's clock (local time, as the meter keeps it). */
const frame = (flow: string, clock?: { date: string; time: string }) => {
  const data = [0x90, 0x1f, 0x01, ...toBcd(flow, 8), 0x2c, ...toBcd(flow, 8), 0x2c];
  if (clock) {
    const [y, mo, d] = clock.date.split('-');
    const [h, mi, s] = clock.time.split(':');
    data.push(...[s, mi, h, d, mo].map((x) => parseInt(x, 16)), ...toBcd(y, 4), 0x00, 0x00);
  }
  return buildCjt188(0x10, ADDRESS, 0x81, data);
};

test('hand entry at 01:30 China time on 1 November (17:30 UTC on 31 October) closes November', async () => {
  const r = await metering.record(
    { accountNo: accounts[0].accountNo, reading: '20', readAt: '2026-10-31T17:30:00Z', source: 'manual' },
    reader,
  );
  expect(r).toMatchObject({ period: '2026-11-01', readAt: '2026-10-31T17:30:00.000Z', consumption: '10.000' });
});

test('the time zone is data: a utility on UTC puts the same instant in October', async () => {
  await db.knex('cis.metering_settings').update({ time_zone: 'UTC' });
  try {
    const r = await metering.record(
      { accountNo: accounts[0].accountNo, reading: '21', readAt: '2026-09-30T23:30:00Z', source: 'manual' },
      reader,
    );
    expect(r.period).toBe('2026-09-01');
  } finally {
    await db.knex('cis.metering_settings').update({ time_zone: 'Asia/Shanghai' });
  }
});

test("remote: the meter's clock sets the reading time and period; a later frame of the period replaces the earlier", async () => {
  // 03:00 on 1 November by the meter's clock (China time) = 19:00 UTC on 31 October: November.
  const first = await metering.recordRemote(
    { frame: frame('00002000', { date: '2026-11-01', time: '03:00:00' }) },
    reader,
  );
  expect(first).toMatchObject({
    period: '2026-11-01',
    readAt: '2026-10-31T19:00:00.000Z',
    reading: '20.000',
    consumption: '10.000',
    status: 'accepted',
  });
  // The concentrator sends the month-end frame: 25 m³ at 23:50 on 30 November replaces the first one.
  const later = await metering.recordRemote(
    { frame: frame('00002500', { date: '2026-11-30', time: '23:50:00' }) },
    reader,
  );
  expect(later).toMatchObject({ period: '2026-11-01', reading: '25.000', consumption: '15.000', status: 'accepted' });
  expect(await db.knex('cis.readings').where({ id: first.id }).first('status')).toEqual({ status: 'superseded' });
  // An older frame arriving late does not replace the newer one.
  const older = metering.recordRemote({ frame: frame('00002200', { date: '2026-11-15', time: '12:00:00' }) }, reader);
  await expect(older).rejects.toMatchObject({ status: 409, code: 'already_read' });
  // December counts from the replacing frame: 31 − 25 = 6 m³.
  const dec = await metering.recordRemote(
    { frame: frame('00003100', { date: '2026-12-31', time: '20:00:00' }) },
    reader,
  );
  expect(dec).toMatchObject({ period: '2026-12-01', consumption: '6.000' });
  const audit = await db.knex('cis.audit_log').where({ entity: 'reading', entity_id: String(first.id) });
  expect(audit.map((a) => a.action)).toEqual(['recorded', 'superseded']);

  // December is billed: a later December frame no longer replaces the billed reading (a correction does that).
  const [tariff] = await db
    .knex('cis.tariffs')
    .insert({
      code: 'TZ-T',
      name: '时区测试',
      customer_class: 'special',
      effective_from: '2020-01-01',
      created_by: 't',
    })
    .returning('id');
  const account = await db.knex('cis.accounts').where({ account_no: accounts[1].accountNo }).first('id');
  await db.knex('cis.bills').insert({
    account_id: account.id,
    period: '2026-12-01',
    tariff_id: tariff.id,
    household_size: 3,
    volume: '6',
    amount_fen: 1800,
    status: 'posted',
  });
  const afterBill = metering.recordRemote(
    { frame: frame('00003150', { date: '2026-12-31', time: '23:30:00' }) },
    reader,
  );
  await expect(afterBill).rejects.toMatchObject({ status: 409, code: 'already_read' });
});
