import { AccountsService } from '../accounts/service.js';
import { freshDatabase, type TestDatabase } from '../../test/support/db.js';
import { clerkCtx, openBook, reader } from '../../test/integration/metering-fixtures.js';
import { MeteringService, type ReadingView } from './service.js';

let db: TestDatabase;
let metering: MeteringService;

beforeAll(async () => {
  db = await freshDatabase();
  metering = new MeteringService(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

const one = async (opts: Parameters<typeof openBook>[3] = {}) => (await openBook(db.knex, 'R01', 1, opts))[0];
const read = (meterSerial: string, reading: string, period: string, extra: Record<string, unknown> = {}) =>
  metering.record({ meterSerial, reading, period, source: 'manual', ...extra }, reader);
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; field?: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('recording', () => {
  test('consumption counts from the meter initial reading, then from the previous accepted reading; audited', async () => {
    const { serial, accountNo } = await one({ initialReading: '100' });
    const first = await read(serial!, '112.5', '2026-01');
    expect(first).toMatchObject({
      accountNo,
      status: 'accepted',
      previousReading: '100.000',
      consumption: '12.500',
      period: '2026-01-01',
      estimated: false,
      source: 'manual',
    });
    const second = await read(serial!, '120', '2026-02');
    expect(second).toMatchObject({ consumption: '7.500', previousReading: '112.500', status: 'accepted' });
    const audit = await db.knex('cis.audit_log').where({ entity: 'reading', entity_id: String(second.id) });
    expect(audit).toEqual([expect.objectContaining({ action: 'recorded', actor: 'reader.wang' })]);
    expect(audit[0].after).toMatchObject({ reading: '120', consumption: '7.500', status: 'accepted' });
  });

  test('by account number the meter in service is found; the period defaults to the month of readAt', async () => {
    const { accountNo, serial } = await one();
    const r = await metering.record({ accountNo, reading: '3', readAt: '2026-03-31T23:30:00+08:00' }, reader);
    expect(r).toMatchObject({ meterSerial: serial, period: '2026-03-01', consumption: '3.000' });
  });

  test('a closed account is refused with 422 account_closed; unknown meter and bad numbers name their field', async () => {
    const { accountNo, serial } = await one();
    await new AccountsService(db.knex).closeAccount(accountNo, { reason: 'demolition' }, clerkCtx);
    expect(await refusal(metering.record({ accountNo, reading: '5', period: '2026-01' }, reader))).toMatchObject({
      status: 422,
      code: 'account_closed',
      field: 'accountNo',
    });
    // The removed meter is no longer in service either.
    expect(await refusal(read(serial!, '5', '2026-01'))).toMatchObject({ status: 422, field: 'meterSerial' });
    expect(await refusal(read('NO-SUCH', '5', '2026-01'))).toMatchObject({ status: 422, code: 'unknown_meter' });
    expect(await refusal(read('X', '-5', '2026-01'))).toMatchObject({ status: 422, field: 'reading' });
    expect(await refusal(read('X', '1,5', '2026-01'))).toMatchObject({ status: 422, field: 'reading' });
    expect(await refusal(read('X', '5', '2026-13'))).toMatchObject({ status: 422, field: 'period' });
    expect(await refusal(metering.record({ reading: '5' }, reader))).toMatchObject({ status: 422, field: 'accountNo' });
    expect(await db.knex('cis.readings').where({ reading: '5' })).toHaveLength(0);
  });

  test('one live reading per meter and period: a pending one is superseded, an accepted one is a 409', async () => {
    const { serial } = await one({ initialReading: '50' });
    const low = await read(serial!, '40', '2026-01');
    expect(low.status).toBe('pending');
    const again = await read(serial!, '55', '2026-01');
    expect(again).toMatchObject({ status: 'accepted', consumption: '5.000' });
    expect(await metering.get(low.id)).toMatchObject({ status: 'superseded' });
    expect(await refusal(read(serial!, '56', '2026-01'))).toMatchObject({
      status: 409,
      code: 'already_read',
      field: 'period',
    });
  });

  test('an idempotency key makes a repeated call return the first reading', async () => {
    const { serial } = await one();
    const ctx = { ...reader, idempotencyKey: 'job:4242' };
    const a = await metering.record({ meterSerial: serial, reading: '9', period: '2026-01' }, ctx);
    const b = await metering.record({ meterSerial: serial, reading: '9', period: '2026-01' }, ctx);
    expect(b.id).toBe(a.id);
    expect(
      await db.knex('cis.readings').where({ meter_id: db.knex('cis.meters').where({ serial }).select('id') }),
    ).toHaveLength(1);
  });
});

describe('validation rules', () => {
  test('negative consumption: pending with the rule; the clerk corrects it and it is accepted', async () => {
    const { serial } = await one({ initialReading: '500' });
    const r = await read(serial!, '480', '2026-01');
    expect(r).toMatchObject({ status: 'pending', failedRule: 'negative_consumption', consumption: '-20.000' });
    expect(r.problem).toContain('20.000 m³ below');
    const fixed = await metering.correct(r.id, { reading: '508', note: 'misread' }, clerkCtx);
    expect(fixed).toMatchObject({ status: 'accepted', reading: '508.000', consumption: '8.000' });
    expect(fixed.note).toContain('corrected from 480.000');
    const audit = await db
      .knex('cis.audit_log')
      .where({ entity: 'reading', entity_id: String(r.id), action: 'corrected' });
    expect(audit[0].before).toMatchObject({ reading: '480.000', status: 'pending' });
  });

  test('rollover at the meter digits: 10^digits wraps to a plausible consumption; review=true holds it', async () => {
    // A meter with an accepted reading (issue #17: a wrap on a meter without history goes to review).
    const { serial } = await one({ digits: 4, initialReading: '9980' });
    await read(serial!, '9990', '2026-01');
    const r = await read(serial!, '5', '2026-02');
    expect(r).toMatchObject({ status: 'accepted', consumption: '15.000' });
    expect(r.note).toContain('rollover at 4 digits');
    // Far below the previous reading: not a rollover but a negative consumption.
    const far = await one({ digits: 4, initialReading: '5000' });
    expect(await read(far.serial!, '10', '2026-01')).toMatchObject({
      status: 'pending',
      failedRule: 'negative_consumption',
    });

    await metering.updateRule('rollover', { params: { review: true } }, clerkCtx);
    try {
      const held = await one({ digits: 4, initialReading: '9999' });
      expect(await read(held.serial!, '2', '2026-01')).toMatchObject({
        status: 'pending',
        failedRule: 'rollover',
        consumption: '3.000',
      });
    } finally {
      await metering.updateRule('rollover', { params: { review: false } }, clerkCtx);
    }
  });

  test('zero consumption for N cycles (N from the rule, changed as data) becomes pending; confirm accepts', async () => {
    const { serial } = await one({ initialReading: '10' });
    await read(serial!, '10', '2026-01');
    await read(serial!, '10', '2026-02');
    const third = await read(serial!, '10', '2026-03');
    expect(third).toMatchObject({ status: 'pending', failedRule: 'zero_consumption' });
    expect(third.problem).toContain('3 cycles');
    const confirmed = await metering.confirm(third.id, clerkCtx);
    expect(confirmed.status).toBe('accepted');

    await metering.updateRule('zero_consumption', { params: { cycles: 5 } }, clerkCtx);
    try {
      expect(await read(serial!, '10', '2026-04')).toMatchObject({ status: 'accepted' });
      expect(await read(serial!, '10', '2026-05')).toMatchObject({ status: 'pending', failedRule: 'zero_consumption' });
    } finally {
      await metering.updateRule('zero_consumption', { params: { cycles: 3 } }, clerkCtx);
    }
    const changes = await db.knex('cis.audit_log').where({ entity: 'reading_rule', entity_id: 'zero_consumption' });
    expect(changes[0].before.params.cycles).toBe(3);
    expect(changes[0].after.params.cycles).toBe(5);
  });

  test('consumption above k× the account average becomes pending; a disabled rule lets it through', async () => {
    const { serial } = await one();
    await read(serial!, '10', '2026-01');
    await read(serial!, '22', '2026-02'); // average 11
    const high = await read(serial!, '60', '2026-03'); // 38 > 3 × 11
    expect(high).toMatchObject({ status: 'pending', failedRule: 'high_consumption', consumption: '38.000' });
    expect(high.problem).toContain('above 3× the average 11.000 m³');
    await metering.updateRule('high_consumption', { enabled: false }, clerkCtx);
    try {
      expect(await read(serial!, '61', '2026-03')).toMatchObject({ status: 'accepted', consumption: '39.000' });
    } finally {
      await metering.updateRule('high_consumption', { enabled: true }, clerkCtx);
    }
  });

  test('meter replacement: old final minus its last reading plus new reading minus initial', async () => {
    const { accountNo, serial } = await one({ initialReading: '100' });
    await read(serial!, '120', '2026-01');
    const accounts = new AccountsService(db.knex);
    await accounts.replaceMeter(
      accountNo,
      { finalReading: '130', meter: { serial: `${serial}-NEW`, initialReading: '2' }, reason: 'broken' },
      clerkCtx,
    );
    const r = await read(`${serial}-NEW`, '9', '2026-02');
    expect(r).toMatchObject({ status: 'accepted', consumption: '17.000', previousReading: '2.000' });
    expect(r.note).toContain('old meter 10.000 m³ + new meter 7.000 m³');
    // The next reading of the new meter counts from its own previous reading.
    expect(await read(`${serial}-NEW`, '20', '2026-03')).toMatchObject({ consumption: '11.000' });

    // A final reading below the old meter's last reading is held for a clerk.
    const other = await one({ initialReading: '100' });
    await read(other.serial!, '150', '2026-01');
    await accounts.replaceMeter(
      other.accountNo,
      { finalReading: '140', meter: { serial: `${other.serial}-NEW` }, reason: 'broken' },
      clerkCtx,
    );
    expect(await read(`${other.serial}-NEW`, '3', '2026-02')).toMatchObject({
      status: 'pending',
      failedRule: 'replacement',
    });
  });

  test('a reading for an account without a meter is pending with no_meter', async () => {
    const { accountNo } = await one({ none: true });
    const r = await metering.record({ accountNo, reading: '12', period: '2026-01' }, reader);
    expect(r).toMatchObject({ status: 'pending', failedRule: 'no_meter', meterSerial: null });
  });
});

describe('estimates', () => {
  test('flagged, from the previous reading plus the average, trued up by the next real reading', async () => {
    const { accountNo, serial } = await one();
    await read(serial!, '10', '2026-01');
    await read(serial!, '22', '2026-02'); // average 11
    const est: ReadingView = await metering.estimate({ accountNo, period: '2026-03' }, clerkCtx);
    expect(est).toMatchObject({
      estimated: true,
      source: 'estimate',
      status: 'accepted',
      reading: '33.000',
      consumption: '11.000',
    });
    // Real reading below the estimate but above the last real one: a credit, accepted.
    const real = await read(serial!, '30', '2026-04');
    expect(real).toMatchObject({ status: 'accepted', consumption: '-3.000', previousReading: '33.000' });
    expect(real.note).toContain('trues up an estimate');
    // Below the last real reading: a negative consumption all the same.
    const acc2 = await one();
    await read(acc2.serial!, '10', '2026-01');
    await metering.estimate({ accountNo: acc2.accountNo, period: '2026-02' }, clerkCtx);
    expect(await read(acc2.serial!, '8', '2026-03')).toMatchObject({ failedRule: 'negative_consumption' });
  });

  test('estimating a pending reading rejects it', async () => {
    const { accountNo, serial } = await one({ initialReading: '40' });
    const bad = await read(serial!, '30', '2026-01');
    const est = await metering.estimate({ accountNo, period: '2026-01' }, clerkCtx);
    expect(est).toMatchObject({ estimated: true, reading: '40.000', consumption: '0.000' });
    expect(await metering.get(bad.id)).toMatchObject({ status: 'rejected' });
    expect(await refusal(metering.confirm(bad.id, clerkCtx))).toMatchObject({ status: 409, code: 'not_pending' });
  });
});
