import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import meteringOpenCycle from '../../workers/metering-open-cycle.js';
import meteringCheckCycle from '../../workers/metering-check-cycle.js';
import { openBook } from './metering-fixtures.js';

// Metering inside the running application: sessions, roles, the engine through the official client.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'manager', 'auditor', 'admin'];
const READERS = ['reader', 'clerk', 'manager', 'admin', 'auditor'];
const WRITERS = ['reader', 'clerk', 'manager', 'admin'];
const REVIEWERS = ['clerk', 'manager', 'admin'];
let book: Array<{ accountNo: string; serial: string | null }>;

beforeAll(async () => {
  t = await startTestAquaflow({ workers: [meteringOpenCycle, meteringCheckCycle] });
  for (const u of ROLES) s[u] = await t.signIn(u);
  book = await openBook(t.db.knex, 'APP1', 2, { initialReading: '5' });
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('a clerk starts the reading cycle of a book by hand; the reader reads; readings show on the customer 360', async () => {
  const bad = await s.clerk.call('POST', '/api/metering/cycles', { bookCode: 'APP1', period: '2026-11' });
  expect(bad).toMatchObject({ status: 422, body: { field: 'deadline' } });
  const unknown = await s.clerk.call('POST', '/api/metering/cycles', {
    bookCode: 'NOPE',
    period: '2026-11',
    deadline: '2026-11-28T18:00:00+08:00',
  });
  expect(unknown).toMatchObject({ status: 422, body: { field: 'bookCode' } });
  // A deadline well ahead of the real clock: the cycle stays in its reading window during the test.
  const body = { bookCode: 'APP1', period: '2026-11', deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() };
  expect((await s.reader.call('POST', '/api/metering/cycles', body)).status).toBe(403);
  expect((await s.clerk.call('POST', '/api/metering/cycles', { ...body, checkInterval: 'P1Y' })).body).toMatchObject({
    field: 'checkInterval',
  });
  const started = await s.clerk.call('POST', '/api/metering/cycles', body);
  expect(started.status).toBe(201);
  const pi = started.body.processInstanceKey as string;
  const cycle = await (async () => {
    for (let i = 0; i < 100; i++) {
      const row = await t.db.knex('cis.reading_cycles').where({ process_instance_key: pi }).first();
      if (row) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no cycle opened');
  })();
  const view = await s.auditor.call('GET', `/api/metering/cycles/${cycle.id}`);
  expect(view.body).toMatchObject({ bookCode: 'APP1', period: '2026-11-01', orders: 2, progress: { open: 2 } });

  const r = await s.reader.call('POST', '/api/metering/readings', {
    accountNo: book[0].accountNo,
    reading: '17',
    period: '2026-11',
    source: 'mobile',
  });
  expect(r.body).toMatchObject({ source: 'mobile', consumption: '12.000', reader: 'reader' });
  expect((await s.auditor.call('GET', `/api/metering/cycles/${cycle.id}`)).body).toMatchObject({
    progress: { read: 1, open: 1 },
  });
  const account = await s.auditor.call('GET', `/api/customers/accounts/${book[0].accountNo}`);
  expect(account.body.readings).toEqual([
    expect.objectContaining({ period: '2026-11-01', reading: '17.000', consumption: '12.000', source: 'mobile' }),
  ]);
});

describe('role matrix of /api/metering', () => {
  // [method, path, body, roles that may]; every other role gets 403. Bodies and ids are invalid on purpose: an
  // allowed role gets past the role check and is refused by validation (422/404), changing nothing.
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['GET', '/api/metering/books', undefined, READERS],
    ['GET', '/api/metering/books/APP1/sheet?period=2026-11', undefined, READERS],
    ['GET', '/api/metering/books/APP1/export?period=2026-11', undefined, READERS],
    ['POST', '/api/metering/readings', {}, WRITERS],
    ['GET', '/api/metering/readings/999999', undefined, READERS],
    ['POST', '/api/metering/readings/999999/confirm', {}, REVIEWERS],
    ['POST', '/api/metering/readings/999999/correct', {}, REVIEWERS],
    ['POST', '/api/metering/estimates', {}, REVIEWERS],
    ['GET', '/api/metering/accounts/X1/readings', undefined, READERS],
    ['POST', '/api/metering/remote', {}, WRITERS],
    ['POST', '/api/metering/imports', {}, WRITERS],
    ['GET', '/api/metering/imports/999999', undefined, READERS],
    ['POST', '/api/metering/imports/999999/confirm', {}, WRITERS],
    ['POST', '/api/metering/cycles', {}, REVIEWERS],
    ['GET', '/api/metering/cycles/999999', undefined, READERS],
    ['GET', '/api/metering/rules', undefined, READERS],
    ['PUT', '/api/metering/rules/nope', {}, ['manager', 'admin']],
  ];

  test('each role gets 403 exactly where the matrix says; auditors change nothing', async () => {
    const before = await t.db.knex('cis.audit_log').count('* as n').first();
    for (const [method, path, body, allowed] of matrix) {
      for (const role of ROLES) {
        const r = await s[role].call(method, path, body);
        expect([role, method, path, r.status === 403]).toEqual([role, method, path, !allowed.includes(role)]);
        expect(r.status).toBeLessThan(500);
      }
    }
    expect(await t.db.knex('cis.audit_log').count('* as n').first()).toEqual(before);
  });

  test('without a session: 401', async () => {
    expect((await fetch(`${t.app.url}/api/metering/books`)).status).toBe(401);
  });
});
