import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { openRepairAccount } from './repair-fixtures.js';

// Opening business-development cases at the front desk (POST /api/business-cases) against the whole app: the
// guards that refuse before anything is written, the roles, and the case's process started with its variables.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'auditor', 'admin'];
let accountNo: string;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  for (const u of ROLES) s[u] = await t.signIn(u);
  accountNo = await openRepairAccount(t.db.knex, '陈小明', '301室');
  const book = await t.db.knex('cis.meter_books').where({ code: 'R01' }).first('id');
  await t.db.knex('cis.meter_book_areas').insert({ district: '东城区', street: '和平街道', book_id: book.id });
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const premise = (room: string, street = '和平街道') => ({
  district: '东城区',
  street,
  community: '幸福小区',
  building: '9栋',
  unit: '2单元',
  room,
});
const connection = (room: string, extra: Record<string, unknown> = {}) => ({
  caseType: 'new-connection',
  applicantName: '周新户',
  applicantPhone: '13800001111',
  premise: premise(room),
  details: { useClass: 'residential', caliberMm: 20, idDocType: 'resident_id', idDocNumber: '110101199001011237' },
  ...extra,
});
/** An instant `days` from now at `hour`:00 UTC (a planned shut-off is announced at least 24 hours ahead). */
const inDays = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
const casesCount = async () => Number((await t.db.knex('cis.cases').count({ n: '*' }))[0].n);

describe('opening a new connection', () => {
  test('the case gets its number, its book from the street and a running process with the case variables', async () => {
    const r = await s.clerk.call('POST', '/api/business-cases', connection('1201室'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ caseType: 'new-connection', bookCode: 'R01' });
    expect(r.body.caseNo).toMatch(/^YW-\d{8}-\d{4}$/);
    expect(typeof r.body.processInstanceKey).toBe('string');
    const view = await s.clerk.call('GET', `/api/business-cases/${r.body.caseNo}`);
    expect(view.body).toMatchObject({
      status: 'open',
      applicantName: '周新户',
      address: '东城区和平街道幸福小区9栋2单元1201室',
      createdBy: 'clerk',
      processInstanceKey: r.body.processInstanceKey,
      details: { useClass: 'residential', caliberMm: 20 },
    });
    const vars = await t.client('admin').searchVariables(
      {
        filter: { processInstanceKey: r.body.processInstanceKey as never, name: 'caseNo' },
      } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(vars.items.map((v: { value: string }) => JSON.parse(v.value))).toContain(r.body.caseNo);
  });

  test('a second application for the same premises is 409 naming the open case; nothing is written', async () => {
    const first = await s.clerk.call('POST', '/api/business-cases', connection('1202室'));
    expect(first.status).toBe(201);
    const before = await casesCount();
    // the same address typed with stray spaces is the same premises
    const again = await s.clerk.call(
      'POST',
      '/api/business-cases',
      connection('1202室', { premise: { ...premise('1202室'), community: ' 幸福小区 ' } }),
    );
    expect(again.status).toBe(409);
    // the open case's number as data too, for a client's own words (the web desk's Chinese message)
    expect(again.body).toMatchObject({ code: 'case_open', field: 'premise', caseNo: first.body.caseNo });
    expect(String(again.body.detail)).toContain(String(first.body.caseNo));
    expect(await casesCount()).toBe(before);
  });

  test('an address on no meter book’s street is 422 naming premise.street; nothing is written', async () => {
    const before = await casesCount();
    const r = await s.clerk.call(
      'POST',
      '/api/business-cases',
      connection('101室', { premise: premise('101室', '无名路') }),
    );
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'address_outside_books', field: 'premise.street' });
    expect(await casesCount()).toBe(before);
  });

  test('premises that already have an account are 409: that is a transfer or a relocation, not a new connection', async () => {
    const r = await s.clerk.call('POST', '/api/business-cases', {
      ...connection('301室'),
      premise: {
        district: '东城区',
        street: '和平街道',
        community: '幸福小区',
        building: '1栋',
        unit: '1单元',
        room: '301室',
      },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'premise_connected', accountNo });
    expect(String(r.body.detail)).toContain(accountNo);
  });

  test('bad input names its field', async () => {
    const missing = await s.clerk.call('POST', '/api/business-cases', {
      caseType: 'new-connection',
      applicantName: '李',
    });
    expect(missing.body).toMatchObject({ status: 422, field: 'premise' });
    const type = await s.clerk.call('POST', '/api/business-cases', { ...connection('1'), caseType: 'demolition' });
    expect(type.body).toMatchObject({ status: 422, field: 'caseType' });
    const relocation = await s.clerk.call('POST', '/api/business-cases', { caseType: 'relocation' });
    expect(relocation.body).toMatchObject({ status: 422, field: 'accountNo' });
    const unknown = await s.clerk.call('POST', '/api/business-cases', {
      caseType: 'relocation',
      accountNo: '99999999',
    });
    expect(unknown.body).toMatchObject({ status: 422, field: 'accountNo' });
    const phone = await s.clerk.call('POST', '/api/business-cases', connection('2', { applicantPhone: '12' }));
    expect(phone.body).toMatchObject({ status: 422, field: 'applicantPhone' });
    // a resident ID whose check character is wrong (…1237 is right) would stop the account opening at the end
    const id = await s.clerk.call(
      'POST',
      '/api/business-cases',
      connection('3', {
        details: {
          useClass: 'residential',
          caliberMm: 20,
          idDocType: 'resident_id',
          idDocNumber: '110101199001011236',
        },
      }),
    );
    expect(id.body).toMatchObject({ status: 422, field: 'details.idDocNumber' });
  });

  test('a shut-off names a known area and a window in order, or nothing is written', async () => {
    const before = await casesCount();
    const shutoff = (details: Record<string, unknown>) =>
      s.clerk.call('POST', '/api/business-cases', {
        caseType: 'water-shutoff-approval',
        applicantName: '管网所',
        details: {
          kind: 'planned',
          startAt: inDays(3, 1),
          endAt: inDays(3, 9),
          reason: '换阀',
          ...details,
        },
      });
    expect((await shutoff({ bookCodes: ['NOPE'] })).body).toMatchObject({ status: 422, field: 'details.bookCodes' });
    expect((await shutoff({ bookCodes: ['R01'], endAt: inDays(3, 0) })).body).toMatchObject({
      status: 422,
      field: 'details.endAt',
    });
    expect(await casesCount()).toBe(before);
    expect((await shutoff({ bookCodes: ['R01'] })).status).toBe(201);
  });

  test('a case about an account takes its customer and premises', async () => {
    const r = await s.clerk.call('POST', '/api/business-cases', { caseType: 'water-use-inspection', accountNo });
    expect(r.status).toBe(201);
    const view = await s.clerk.call('GET', `/api/business-cases/${r.body.caseNo}`);
    expect(view.body).toMatchObject({ accountNo, applicantName: '陈小明', address: expect.stringContaining('301室') });
    // an auditor or a cashier reads the case without the applicant's phone and ID number in full
    const first = await s.clerk.call('POST', '/api/business-cases', connection('1701室'));
    for (const role of ['auditor', 'cashier']) {
      const seen = (await s[role].call('GET', `/api/business-cases/${first.body.caseNo}`)).body;
      expect([role, seen.applicantPhone, (seen.details as Record<string, string>).idDocNumber]).toEqual([
        role,
        '138****1111',
        '110101********1237',
      ]);
    }
    const full = (await s.clerk.call('GET', `/api/business-cases/${first.body.caseNo}`)).body;
    expect(full).toMatchObject({ applicantPhone: '13800001111', details: { idDocNumber: '110101199001011237' } });
    const list = await s.auditor.call('GET', `/api/business-cases?accountNo=${accountNo}`);
    expect((list.body.items as Array<{ caseNo: string }>).map((c) => c.caseNo)).toEqual([r.body.caseNo]);
  });
});

describe('when the engine refuses the start', () => {
  test('the case is cancelled and the premises are free again; the engine’s refusal is what the clerk hears', async () => {
    // an administrator withdraws the clerks' right to start new connections (through the engine's own API)
    const admin = t.client('admin');
    const grant = {
      owner_type: 'ROLE',
      owner_id: 'clerk',
      resource_type: 'PROCESS_DEFINITION',
      resource_id: 'new-connection',
    };
    const [saved] = await t.db.knex('engine.authorizations').where(grant);
    await admin.deleteAuthorization({ authorizationKey: String(saved.key) as never });
    try {
      const refused = await s.clerk.call('POST', '/api/business-cases', connection('1801室'));
      // a grant missing between our roles and the engine's is the server's fault, not the clerk's: 502
      expect(refused.status).toBe(502);
      const [row] = await t.db.knex('cis.cases').where({ room: '1801室' });
      expect(row).toMatchObject({ status: 'cancelled', outcome: 'process_not_started', process_instance_key: null });
    } finally {
      await admin.createAuthorization({
        ownerType: 'ROLE',
        ownerId: 'clerk',
        resourceType: 'PROCESS_DEFINITION',
        resourceId: 'new-connection',
        permissionTypes: ['CREATE_PROCESS_INSTANCE'],
      } as never);
    }
    const again = await s.clerk.call('POST', '/api/business-cases', connection('1801室'));
    expect(again.status).toBe(201);
    // withdrawing: a closed case is closed; an open one only where its model waits for a withdrawal (the fee)
    const cancelled = await t.db.knex('cis.cases').where({ room: '1801室', status: 'cancelled' }).first('case_no');
    const closed = await s.clerk.call('POST', `/api/business-cases/${cancelled.case_no}/withdraw`, {});
    expect(closed.body).toMatchObject({ status: 409, code: 'case_closed' });
    const atSurvey = await s.clerk.call('POST', `/api/business-cases/${again.body.caseNo}/withdraw`, {
      reason: '不装了',
    });
    expect(atSurvey.body).toMatchObject({ status: 409, code: 'not_withdrawable' });
    expect((await s.clerk.call('GET', `/api/business-cases/${again.body.caseNo}`)).body.status).toBe('open');
  });
});

describe('role matrix of /api/business-cases', () => {
  test('each route answers its roles and refuses every other with 403', async () => {
    const open = await s.clerk.call('POST', '/api/business-cases', connection('1501室'));
    const matrix: Array<[string, string, unknown, string[]]> = [
      ['POST', '/api/business-cases', { caseType: 'nonsense' }, ['clerk', 'manager', 'admin']],
      ['GET', '/api/business-cases', undefined, ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor']],
      ['POST', `/api/business-cases/${open.body.caseNo}/withdraw`, {}, ['clerk', 'manager', 'admin']],
      [
        'GET',
        `/api/business-cases/${open.body.caseNo}`,
        undefined,
        ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor'],
      ],
    ];
    let refused = 0;
    for (const [method, path, body, allowed] of matrix)
      for (const role of ROLES) {
        const r = await s[role].call(method, path, body);
        if (allowed.includes(role)) expect([role, path, r.status === 403]).toEqual([role, path, false]);
        else {
          expect([role, method, path, r.status]).toEqual([role, method, path, 403]);
          refused++;
        }
      }
    expect(refused).toBe(6 + 3 + 6 + 3);
    // engineers open what they find in the field, never a customer's application
    const field = await s.engineer.call('POST', '/api/business-cases', { caseType: 'water-use-inspection', accountNo });
    expect(field.status).toBe(201);
    expect((await fetch(`${t.app.url}/api/business-cases`)).status).toBe(401);
  });
});
