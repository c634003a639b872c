import { pdfText } from '../support/pdf-text.js';
import { eventually } from '../support/records.js';
import { startRepairApp, upload } from '../support/repair-app.js';
import type { ApiSession, TestAquaflow } from '../support/aquaflow.js';
import { openRepairAccount } from './repair-fixtures.js';

// The repair API against the whole app (engine, workers, processes deployed): every route's roles, the call
// centre's intake with its refusals, dispatch through the inbox, the printed work order, the crew's field page.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'auditor', 'admin'];
let accountNo: string;

beforeAll(async () => {
  t = await startRepairApp();
  for (const u of ROLES) s[u] = await t.signIn(u);
  accountNo = await openRepairAccount(t.db.knex, '陈小明');
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const call = (extra: Record<string, unknown> = {}) => ({
  accountNo,
  category: 'leak',
  urgency: 'normal',
  description: '<img src=x onerror=alert(1)> 楼道水管漏水',
  contactPhone: '13912345678',
  ...extra,
});

async function taskOf(pi: string, elementId: string) {
  return eventually(async () => {
    const r = await s.manager.call('GET', '/api/tasks?view=all&process=repair-ticket&limit=200');
    return (r.body.items as Array<Record<string, string>>).find(
      (x) => x.processInstanceKey === pi && x.elementId === elementId,
    );
  });
}

describe('role matrix of /api/repair', () => {
  test('each route answers its roles and refuses every other with 403', async () => {
    const created = await s.clerk.call('POST', '/api/repair/tickets', call({ category: 'other' }));
    const ticketNo = created.body.ticketNo as string;
    // [method, path, body, roles that may]
    const matrix: Array<[string, string, unknown, string[]]> = [
      ['GET', '/api/repair/meta', undefined, ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor']],
      [
        'GET',
        `/api/repair/accounts/${accountNo}`,
        undefined,
        ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor'],
      ],
      ['POST', '/api/repair/tickets', { category: 'nonsense' }, ['clerk', 'manager', 'admin']],
      ['GET', `/api/repair/duplicates?accountNo=${accountNo}`, undefined, ['clerk', 'manager', 'admin']],
      ['GET', '/api/repair/tickets', undefined, ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor']],
      [
        'GET',
        `/api/repair/tickets/${ticketNo}`,
        undefined,
        ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor'],
      ],
      ['GET', `/api/repair/tickets/${ticketNo}/work-order.pdf`, undefined, ['dispatcher', 'crew', 'manager', 'admin']],
      ['GET', '/api/repair/photos/999999', undefined, ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor']],
      ['GET', '/api/repair/statistics', undefined, ['dispatcher', 'manager', 'admin', 'auditor']],
      ['POST', `/api/repair/tickets/${ticketNo}/dispatch`, { crew: 'nobody' }, ['dispatcher', 'manager', 'admin']],
      ['GET', '/api/repair/work-orders/mine', undefined, ['crew', 'manager', 'admin']],
      ['POST', '/api/repair/work-orders/999999/arrival', {}, ['crew', 'manager', 'admin']],
      ['POST', '/api/repair/work-orders/999999/photos', {}, ['crew', 'manager', 'admin']],
      ['POST', '/api/repair/work-orders/999999/complete', {}, ['crew', 'manager', 'admin']],
    ];
    let refused = 0;
    for (const [method, path, body, allowed] of matrix) {
      for (const role of ROLES) {
        const r = await s[role].call(method, path, body);
        if (allowed.includes(role)) expect([role, method, path, r.status === 403]).toEqual([role, method, path, false]);
        else {
          expect([role, method, path, r.status]).toEqual([role, method, path, 403]);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(40);
    const anonymous = await fetch(`${t.app.url}/api/repair/tickets`);
    expect(anonymous.status).toBe(401);
  });
});

describe('call centre → dispatcher → crew → service centre', () => {
  test("the dispatcher's screen dispatches once, names the dispatcher on the work order, refuses a non-crew", async () => {
    const created = await s.clerk.call('POST', '/api/repair/tickets', call({ category: 'meter_fault' }));
    const { ticketNo, processInstanceKey: pi } = created.body as Record<string, string>;
    await taskOf(pi, 'dispatch');
    const path = `/api/repair/tickets/${ticketNo}/dispatch`;
    expect((await s.dispatcher.call('POST', path, { crew: 'clerk' })).body).toMatchObject({
      status: 422,
      field: 'crew',
    });
    expect((await s.dispatcher.call('POST', path, {})).body).toMatchObject({ status: 422, field: 'crew' });
    expect((await s.dispatcher.call('POST', path, { crew: 'crew', instructions: '换表' })).status).toBe(202);
    await taskOf(pi, 'field-work');
    expect((await s.dispatcher.call('POST', path, { crew: 'crew' })).status).toBe(409);
    const ticket = (await s.dispatcher.call('GET', `/api/repair/tickets/${ticketNo}`)).body as Record<string, never>;
    expect(ticket.workOrders).toEqual([expect.objectContaining({ crew: 'crew', assignedBy: 'dispatcher' })]);
    const pdf = await fetch(`${t.app.url}/api/repair/tickets/${ticketNo}/work-order.pdf`, {
      headers: { Cookie: s.manager.cookie },
    });
    const [page] = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(page).toMatch(/派工人 Dispatched\s*by\s*dispatcher/);
  });

  test('intake: 422 naming the field and nothing saved; duplicates warn; script text stays text', async () => {
    const before = (await s.clerk.call('GET', '/api/repair/tickets?limit=200')).body.items as unknown[];
    const noPhone = await s.clerk.call('POST', '/api/repair/tickets', call({ contactPhone: '' }));
    expect(noPhone.status).toBe(422);
    expect(noPhone.body).toMatchObject({ field: 'contactPhone', detail: 'contactPhone: is required' });
    const badCategory = await s.clerk.call('POST', '/api/repair/tickets', call({ category: 'fire' }));
    expect(badCategory.body).toMatchObject({ status: 422, field: 'category' });
    const badQuery = await s.clerk.call('GET', '/api/repair/tickets?status=sleeping');
    expect(badQuery.status).toBe(400);
    expect((await s.clerk.call('GET', '/api/repair/tickets?limit=200')).body.items).toHaveLength(before.length);

    const context = await s.clerk.call('GET', `/api/repair/accounts/${accountNo}`);
    expect(context.body).toMatchObject({ customerName: '陈小明', supplyAddress: expect.stringContaining('和平街道') });
    expect(context.body.meters).toHaveLength(1);
    const dup = await s.clerk.call('POST', '/api/repair/tickets', call());
    expect(dup.status).toBe(201);
    expect(dup.body.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'duplicate' })]));
    const view = await s.clerk.call('GET', `/api/repair/tickets/${dup.body.ticketNo}`);
    expect(view.body.description).toBe('<img src=x onerror=alert(1)> 楼道水管漏水');
  });

  test('intake guards: the open tickets are told before a new one is taken; a submission repeated is one ticket', async () => {
    const earlier = await s.clerk.call('POST', '/api/repair/tickets', call({ category: 'water_quality' }));
    const open = (await s.clerk.call('GET', `/api/repair/duplicates?accountNo=${accountNo}`)).body.items as Array<{
      ticketNo: string;
    }>;
    const listed = (await s.clerk.call('GET', `/api/repair/tickets?accountNo=${accountNo}&limit=200`)).body
      .items as Array<{ ticketNo: string; status: string }>;
    expect(open.map((w) => w.ticketNo).sort()).toEqual(
      listed
        .filter((x) => x.status !== 'closed' && x.status !== 'cancelled')
        .map((x) => x.ticketNo)
        .sort(),
    );
    expect(open.map((w) => w.ticketNo)).toContain(earlier.body.ticketNo);
    expect((await s.clerk.call('GET', '/api/repair/duplicates?accountNo=nobody')).body).toMatchObject({
      status: 422,
      field: 'accountNo',
    });
    expect((await s.clerk.call('GET', '/api/repair/duplicates')).status).toBe(400);

    // a double click, or a retry after a lost answer: the same form's id posts once, with one process
    const submissionId = 'f3b9c2d4e5a6478899aabbccddeeff00';
    const [first, second] = await Promise.all([
      s.clerk.call('POST', '/api/repair/tickets', call({ submissionId, category: 'low_pressure' })),
      s.clerk.call('POST', '/api/repair/tickets', call({ submissionId, category: 'low_pressure' })),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.ticketNo).toBe(first.body.ticketNo);
    expect(second.body.processInstanceKey).toBe(first.body.processInstanceKey);
    const rows = await t.db.knex('cis.repair_tickets').where({ category: 'low_pressure' });
    expect(rows).toHaveLength(1);
    const instances = await t.client('admin').searchProcessInstances(
      {
        filter: {
          processDefinitionId: 'repair-ticket',
          variables: [{ name: 'ticketNo', value: JSON.stringify(first.body.ticketNo) }],
        },
      } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(instances.items).toHaveLength(1);
    const bad = await s.clerk.call('POST', '/api/repair/tickets', call({ submissionId: 'x' }));
    expect(bad.body).toMatchObject({ status: 400, errors: [{ field: 'submissionId' }] });
  });

  test('dispatch in the inbox prints the work order; the crew arrives, uploads photos, completes (twice: once)', async () => {
    const created = await s.clerk.call(
      'POST',
      '/api/repair/tickets',
      call({ category: 'no_water', urgency: 'urgent' }),
    );
    expect(created.status).toBe(201);
    const { ticketNo, processInstanceKey: pi } = created.body as Record<string, string>;
    const dispatch = await taskOf(pi, 'dispatch');
    expect((await s.dispatcher.call('POST', `/api/tasks/${dispatch.userTaskKey}/claim`)).status).toBe(204);
    const form = await s.dispatcher.call('GET', `/api/tasks/${dispatch.userTaskKey}`);
    expect(JSON.stringify(form.body)).toContain('crew');
    const done = await s.dispatcher.call('POST', `/api/tasks/${dispatch.userTaskKey}/complete`, {
      variables: { crew: 'crew', instructions: '先关总阀' },
    });
    expect(done.status).toBe(204);
    await taskOf(pi, 'field-work');

    const pdf = await fetch(`${t.app.url}/api/repair/tickets/${ticketNo}/work-order.pdf`, {
      headers: { Cookie: s.dispatcher.cookie },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const [page] = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(page).toContain(ticketNo);
    expect(page).toContain('派工单');
    expect(page).toContain('陈小明');
    expect(page).toContain('先关总阀');

    const mine = await s.crew.call('GET', '/api/repair/work-orders/mine');
    const wo = (mine.body.items as Array<Record<string, unknown>>).find((w) => w.ticketNo === ticketNo)!;
    expect(wo).toMatchObject({ status: 'assigned', category: 'no_water' });
    const id = wo.workOrderId;
    expect((await s.crew.call('POST', `/api/repair/work-orders/${id}/arrival`, {})).status).toBe(200);

    const url = `${t.app.url}/api/repair/work-orders/${id}/photos`;
    const bad = await upload(url, s.crew.cookie, [
      { name: 'site.jpg', bytes: JPEG },
      { name: '报告.pdf', bytes: new TextEncoder().encode('%PDF-1.4'), type: 'image/jpeg' },
    ]);
    expect(bad).toMatchObject({ status: 422, body: { field: 'photos[报告.pdf]' } });
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(JPEG);
    expect(await upload(url, s.crew.cookie, [{ name: 'huge.jpg', bytes: big }])).toMatchObject({
      status: 422,
      body: { field: 'photos[huge.jpg]' },
    });
    const good = await upload(url, s.crew.cookie, [{ name: 'site.jpg', bytes: JPEG }]);
    expect(good.status).toBe(201);

    const bodyIn = {
      result: '更换破损管段 <b>2m</b>',
      resolved: true,
      materials: [{ name: 'PPR 管 DN25', quantity: '2', unit: '米' }],
    };
    const missing = await s.crew.call('POST', `/api/repair/work-orders/${id}/complete`, { ...bodyIn, result: '' });
    expect(missing.body).toMatchObject({ status: 422, field: 'result' });
    const first = await s.crew.call('POST', `/api/repair/work-orders/${id}/complete`, bodyIn);
    expect(first.body).toMatchObject({ changed: true, taskCompleted: true });
    const again = await s.crew.call('POST', `/api/repair/work-orders/${id}/complete`, bodyIn);
    expect(again.body).toMatchObject({ changed: false, taskCompleted: false });

    const followUp = await taskOf(pi, 'follow-up');
    expect(followUp).toBeDefined();
    const ticket = (await s.clerk.call('GET', `/api/repair/tickets/${ticketNo}`)).body as Record<string, never>;
    expect(ticket).toMatchObject({ status: 'completed', crew: 'crew' });
    expect(ticket.results).toEqual([
      expect.objectContaining({
        result: '更换破损管段 <b>2m</b>',
        materials: [{ name: 'PPR 管 DN25', quantity: '2.000', unit: '米' }],
      }),
    ]);
    const [order] = ticket.workOrders as Array<Record<string, never>>;
    expect((order.prints as Array<Record<string, string>>).map((p) => p.reason)).toEqual(['assigned', 'reprint']);
    const photos = order.photos as Array<Record<string, number>>;
    expect(photos).toHaveLength(1);
    const img = await fetch(`${t.app.url}/api/repair/photos/${photos[0].id}`, {
      headers: { Cookie: s.auditor.cookie },
    });
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(JPEG);

    const stats = await s.manager.call('GET', '/api/repair/statistics');
    expect(stats.body.byCategoryStatus).toEqual(
      expect.arrayContaining([{ category: 'no_water', status: 'completed', count: 1 }]),
    );
    const steps = stats.body.steps as Array<Record<string, unknown>>;
    // Two tickets were dispatched in this file (one from the dispatcher's screen), one worked in the field.
    expect(steps.find((x) => x.step === 'dispatch')).toMatchObject({ count: 2 });
    expect(steps.find((x) => x.step === 'field-work')).toMatchObject({ count: 1 });
    expect(stats.body.perCrew).toEqual([expect.objectContaining({ crew: 'crew', workOrders: 2, completed: 1 })]);
  });
});
