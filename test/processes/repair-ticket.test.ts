import { pdfText } from '../support/pdf-text.js';
import { elementsWith, eventually } from '../support/records.js';
import { startRepairHarness, type RepairHarness } from './repair-harness.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let h: RepairHarness;

beforeAll(async () => {
  h = await startRepairHarness();
}, 60000);
afterAll(async () => {
  await h?.stop();
});

const ticketRow = (ticketNo: string) => h.t.db.knex('cis.repair_tickets').where({ ticket_no: ticketNo }).first();

describe('repair-ticket: call → dispatch → work order → field → service centre → call-backs', () => {
  test('full path: the crew records the result on its page, two unanswered calls, then a satisfied customer', async () => {
    const { pi, ticketNo } = await h.startTicket();
    const dispatch = await h.task(pi, 'dispatch');
    expect(dispatch.candidateGroups).toEqual(['dispatcher']);
    expect(Date.parse(dispatch.dueDate!)).toBe(Date.parse((await h.variables(pi)).dispatchDue as string));
    await h.complete(pi, 'dispatch', { crew: 'crew.wang', instructions: '带 DN20 阀门' });

    // Assigned: the work order is printed (kept as PDF, first print logged) and the crew has the field task.
    const field = await h.task(pi, 'field-work');
    expect(field).toMatchObject({ assignee: 'crew.wang', candidateGroups: ['crew'] });
    const { workOrderId } = await h.variables(pi);
    const wo = await h.t.db.knex('cis.repair_work_orders').where({ id: workOrderId }).first();
    expect(wo).toMatchObject({ crew: 'crew.wang', status: 'assigned', instructions: '带 DN20 阀门' });
    const [page] = await pdfText(wo.pdf);
    expect(page).toContain(ticketNo);
    expect(page).toContain('派工单');
    expect(page).toContain('crew.wang');
    expect(page).toContain('和平街道');
    const prints = await h.t.db.knex('cis.repair_work_order_prints').where({ work_order_id: workOrderId });
    expect(prints.map((p) => p.reason)).toEqual(['assigned']);

    // The crew's page: arrival and result through the domain, then the task is completed.
    await h.service.recordArrival(workOrderId as number, undefined, { actor: 'crew.wang' });
    await h.service.completeWorkOrder(
      workOrderId as number,
      { result: '更换表前阀门', materials: [{ name: '阀门 DN20', quantity: 1, unit: '个' }] },
      { actor: 'crew.wang' },
    );
    await h.complete(pi, 'field-work', { result: '更换表前阀门', resolved: true });

    // Back at the service centre: the follow-up task for the agents, with the result.
    const followUp = await h.task(pi, 'follow-up');
    expect(followUp.candidateGroups).toEqual(['clerk']);
    const vars = await h.variables(pi);
    expect(vars).toMatchObject({ result: '更换表前阀门', resolved: true, completedAt: expect.any(String) });
    expect(await h.t.db.knex('cis.repair_results').where({ work_order_id: workOrderId })).toHaveLength(1);
    await h.complete(pi, 'follow-up', { followUpNote: '已告知用户' });

    // The call-back waits for the configured delay after completion (P3D).
    await h.advance(2 * DAY);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.openTasks(pi, 'callback')).toHaveLength(0);
    await h.advance(DAY + HOUR);
    await h.complete(pi, 'callback', { reached: false, callbackNotes: '无人接听' });
    await eventually(async () => (await h.variables(pi)).callbackAttempts === 1);
    // Unreached: the next call a day later (P1D).
    await h.advance(DAY + HOUR);
    await h.complete(pi, 'callback', { reached: false, callbackNotes: '关机' });
    await eventually(async () => (await h.variables(pi)).callbackAttempts === 2);
    await h.advance(DAY + HOUR);
    // Reached without a score: the record is refused and the form comes back naming the field.
    await h.complete(pi, 'callback', { reached: true, satisfaction: null, callbackNotes: '' });
    await eventually(async () => (await h.variables(pi)).problemField === 'satisfaction');
    await h.complete(pi, 'callback', { reached: true, satisfaction: '4', callbackNotes: '维修及时' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');

    const ticket = await h.service.ticket(ticketNo);
    expect(ticket).toMatchObject({ status: 'closed', closeReason: 'reached' });
    expect(ticket.callbacks.map((c) => [c.attempt, c.reached, c.satisfaction, c.notes])).toEqual([
      [1, false, null, '无人接听'],
      [2, false, null, '关机'],
      [3, true, 4, '维修及时'],
    ]);
    expect(ticket.escalations).toEqual([]);
    const completed = await elementsWith(h.t.db.knex, pi, 'ELEMENT_COMPLETED');
    expect(completed.filter((e) => e === 'callback')).toHaveLength(4);
    expect(completed).toEqual(expect.arrayContaining(['assign-crew', 'record-result', 'close', 'closed']));
  });

  test('overdue dispatch and field work escalate to the managers (non-interrupting); unreached three times: closed', async () => {
    const { pi, ticketNo } = await h.startTicket({ urgency: 'urgent' }); // dispatch 2 h, field 12 h
    await h.task(pi, 'dispatch');
    await h.advance(2 * HOUR + 60_000);
    const escalated = await h.task(pi, 'dispatch-escalated');
    expect(escalated.candidateGroups).toEqual(['manager']);
    expect(await h.openTasks(pi, 'dispatch')).toHaveLength(1); // still there: the timer does not interrupt
    await h.complete(pi, 'dispatch-escalated', { escalationNote: '请尽快派工' });
    await h.complete(pi, 'dispatch', { crew: 'crew.wang' });
    await h.task(pi, 'field-work');
    await h.advance(10 * HOUR);
    await h.task(pi, 'field-escalated');
    expect(await h.openTasks(pi, 'field-work')).toHaveLength(1);
    expect((await h.service.ticket(ticketNo)).escalations.map((e) => e.step)).toEqual(['dispatch', 'field']);

    // The crew completes from the inbox form only: the result worker records it on the ticket.
    await h.complete(pi, 'field-work', { result: '管道冻裂，已更换', resolved: true });
    await h.complete(pi, 'follow-up', {});
    await h.advance(3 * DAY + HOUR);
    for (let call = 1; call <= 3; call++) {
      await h.complete(pi, 'callback', { reached: false, callbackNotes: `第${call}次未接通` });
      await eventually(async () => (await h.variables(pi)).callbackAttempts === call);
      await h.advance(DAY + HOUR);
    }
    await eventually(async () => (await h.openTasks(pi, 'field-escalated')).length === 1);
    await h.complete(pi, 'field-escalated', {});
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    const ticket = await h.service.ticket(ticketNo);
    expect(ticket).toMatchObject({ status: 'closed', closeReason: 'unreached' });
    expect(ticket.results).toEqual([
      expect.objectContaining({ result: '管道冻裂，已更换', recordedBy: 'worker:repair-record-result' }),
    ]);
    expect(ticket.callbacks.map((c) => c.reached)).toEqual([false, false, false]);
  });

  test('a crew that is not a crew sends the dispatch form back naming the field', async () => {
    const { pi } = await h.startTicket();
    await h.complete(pi, 'dispatch', { crew: 'nobody' });
    await eventually(async () => (await h.variables(pi)).problemField === 'crew');
    await h.task(pi, 'dispatch');
    expect(
      await h.t.db
        .knex('cis.repair_work_orders')
        .where({ ticket_id: (await ticketRow((await h.variables(pi)).ticketNo as string)).id }),
    ).toHaveLength(0);
  });
});
