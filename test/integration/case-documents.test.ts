import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { caseDocumentsRouter } from '../../server/api/case-documents.js';
import { problemDocuments } from '../../server/http/problem.js';
import type { EngineApi } from '../../server/camunda/engine-api.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { EXE, PNG_1PX, insertCase, pdfFile, upload, xlsxFile } from './case-documents-fixtures.js';

/**
 * A case's documents through /api/business-cases/:caseNo/documents: uploads into the engine's document store
 * (through the official client), versions that never replace each other, previews with the type read from the
 * content, and the refusals — wrong type by content, too large, a virus scanner's verdict, roles, unknown cases —
 * that store nothing.
 */
let t: TestAquaflow;
let clerk: ApiSession;
const CASE = 'YW-20261207-0001';
const OTHER = 'YW-20261207-0002';

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, deployProcesses: false });
  clerk = await t.signIn('clerk');
  await insertCase(t.db.knex, CASE);
  await insertCase(t.db.knex, OTHER, '李四');
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const stored = async () => ({
  engine: Number((await t.db.knex('engine.document').count('* as n').first())!.n),
  versions: Number((await t.db.knex('cis.case_document_versions').count('* as n').first())!.n),
});
const get = (session: ApiSession | undefined, path: string) =>
  fetch(`${t.app.url}${path}`, { headers: session ? { Cookie: session.cookie } : {} });

test('a clerk uploads a drawing and then a new version: both versions stay, newest first, in the document store', async () => {
  const v1 = await pdfFile('总平面图 第一稿');
  const first = await upload(
    t.app.url,
    clerk.cookie,
    CASE.toLowerCase(),
    { kind: 'drawing', title: '总平面图', step: 'design' },
    { name: '总平面图.pdf', bytes: v1, type: 'application/pdf' },
  );
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({
    kind: 'drawing',
    title: '总平面图',
    latest: {
      version: 1,
      fileName: '总平面图.pdf',
      contentType: 'application/pdf',
      step: 'design',
      uploadedBy: 'clerk',
    },
  });
  const documentId = String(first.body.documentId);

  const v2 = await pdfFile('总平面图 第二稿');
  const engineer = await t.signIn('engineer');
  const second = await upload(
    t.app.url,
    engineer.cookie,
    CASE,
    { documentId, kind: 'photo' }, // a version keeps its document's kind, whatever the form says
    { name: '总平面图-改.pdf', bytes: v2 },
  );
  expect(second.status).toBe(201);
  expect(second.body).toMatchObject({ documentId: Number(documentId), kind: 'drawing', title: '总平面图' });
  const versions = second.body.versions as Array<Record<string, unknown>>;
  expect(versions.map((v) => [v.version, v.fileName, v.uploadedBy])).toEqual([
    [2, '总平面图-改.pdf', 'engineer'],
    [1, '总平面图.pdf', 'clerk'],
  ]);

  const list = await clerk.call('GET', `/api/business-cases/${CASE}/documents`);
  expect(list.status).toBe(200);
  expect((list.body.items as Array<Record<string, unknown>>).map((d) => [d.documentId, d.kind])).toEqual([
    [Number(documentId), 'drawing'],
  ]);

  // the bytes are in the engine's store, each version its own document there, named by the case
  const rows = await t.db.knex('cis.case_document_versions').orderBy('version');
  const engineRows = await t.db.knex('engine.document').whereIn(
    'document_id',
    rows.map((r) => r.store_document_id),
  );
  expect(engineRows.map((r) => [r.content_type, r.custom_properties])).toEqual([
    ['application/pdf', { caseNo: CASE, kind: 'drawing' }],
    ['application/pdf', { caseNo: CASE, kind: 'drawing' }],
  ]);
  const old = await get(clerk, `/api/business-cases/${CASE}/documents/versions/${versions[1].versionId}`);
  expect(Buffer.from(await old.arrayBuffer()).equals(v1)).toBe(true);

  // who uploaded what, in the audit log
  const audit = await t.db.knex('cis.audit_log').where({ action: 'case_document_uploaded', entity_id: CASE });
  expect(audit.map((a) => [a.actor, a.after.version])).toEqual(
    expect.arrayContaining([
      ['clerk', 1],
      ['engineer', 2],
    ]),
  );
  // versions are append-only
  await expect(t.db.knex('cis.case_document_versions').update({ file_name: 'x' })).rejects.toThrow();
});

test('download: the type read from the content, images and PDF inline (previewed), a spreadsheet as attachment, nosniff', async () => {
  const png = await upload(t.app.url, clerk.cookie, CASE, { kind: 'photo' }, { name: '现场.jpg', bytes: PNG_1PX });
  const budget = await upload(
    t.app.url,
    clerk.cookie,
    CASE,
    { kind: 'budget', title: '预算表' },
    { name: '预算.xlsx', bytes: await xlsxFile(), type: 'application/octet-stream' },
  );
  expect([png.status, budget.status]).toEqual([201, 201]);
  expect((png.body.latest as Record<string, unknown>).previewable).toBe(true);
  expect((budget.body.latest as Record<string, unknown>).previewable).toBe(false);

  const image = await get(
    clerk,
    `/api/business-cases/${CASE}/documents/versions/${(png.body.latest as { versionId: number }).versionId}`,
  );
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/png'); // named .jpg, a PNG by its bytes
  expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="__\.jpg"; filename\*=UTF-8''/);
  expect(image.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Buffer.from(await image.arrayBuffer()).equals(PNG_1PX)).toBe(true);

  const sheet = await get(
    clerk,
    `/api/business-cases/${CASE}/documents/versions/${(budget.body.latest as { versionId: number }).versionId}`,
  );
  expect(sheet.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(sheet.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(sheet.headers.get('content-disposition')).toContain(encodeURIComponent('预算.xlsx'));

  const auditor = await t.signIn('auditor');
  const forced = await get(
    auditor,
    `/api/business-cases/${CASE}/documents/versions/${(png.body.latest as { versionId: number }).versionId}?download`,
  );
  expect([forced.status, forced.headers.get('content-disposition')?.split(';')[0]]).toEqual([200, 'attachment']);
});

test('wrong type by content: an .exe renamed .pdf, a PDF as a photo — 422 naming file, nothing stored', async () => {
  const before = await stored();
  const exe = await upload(
    t.app.url,
    clerk.cookie,
    CASE,
    { kind: 'drawing' },
    { name: '图纸.pdf', bytes: EXE, type: 'application/pdf' },
  );
  expect(exe.status).toBe(422);
  expect(exe.body).toMatchObject({ field: 'file', code: 'file_type' });
  expect(String(exe.body.detail)).toContain('no accepted type');
  const photo = await upload(
    t.app.url,
    clerk.cookie,
    CASE,
    { kind: 'photo' },
    { name: 'a.pdf', bytes: await pdfFile('x') },
  );
  expect([photo.status, photo.body.field]).toEqual([422, 'file']);
  expect(String(photo.body.detail)).toContain('a PDF file; a photo must be JPEG, PNG, WebP');
  const noKind = await upload(t.app.url, clerk.cookie, CASE, {}, { name: 'a.png', bytes: PNG_1PX });
  expect([noKind.status, noKind.body.field]).toEqual([422, 'kind']);
  const noFile = await upload(t.app.url, clerk.cookie, CASE, { kind: 'photo' });
  expect([noFile.status, noFile.body.field]).toEqual([422, 'file']);
  expect(await stored()).toEqual(before);
});

test('roles and keys: auditors and cashiers read but never upload (403); unknown case, document or version 404', async () => {
  const before = await stored();
  for (const role of ['auditor', 'cashier', 'reader']) {
    const s = await t.signIn(role);
    const r = await upload(t.app.url, s.cookie, CASE, { kind: 'photo' }, { name: 'a.png', bytes: PNG_1PX });
    expect([role, r.status]).toEqual([role, 403]);
  }
  expect((await upload(t.app.url, undefined, CASE, { kind: 'photo' }, { name: 'a.png', bytes: PNG_1PX })).status).toBe(
    401,
  );
  expect((await (await t.signIn('auditor')).call('GET', `/api/business-cases/${CASE}/documents`)).status).toBe(200);
  expect((await (await t.signIn('reader')).call('GET', `/api/business-cases/${CASE}/documents`)).status).toBe(403);

  const unknown = await upload(
    t.app.url,
    clerk.cookie,
    'YW-20990101-0001',
    { kind: 'photo' },
    { name: 'a.png', bytes: PNG_1PX },
  );
  expect(unknown.status).toBe(404);
  expect((await clerk.call('GET', '/api/business-cases/YW-20990101-0001/documents')).status).toBe(404);
  const theirs = (await clerk.call('GET', `/api/business-cases/${CASE}/documents`)).body.items as Array<{
    documentId: number;
    latest: { versionId: number };
  }>;
  // a document or version of one case is not reachable through another
  const wrong = await upload(
    t.app.url,
    clerk.cookie,
    OTHER,
    { documentId: String(theirs[0].documentId) },
    { name: 'a.pdf', bytes: await pdfFile('x') },
  );
  expect(wrong.status).toBe(404);
  expect(
    (await get(clerk, `/api/business-cases/${OTHER}/documents/versions/${theirs[0].latest.versionId}`)).status,
  ).toBe(404);
  expect((await get(clerk, `/api/business-cases/${CASE}/documents/versions/abc`)).status).toBe(404);
  expect(await stored()).toEqual(before);
});

test('a scanned ID is personal data: the front desk sees it, cashiers and auditors neither list nor fetch it', async () => {
  const scan = await upload(
    t.app.url,
    clerk.cookie,
    OTHER,
    { kind: 'id_scan' },
    { name: '身份证.png', bytes: PNG_1PX },
  );
  expect(scan.status).toBe(201);
  const kinds = async (s: typeof clerk) =>
    ((await s.call('GET', `/api/business-cases/${OTHER}/documents`)).body.items as Array<{ kind: string }>).map(
      (d) => d.kind,
    );
  const listed = (await clerk.call('GET', `/api/business-cases/${OTHER}/documents`)).body.items as Array<{
    kind: string;
    latest: { versionId: number };
  }>;
  const version = listed.find((d) => d.kind === 'id_scan')!.latest.versionId;
  const path = `/api/business-cases/${OTHER}/documents/versions/${version}`;
  expect(await kinds(clerk)).toContain('id_scan');
  expect((await get(clerk, path)).status).toBe(200);
  for (const role of ['cashier', 'auditor']) {
    const s = await t.signIn(role);
    expect([role, (await kinds(s)).includes('id_scan')]).toEqual([role, false]);
    expect([role, (await get(s, path)).status]).toEqual([role, 404]);
  }
});

describe('limits and the virus-scan hook (a router with its own options)', () => {
  let server: http.Server;
  let url: string;
  const scanned: string[] = [];

  beforeAll(async () => {
    // The router as apiRouters mounts it, with a 2 KB limit and a scanner that refuses files named *eicar*.
    const docsClient = (username: string) =>
      createCamundaClient({
        config: {
          CAMUNDA_REST_ADDRESS: t.app.url,
          CAMUNDA_AUTH_STRATEGY: 'BASIC',
          CAMUNDA_BASIC_AUTH_USERNAME: username,
          CAMUNDA_BASIC_AUTH_PASSWORD: 'demo',
          // 8.8.4's schemas type an upload's file and a binary download as strings (see engine-store.ts)
          CAMUNDA_SDK_VALIDATION: 'req:none,res:none',
          CAMUNDA_SDK_LOG_LEVEL: 'silent',
        } as never,
      });
    const engine = { clients: { forUser: docsClient } } as unknown as EngineApi;
    const app = new Koa();
    app.use(problemDocuments());
    app.use(async (ctx, next) => {
      ctx.state.user = { id: '1', username: 'clerk', displayName: 'clerk', roles: ['clerk'] };
      await next();
    });
    const router = caseDocumentsRouter(t.db.knex, engine, {
      maxBytes: 2048,
      scanner: {
        scan: async (f) => {
          scanned.push(f.fileName);
          return f.fileName.includes('eicar') ? { clean: false, threat: 'Eicar-Test-Signature' } : { clean: true };
        },
      },
    });
    app.use(router.routes());
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a file over the limit is 422 naming file; a refused scan is 422 naming the threat; nothing stored', async () => {
    const before = await stored();
    const big = Buffer.concat([PNG_1PX, Buffer.alloc(4096)]);
    const large = await upload(url, undefined, CASE, { kind: 'photo' }, { name: 'big.png', bytes: big });
    expect([large.status, large.body.field]).toEqual([422, 'file']);
    expect(String(large.body.detail)).toContain('larger than');
    expect(large.body.code).toBe('file_too_large');
    const infected = await upload(url, undefined, CASE, { kind: 'photo' }, { name: 'eicar.png', bytes: PNG_1PX });
    expect([infected.status, infected.body.field]).toEqual([422, 'file']);
    expect(String(infected.body.detail)).toContain('Eicar-Test-Signature');
    expect(infected.body.code).toBe('file_infected');
    expect(await stored()).toEqual(before);
    // the same router stores a clean, small file: the refusals above were the limit's and the scanner's
    const clean = await upload(url, undefined, CASE, { kind: 'photo' }, { name: 'clean.png', bytes: PNG_1PX });
    expect(clean.status).toBe(201);
    expect(scanned).toEqual(['eicar.png', 'clean.png']);
    expect(await stored()).toEqual({ engine: before.engine + 1, versions: before.versions + 1 });
  });
});
