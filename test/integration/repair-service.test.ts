import { AccountsService } from '../../domain/accounts/service.js';
import { RepairError, RepairService } from '../../domain/repair/service.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { addCrew, openRepairAccount } from './repair-fixtures.js';

let db: TestDatabase;
let repair: RepairService;
const agent = { actor: 'clerk' };
const crew = { actor: 'crew.wang' };

beforeAll(async () => {
  db = await freshDatabase();
  repair = new RepairService(db.knex);
  await addCrew(db.knex, 'crew.wang');
  await addCrew(db.knex, 'crew.zhao');
});
afterAll(async () => {
  await db?.drop();
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof RepairError) return err;
    throw err;
  }
  throw new Error('accepted');
};

const call = (accountNo?: string, extra: Record<string, unknown> = {}) => ({
  accountNo,
  category: 'leak',
  description: '表前阀门漏水 <script>alert(1)</script>',
  contactName: '张三',
  contactPhone: '139 1234 5678',
  urgency: 'urgent',
  ...extra,
});

describe('repair tickets', () => {
  test('a call becomes a numbered ticket with the account address and due dates from the urgency', async () => {
    const accountNo = await openRepairAccount(db.knex);
    const t = await repair.createTicket(call(accountNo), agent);
    expect(t.ticketNo).toMatch(/^RT-\d{8}-\d{4}$/);
    expect(t.supplyAddress).toContain('和平街道');
    expect(t.warnings).toEqual([]);
    expect(t.accountClosed).toBe(false);
    // urgent: dispatch within 2 h, field work within 12 h (cis.repair_sla)
    expect(Date.parse(t.fieldDueAt) - Date.parse(t.dispatchDueAt)).toBe(10 * 3600_000);
    const view = await repair.ticket(t.ticketNo);
    expect(view.description).toBe('表前阀门漏水 <script>alert(1)</script>');
    expect(view.contactPhone).toBe('13912345678');
    expect(view.meters).toHaveLength(1);
    const audit = await db.knex('cis.audit_log').where({ entity: 'repair_ticket', entity_id: t.ticketNo });
    expect(audit.map((a) => a.action)).toEqual(['repair_ticket_created']);
  });

  test('a second call for the same account or premise is taken, with the open ticket as a warning', async () => {
    const accountNo = await openRepairAccount(db.knex, '李四');
    const first = await repair.createTicket(call(accountNo), agent);
    const second = await repair.createTicket(call(accountNo, { category: 'low_pressure' }), agent);
    expect(second.warnings).toEqual([
      expect.objectContaining({ code: 'duplicate', ticketNo: first.ticketNo, matchedBy: 'account', status: 'open' }),
    ]);
    expect((await repair.ticket(second.ticketNo)).duplicateOf).toEqual([first.ticketNo]);
  });

  test('a closed account is allowed and flagged; missing phone, unknown account or urgency are 422 naming the field', async () => {
    const accountNo = await openRepairAccount(db.knex, '王五');
    await new AccountsService(db.knex).closeAccount(accountNo, { reason: 'demolition' }, { actor: 'test' });
    const flagged = await repair.createTicket(call(accountNo), agent);
    expect(flagged.accountClosed).toBe(true);

    const before = await db.knex('cis.repair_tickets').count({ n: '*' }).first();
    const noPhone = await refusal(repair.createTicket(call(accountNo, { contactPhone: undefined }), agent));
    expect(noPhone).toMatchObject({ status: 422, field: 'contactPhone' });
    expect(await refusal(repair.createTicket(call(accountNo, { contactPhone: '12' }), agent))).toMatchObject({
      field: 'contactPhone',
    });
    expect(await refusal(repair.createTicket(call('NOPE-1'), agent))).toMatchObject({ field: 'accountNo' });
    expect(await refusal(repair.createTicket(call(accountNo, { urgency: 'yesterday' }), agent))).toMatchObject({
      field: 'urgency',
    });
    expect(await refusal(repair.createTicket(call(accountNo, { category: 'fire' }), agent))).toMatchObject({
      field: 'category',
    });
    expect(await refusal(repair.createTicket(call(undefined), agent))).toMatchObject({ field: 'supplyAddress' });
    expect(await db.knex('cis.repair_tickets').count({ n: '*' }).first()).toEqual(before);
    // Without an account: the address the caller gives.
    const street = await repair.createTicket(call(undefined, { supplyAddress: '解放路与人民路口消防栓' }), agent);
    expect(street).toMatchObject({ accountNo: null, supplyAddress: '解放路与人民路口消防栓', warnings: [] });
  });
});

describe('work orders, field results, call-backs', () => {
  test('dispatch → arrival → photos → completion (twice: one effect) → call-backs → closed', async () => {
    const accountNo = await openRepairAccount(db.knex, '赵六');
    const t = await repair.createTicket(call(accountNo), agent);
    expect(await refusal(repair.assignCrew(t.ticketNo, { crew: 'clerk' }, { actor: 'dispatcher' }))).toMatchObject({
      field: 'crew',
    });
    const wo = await repair.assignCrew(
      t.ticketNo,
      { crew: 'crew.wang', instructions: '带管钳' },
      { actor: 'dispatcher' },
    );
    expect((await repair.ticket(t.ticketNo)).workOrders[0].prints).toEqual([
      expect.objectContaining({ printedBy: 'dispatcher', reason: 'assigned' }),
    ]);
    await repair.logPrint(wo.workOrderId, 'dispatcher');

    // Only the assigned crew works it.
    expect(await refusal(repair.recordArrival(wo.workOrderId, undefined, { actor: 'crew.zhao' }))).toMatchObject({
      status: 409,
    });
    const arrived = await repair.recordArrival(wo.workOrderId, undefined, crew);
    expect(await repair.recordArrival(wo.workOrderId, undefined, crew)).toEqual(arrived);

    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const bad = await refusal(
      repair.addPhotos(
        wo.workOrderId,
        [
          { fileName: 'ok.jpg', bytes: jpeg },
          { fileName: 'notes.txt', bytes: new TextEncoder().encode('hello') },
        ],
        crew,
      ),
    );
    expect(bad).toMatchObject({ status: 422, field: 'photos[notes.txt]' });
    expect(await db.knex('cis.repair_photos').where({ work_order_id: wo.workOrderId })).toHaveLength(0);
    await repair.addPhotos(wo.workOrderId, [{ fileName: 'ok.jpg', bytes: jpeg }], crew);

    const result = {
      result: '更换表前阀门',
      resolved: true,
      materials: [{ name: '表前阀门 DN20', quantity: 1, unit: '个' }],
    };
    expect(
      await refusal(
        repair.completeWorkOrder(wo.workOrderId, { ...result, materials: [{ name: 'x', quantity: -1 }] }, crew),
      ),
    ).toMatchObject({ field: 'materials.0.quantity' });
    const [a, b] = await Promise.all([
      repair.completeWorkOrder(wo.workOrderId, result, crew),
      repair.completeWorkOrder(wo.workOrderId, result, crew),
    ]);
    expect([a.changed, b.changed].sort()).toEqual([false, true]);
    expect(await db.knex('cis.repair_results').where({ work_order_id: wo.workOrderId })).toHaveLength(1);
    expect(await db.knex('cis.repair_materials')).toHaveLength(1);

    expect(await refusal(repair.recordCallback(t.ticketNo, { reached: true }, agent))).toMatchObject({
      field: 'satisfaction',
    });
    const job = { actor: 'worker:repair-record-callback', idempotencyKey: 'job:1' };
    expect(await repair.recordCallback(t.ticketNo, { reached: false, notes: '无人接听' }, job)).toMatchObject({
      attempt: 1,
    });
    expect(await repair.recordCallback(t.ticketNo, { reached: false, notes: '无人接听' }, job)).toMatchObject({
      attempt: 1,
    });
    expect(
      await repair.recordCallback(
        t.ticketNo,
        { reached: true, satisfaction: 5, notes: '满意' },
        { ...job, idempotencyKey: 'job:2' },
      ),
    ).toMatchObject({ attempt: 2, satisfaction: 5 });
    await repair.closeTicket(t.ticketNo, 'reached', agent);
    await repair.closeTicket(t.ticketNo, 'reached', agent);

    const view = await repair.ticket(t.ticketNo);
    expect(view).toMatchObject({ status: 'closed', closeReason: 'reached', crew: 'crew.wang' });
    expect(view.workOrders[0].prints.map((p) => p.reason)).toEqual(['assigned', 'reprint']);
    expect(view.workOrders[0].photos).toEqual([
      expect.objectContaining({ fileName: 'ok.jpg', contentType: 'image/jpeg' }),
    ]);
    expect(view.results[0]).toMatchObject({
      result: '更换表前阀门',
      materials: [{ name: '表前阀门 DN20', quantity: '1.000' }],
    });
    expect(view.callbacks.map((c) => [c.attempt, c.reached, c.satisfaction])).toEqual([
      [1, false, null],
      [2, true, 5],
    ]);
    // Append-only facts.
    await expect(db.knex('cis.repair_callbacks').where({ ticket_id: view.ticketId }).del()).rejects.toThrow(
      /append-only/,
    );

    const stats = await repair.statistics({});
    expect(stats.satisfaction).toMatchObject({ calls: 2, reached: 1, scored: 1, mean: 5 });
    expect(stats.perCrew).toEqual([expect.objectContaining({ crew: 'crew.wang', workOrders: 1, completed: 1 })]);
    expect(stats.byCategoryStatus).toEqual(expect.arrayContaining([{ category: 'leak', status: 'closed', count: 1 }]));
    const context = await repair.accountContext(accountNo);
    expect(context.history.map((h) => h.ticketNo)).toEqual([t.ticketNo]);
    expect(context.meters).toHaveLength(1);
  });
});
