import { pdfText } from '../support/pdf-text.js';
import { eventually } from '../support/records.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { deployStageModels, servedPremise } from './case-desk-fixture.js';

// The front desk (一口对外) against the whole app: the stage of a case read from the deployed model's `stage`
// properties (through call activities), the application receipt with its QR code, the public status page that
// shows only the stage, and the roles of every route.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'auditor', 'admin'];

const APPLICANT = { name: '欧阳秀英', phone: '13987654321', id: '11010119900307002X' };
let premise: Awaited<ReturnType<typeof servedPremise>>;
let caseNo: string;
let token: string;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 3 });
  for (const u of ROLES) s[u] = await t.signIn(u);
  await deployStageModels(t);
  premise = await servedPremise(t.db.knex);
  const opened = await s.clerk.call('POST', '/api/business-cases', {
    caseType: 'new-connection',
    premise,
    applicantName: APPLICANT.name,
    applicantPhone: APPLICANT.phone,
    details: { useClass: 'residential', caliberMm: 20, idDocType: 'resident_id', idDocNumber: APPLICANT.id },
  });
  expect(opened.status).toBe(201);
  ({ caseNo, publicToken: token } = opened.body as Record<string, string>);
}, 180000);
afterAll(async () => {
  await t?.stop();
});

const anon = (path: string) => fetch(`${t.app.url}${path}`);

/** Every personal fact of the applicant, as typed and as the server may print it. */
const personal = () => [
  APPLICANT.name,
  APPLICANT.phone,
  APPLICANT.id,
  premise.street,
  premise.community,
  premise.building,
  premise.room,
  'clerk',
];

async function taskOf(elementId: string) {
  return eventually(async () => {
    const r = await s.admin.call('GET', `/api/case-desk/cases/${caseNo}`);
    return (r.body.openTasks as Array<Record<string, string>>).find((x) => x.elementId === elementId);
  });
}

describe('where a case stands', () => {
  test('after intake the case is at survey, its open task named with its group; the public page says survey too', async () => {
    const view = await s.clerk.call('GET', `/api/case-desk/cases/${caseNo}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ caseNo, stage: 'survey', activeStages: ['survey'], status: 'open' });
    expect(view.body.openTasks).toEqual([
      expect.objectContaining({ name: '现场勘察', elementId: 'survey', candidateGroups: ['engineer'] }),
    ]);
    expect(view.body.stages).toEqual([
      { stage: 'intake', done: true },
      { stage: 'survey', done: false },
      { stage: 'construction', done: false },
      { stage: 'done', done: false },
    ]);
    expect(view.body.statusUrl).toBe(`http://localhost:8080/status/${token}`);

    const list = await s.clerk.call('GET', `/api/case-desk/cases?status=open&caseType=new-connection`);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseNo, stage: 'survey' })]));

    const pub = await anon(`/api/public/cases/${token}`);
    expect(pub.status).toBe(200);
    expect(await pub.json()).toMatchObject({ caseNo, caseType: 'new-connection', stage: 'survey', status: 'open' });
  });

  test("inside a call activity the called process's own stage counts; a closed case stands at its status", async () => {
    const survey = await taskOf('survey');
    expect((await s.engineer.call('POST', `/api/tasks/${survey!.userTaskKey}/claim`)).status).toBe(204);
    const done = await s.engineer.call('POST', `/api/tasks/${survey!.userTaskKey}/complete`, { variables: {} });
    expect(done.status).toBe(204);
    await taskOf('sign');
    const view = await s.engineer.call('GET', `/api/case-desk/cases/${caseNo}`);
    expect(view.body).toMatchObject({ stage: 'contract', activeStages: ['contract'] });
    expect(view.body.openTasks).toEqual([
      expect.objectContaining({ name: '签订供水合同', candidateGroups: ['clerk'] }),
    ]);

    // the called model's stages join the list once it runs
    expect(view.body.stages).toEqual([
      { stage: 'intake', done: true },
      { stage: 'survey', done: true },
      { stage: 'construction', done: true },
      { stage: 'contract', done: false },
      { stage: 'done', done: false },
    ]);

    await t.db.knex('cis.cases').where({ case_no: caseNo }).update({ status: 'rejected', closed_at: new Date() });
    const closed = (await (await anon(`/api/public/cases/${token}`)).json()) as Record<string, never>;
    expect(closed).toMatchObject({ stage: 'rejected', status: 'rejected', closedAt: expect.any(String) });
    expect((closed.stages as unknown[]).at(-1)).toEqual({ stage: 'rejected', done: false });
    await t.db.knex('cis.cases').where({ case_no: caseNo }).update({ status: 'open', closed_at: null });
  });
});

describe('the public status page', () => {
  test('answers only the stage: none of the applicant’s personal data in any byte', async () => {
    const res = await anon(`/api/public/cases/${token}`);
    const bytes = await res.text();
    expect(Object.keys(JSON.parse(bytes)).sort()).toEqual(
      ['caseNo', 'caseType', 'closedAt', 'createdAt', 'stage', 'stages', 'status'].sort(),
    );
    for (const fact of personal()) expect([fact, bytes.includes(fact)]).toEqual([fact, false]);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('an unknown, malformed or case-number link is a plain 404 naming nothing', async () => {
    for (const bad of [
      'AAAAAAAAAAAAAAAA',
      'x',
      caseNo,
      `${token}x`,
      token.toLowerCase() === token ? 'Z' : token.toLowerCase(),
    ]) {
      const res = await anon(`/api/public/cases/${encodeURIComponent(bad)}`);
      const text = await res.text();
      expect([bad, res.status]).toEqual([bad, 404]);
      for (const fact of [...personal(), caseNo]) if (bad !== caseNo) expect(text.includes(fact)).toBe(false);
    }
  });
});

describe('the application receipt (受理回执)', () => {
  test('prints the case number, type, what was applied for, documents to bring and the status link as a QR code', async () => {
    const res = await fetch(`${t.app.url}/api/business-cases/${caseNo}/receipt.pdf`, {
      headers: { Cookie: s.clerk.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const [page] = await pdfText(bytes);
    expect(page).toContain(`受理编号 ${caseNo}`);
    expect(page).toContain('新装用水');
    expect(page).toContain('居民生活用水，申请表径 DN20');
    expect(page).toContain('房屋产权证明或租赁合同');
    expect(page).toContain(`http://localhost:8080/status/${token}`);
    expect(page).toContain(APPLICANT.name); // the customer's own paper
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Subtype \/Image/);
  });

  test('the status link follows the utility’s public address (payment_settings.verify_base_url)', async () => {
    await t.db.knex('cis.payment_settings').update({ verify_base_url: 'https://water.example.cn/verify/receipt/' });
    const view = await s.clerk.call('GET', `/api/case-desk/cases/${caseNo}`);
    expect(view.body.statusUrl).toBe(`https://water.example.cn/status/${token}`);
    await t.db.knex('cis.payment_settings').update({ verify_base_url: 'http://localhost:8080/verify/receipt/' });
  });

  test('an unknown case is a 404', async () => {
    expect((await s.clerk.call('GET', '/api/business-cases/YW-20000101-0001/receipt.pdf')).status).toBe(404);
  });
});

describe('role matrix of the front desk', () => {
  test('each route answers its roles and refuses every other with 403; personal data masked for the others', async () => {
    const matrix: Array<[string, string, string[]]> = [
      ['GET', `/api/business-cases/${caseNo}/receipt.pdf`, ['clerk', 'engineer', 'manager', 'admin']],
      ['GET', '/api/case-desk/cases', ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor']],
      ['GET', `/api/case-desk/cases/${caseNo}`, ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor']],
    ];
    let refused = 0;
    for (const [method, path, allowed] of matrix)
      for (const role of ROLES) {
        const r = await s[role].call(method, path);
        if (allowed.includes(role)) expect([role, path, r.status]).toEqual([role, path, 200]);
        else {
          expect([role, path, r.status]).toEqual([role, path, 403]);
          refused++;
        }
      }
    expect(refused).toBe(3 + 3 + 5);
    for (const [, path] of matrix) expect([path, (await anon(path)).status]).toEqual([path, 401]);
    for (const role of ROLES) expect((await s[role].call('GET', `/api/public/cases/${token}`)).status).toBe(200);

    for (const role of ['cashier', 'auditor']) {
      const v = (await s[role].call('GET', `/api/case-desk/cases/${caseNo}`)).body;
      expect(v.applicantPhone).toBe('139****4321');
      expect((v.details as Record<string, string>).idDocNumber).toBe('110101********002X');
      expect(JSON.stringify(v)).not.toContain(APPLICANT.id);
    }
    const full = (await s.clerk.call('GET', `/api/case-desk/cases/${caseNo}`)).body;
    expect(full).toMatchObject({ applicantPhone: APPLICANT.phone, details: { idDocNumber: APPLICANT.id } });
  });
});
