import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { meteringRouter } from '../../server/api/metering.js';
import { problemDocuments } from '../../server/http/problem.js';
import { MeteringService } from '../../domain/metering/service.js';
import { openBook, reader } from './metering-fixtures.js';

// Issue #17: an accepted reading corrected by a clerk; the next reading of the meter follows.
let db: TestDatabase;
let server: http.Server;
let base: string;

function app(knex: TestDatabase['knex']): Koa {
  const a = new Koa();
  a.use(problemDocuments());
  a.use(bodyParser());
  a.use(async (ctx, next) => {
    const who = ctx.get('x-test-user');
    if (who) ctx.state.user = { username: who, roles: [who] };
    await next();
  });
  const r = meteringRouter(knex);
  a.use(r.routes()).use(r.allowedMethods());
  return a;
}

async function call(method: string, path: string, body?: unknown, user = 'clerk') {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(user ? { 'x-test-user': user } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await freshDatabase();
  server = http.createServer(app(db.knex).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Corrections of 100 m³ and more a month on household meters are this suite's point: the sane-bound rule
  // (domain/metering/consumption-bound.test.ts) would hold the readings before any correction could be asked for.
  await db.knex('cis.reading_rules').where({ code: 'consumption_bound' }).update({ enabled: false });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
});

/** A posted bill of the account for a period (billing's rows, written directly: the bill run is not under test). */
async function postedBill(accountNo: string, period: string, volume: string): Promise<number> {
  const knex = db.knex;
  let tariff = await knex('cis.tariffs').where({ code: 'CORR-T' }).first('id');
  if (!tariff)
    [tariff] = await knex('cis.tariffs')
      .insert({
        code: 'CORR-T',
        name: '更正测试',
        customer_class: 'special',
        effective_from: '2020-01-01',
        created_by: 'test',
      })
      .returning('id');
  const account = await knex('cis.accounts').where({ account_no: accountNo }).first('id');
  const [bill] = await knex('cis.bills')
    .insert({
      account_id: account.id,
      period: `${period}-01`,
      tariff_id: tariff.id,
      household_size: 3,
      volume,
      amount_fen: 3400,
      status: 'posted',
    })
    .returning('id');
  return Number(bill.id);
}

const readingRow = (id: unknown) => db.knex('cis.readings').where({ id }).first();

test('a clerk corrects an accepted reading: its consumption and the next month follow; the billed month is named', async () => {
  const metering = new MeteringService(db.knex);
  const [{ serial, accountNo }] = await openBook(db.knex, 'COR1', 1, { initialReading: '100' });
  const read = (reading: string, period: string) =>
    metering.record({ meterSerial: serial, reading, period, source: 'manual' }, reader);
  const jan = await read('112.5', '2026-01');
  const feb = await read('125', '2026-02');
  const mar = await read('140', '2026-03');
  expect([jan, feb, mar].map((r) => [r.status, r.consumption])).toEqual([
    ['accepted', '12.500'],
    ['accepted', '12.500'],
    ['accepted', '15.000'],
  ]);
  const febBill = await postedBill(accountNo, '2026-02', '12.5');

  const path = `/api/metering/readings/${feb.id}/correction`;
  expect((await call('POST', path, { reading: '121', reason: '抄错' }, 'reader')).status).toBe(403);

  // Bad input: a clear 4xx, nothing written.
  expect(await call('POST', path, { reading: '-1', reason: '抄错' })).toMatchObject({
    status: 422,
    body: { field: 'reading' },
  });
  expect(await call('POST', path, { reading: '121' })).toMatchObject({ status: 422, body: { field: 'reason' } });
  // 110 is below January's 112.5 and no plausible rollover of a 5-digit meter.
  expect(await call('POST', path, { reading: '110', reason: '抄错' })).toMatchObject({
    status: 422,
    body: { field: 'reading', code: 'below_previous' },
  });
  // 141 is above March's 140: March would consume −1 m³.
  expect(await call('POST', path, { reading: '141', reason: '抄错' })).toMatchObject({
    status: 422,
    body: { field: 'reading', code: 'above_next' },
  });
  expect(await call('POST', '/api/metering/readings/999999/correction', { reading: '1', reason: 'x' })).toMatchObject({
    status: 404,
  });
  expect(await db.knex('cis.reading_corrections')).toHaveLength(0);
  expect((await readingRow(feb.id)).reading).toBe('125.000');

  // 125 → 121: February 121 − 112.5 = 8.5 m³, March 140 − 121 = 19 m³; 4 m³ difference, under the 50 m³ threshold.
  const done = await call('POST', path, { reading: '121', reason: '抄错' });
  expect(done).toMatchObject({
    status: 200,
    body: {
      status: 'applied',
      volumeDifference: '-4.000',
      before: { reading: '125.000', consumption: '12.500' },
      after: { reading: '121.000', consumption: '8.500' },
      next: {
        readingId: mar.id,
        period: '2026-03-01',
        before: { consumption: '15.000' },
        after: { consumption: '19.000' },
      },
      billed: true,
      billId: febBill,
      reading: { id: feb.id, reading: '121.000', consumption: '8.500', status: 'accepted' },
    },
  });
  expect(await readingRow(feb.id)).toMatchObject({ reading: '121.000', consumption: '8.500', status: 'accepted' });
  expect(await readingRow(mar.id)).toMatchObject({ previous_reading: '121.000', consumption: '19.000' });
  expect(await db.knex('cis.reading_corrections').where({ reading_id: feb.id })).toEqual([
    expect.objectContaining({
      status: 'applied',
      reason: '抄错',
      reading_before: '125.000',
      reading_after: '121.000',
      consumption_before: '12.500',
      consumption_after: '8.500',
      next_reading_id: String(mar.id),
      next_consumption_before: '15.000',
      next_consumption_after: '19.000',
      requested_by: 'clerk',
    }),
  ]);
  const audit = await db
    .knex('cis.audit_log')
    .where({ entity: 'reading' })
    .whereIn('entity_id', [feb.id, mar.id].map(String));
  expect(audit.filter((a) => a.action === 'correction_applied')).toHaveLength(1);
  expect(audit.find((a) => a.action === 'consumption_recomputed')).toMatchObject({
    entity_id: String(mar.id),
    before: { consumption: '15.000', previous_reading: '125.000' },
    after: { consumption: '19.000', previous_reading: '121.000' },
  });

  // March 140 → 200: 60 m³ above the 50 m³ threshold: not applied, it waits for approval.
  const big = await call('POST', `/api/metering/readings/${mar.id}/correction`, {
    reading: '200',
    reason: '换表前读数',
  });
  expect(big).toMatchObject({
    status: 202,
    body: { status: 'needs_approval', volumeDifference: '60.000', billed: false, billId: null, next: null },
  });
  expect(await readingRow(mar.id)).toMatchObject({ reading: '140.000', consumption: '19.000' });
  expect(await db.knex('cis.reading_corrections').where({ reading_id: mar.id })).toEqual([
    expect.objectContaining({ status: 'needs_approval', reading_after: '200.000', consumption_after: '79.000' }),
  ]);

  // The threshold is data: at 100 m³ the same correction applies at once (200 − 121 = 79 m³).
  await db.knex('cis.metering_settings').update({ correction_approval_m3: 100 });
  const applied = await call(
    'POST',
    `/api/metering/readings/${mar.id}/correction`,
    { reading: '200', reason: '换表前读数' },
    'manager',
  );
  expect(applied).toMatchObject({ status: 200, body: { status: 'applied', after: { consumption: '79.000' } } });
  await db.knex('cis.metering_settings').update({ correction_approval_m3: 50 });
});

test('only accepted readings are corrected this way; a pending one goes through the review', async () => {
  const metering = new MeteringService(db.knex);
  const [{ serial }] = await openBook(db.knex, 'COR2', 1, { initialReading: '10' });
  const low = await metering.record({ meterSerial: serial, reading: '5', period: '2026-01', source: 'manual' }, reader);
  expect(low.status).toBe('pending');
  expect(
    await call('POST', `/api/metering/readings/${low.id}/correction`, { reading: '12', reason: 'x' }),
  ).toMatchObject({
    status: 409,
    body: { code: 'not_accepted' },
  });
});

test('a correction above the threshold waits: a manager approves it (applied then), or rejects it (nothing changes)', async () => {
  const metering = new MeteringService(db.knex);
  const [{ serial }] = await openBook(db.knex, 'COR3', 1, { initialReading: '0' });
  const jan = await metering.record(
    { meterSerial: serial, reading: '20', period: '2026-01', source: 'manual' },
    reader,
  );
  const feb = await metering.record(
    { meterSerial: serial, reading: '150', period: '2026-02', source: 'manual' },
    reader,
  );
  // January 20 → 90: 70 m³ more; February then counts 150 − 90 = 60 m³ instead of 130.
  const waiting = await call('POST', `/api/metering/readings/${jan.id}/correction`, {
    reading: '90',
    reason: '漏抄一位',
  });
  expect(waiting).toMatchObject({ status: 202, body: { status: 'needs_approval', after: { consumption: '90.000' } } });
  const id = waiting.body.correctionId;
  expect((await call('POST', `/api/metering/corrections/${id}/approve`, {}, 'clerk')).status).toBe(403);
  const approved = await call('POST', `/api/metering/corrections/${id}/approve`, {}, 'manager');
  expect(approved).toMatchObject({
    status: 200,
    body: {
      status: 'approved',
      after: { reading: '90.000', consumption: '90.000' },
      next: { readingId: feb.id, before: { consumption: '130.000' }, after: { consumption: '60.000' } },
    },
  });
  expect(await readingRow(feb.id)).toMatchObject({ consumption: '60.000', previous_reading: '90.000' });
  expect(await call('POST', `/api/metering/corrections/${id}/approve`, {}, 'manager')).toMatchObject({
    status: 409,
    body: { code: 'not_waiting' },
  });

  const again = await call('POST', `/api/metering/readings/${feb.id}/correction`, { reading: '250', reason: 'x' });
  const rejected = await call('POST', `/api/metering/corrections/${again.body.correctionId}/reject`, {}, 'admin');
  expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
  expect(await readingRow(feb.id)).toMatchObject({ reading: '150.000', consumption: '60.000' });
});

test('metering settings: everyone in metering reads them, managers change them, nonsense is a 422', async () => {
  expect(await call('GET', '/api/metering/settings', undefined, 'auditor')).toMatchObject({
    status: 200,
    body: { timeZone: 'Asia/Shanghai', correctionApprovalM3: '50.000', rolloverMaxShare: { default: 0.02 } },
  });
  expect((await call('PUT', '/api/metering/settings', { correctionApprovalM3: '80' })).status).toBe(403);
  expect(await call('PUT', '/api/metering/settings', { timeZone: 'Mars/Olympus' }, 'manager')).toMatchObject({
    status: 422,
    body: { field: 'timeZone' },
  });
  expect(await call('PUT', '/api/metering/settings', { rolloverMaxShare: { 50: 0.1 } }, 'manager')).toMatchObject({
    status: 422,
    body: { field: 'rolloverMaxShare.default' },
  });
  expect(await call('PUT', '/api/metering/settings', { correctionApprovalM3: '-5' }, 'manager')).toMatchObject({
    status: 422,
    body: { field: 'correctionApprovalM3' },
  });
  const changed = await call('PUT', '/api/metering/settings', { correctionApprovalM3: '80' }, 'manager');
  expect(changed).toMatchObject({ status: 200, body: { correctionApprovalM3: '80.000', timeZone: 'Asia/Shanghai' } });
  expect(await db.knex('cis.audit_log').where({ entity: 'metering_settings' })).toEqual([
    expect.objectContaining({
      actor: 'manager',
      before: expect.objectContaining({ correctionApprovalM3: '50.000' }),
      after: expect.objectContaining({ correctionApprovalM3: '80.000' }),
    }),
  ]);
  await call('PUT', '/api/metering/settings', { correctionApprovalM3: '50' }, 'manager');
});
