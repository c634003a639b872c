import { freshDatabase, type TestDatabase } from '../support/db.js';
import { MeteringService } from '../../domain/metering/service.js';
import { openBook, reader } from './metering-fixtures.js';

// Issue #17: a reading below the previous one is taken as a rollover (the register passed 10^digits) only when
// the wrapped consumption is a sane share of the meter's capacity — configurable per caliber, 2 % by default —
// and the meter has an accepted reading to count from; otherwise a clerk looks at it.
let db: TestDatabase;
let metering: MeteringService;

beforeAll(async () => {
  db = await freshDatabase();
  metering = new MeteringService(db.knex);
  // These wraps are hundreds of m³ a month on household meters: the sane-bound rule (its own tests in
  // domain/metering/consumption-bound.test.ts) would hold them all; this suite is about the rollover arithmetic alone.
  await db.knex('cis.reading_rules').where({ code: 'consumption_bound' }).update({ enabled: false });
});
afterAll(async () => {
  await db?.drop();
});

const read = (meterSerial: string, reading: string, period: string) =>
  metering.record({ meterSerial, reading, period, source: 'manual' }, reader);

test('5-digit meter (100,000 m³): an 800 m³ wrap (0.8 %) is accepted, an 11,000 m³ wrap (11 %) goes to review', async () => {
  const [a, b] = await openBook(db.knex, 'RO1', 2, { digits: 5, initialReading: '99000' });
  expect(await read(a.serial!, '99500', '2026-01')).toMatchObject({ status: 'accepted', consumption: '500.000' });
  // 300 + 100,000 − 99,500 = 800 m³ ≤ 2 % × 100,000 = 2,000 m³.
  expect(await read(a.serial!, '300', '2026-02')).toMatchObject({ status: 'accepted', consumption: '800.000' });

  await db.knex('cis.meters').where({ serial: b.serial }).update({ initial_reading: '90000' });
  expect(await read(b.serial!, '91000', '2026-01')).toMatchObject({ status: 'accepted', consumption: '1000.000' });
  // 2,000 + 100,000 − 91,000 = 11,000 m³: 11 % of the capacity, above 2 % (and within the rule's 20 %: a rollover).
  const held = await read(b.serial!, '2000', '2026-02');
  expect(held).toMatchObject({ status: 'pending', failedRule: 'rollover', consumption: '11000.000' });
  expect(held.problem).toContain('2%');
});

test('the share is data per caliber: a DN50 meter allowed 15 % takes the same 11,000 m³ wrap', async () => {
  const [c] = await openBook(db.knex, 'RO2', 1, { digits: 5, initialReading: '90000' });
  await db.knex('cis.meters').where({ serial: c.serial }).update({ caliber_mm: 50 });
  await db.knex('cis.metering_settings').update({ rollover_max_share: JSON.stringify({ default: 0.02, 50: 0.15 }) });
  try {
    await read(c.serial!, '91000', '2026-01');
    expect(await read(c.serial!, '2000', '2026-02')).toMatchObject({ status: 'accepted', consumption: '11000.000' });
  } finally {
    await db.knex('cis.metering_settings').update({ rollover_max_share: JSON.stringify({ default: 0.02 }) });
  }
});

test('a wrap on a meter with no accepted reading yet goes to review, however small', async () => {
  const [d] = await openBook(db.knex, 'RO3', 1, { digits: 5, initialReading: '99990' });
  // 5 + 100,000 − 99,990 = 15 m³, but nothing shows the initial reading was right.
  const r = await read(d.serial!, '5', '2026-01');
  expect(r).toMatchObject({ status: 'pending', failedRule: 'rollover', consumption: '15.000' });
  expect(await metering.confirm(r.id, { actor: 'clerk.li' })).toMatchObject({ status: 'accepted' });
});
