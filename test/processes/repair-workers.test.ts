import repairAssignCrew from '../../workers/repair-assign-crew.js';
import { eventually } from '../support/records.js';
import { startRepairHarness, type RepairHarness } from './repair-harness.js';

// repair-assign-crew runs in this file's own worker, so the test can lose its first acknowledgement.
let h: RepairHarness;
let deliveries: string[] = [];
let worker: { stop(): void };

beforeAll(async () => {
  h = await startRepairHarness({ except: ['repair-assign-crew'] });
  const config = repairAssignCrew(h.workerCtx);
  worker = h.workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 1000,
    pollTimeoutMs: 500,
    jobHandler: async (job) => {
      deliveries.push(String(job.jobKey));
      // The first time the work is done and committed, then the acknowledgement is lost (crash, dropped
      // connection): the engine hands the same job out again once its deadline has passed.
      if (deliveries.length === 1) return config.jobHandler({ ...job, complete: () => job.ignore() });
      return config.jobHandler(job);
    },
  });
}, 60000);
afterAll(async () => {
  worker?.stop();
  await h?.stop();
});

test('a work-order job delivered twice assigns, prints and audits once', async () => {
  deliveries = [];
  const { pi, ticketNo } = await h.startTicket();
  await h.complete(pi, 'dispatch', { crew: 'crew.wang' });
  await eventually(async () => deliveries.length === 1);
  await new Promise((r) => setTimeout(r, 300));
  await h.advance(60_000); // the job's deadline passes on the engine's clock
  await h.task(pi, 'field-work');
  expect(deliveries).toHaveLength(2);
  expect(deliveries[0]).toBe(deliveries[1]);
  const ticket = await h.service.ticket(ticketNo);
  expect(ticket.workOrders).toHaveLength(1);
  expect(ticket.workOrders[0].prints).toHaveLength(1);
  const audit = await h.t.db.knex('cis.audit_log').where({ action: 'repair_crew_assigned', entity_id: ticketNo });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ task_key: deliveries[0], process_instance_key: pi });
  expect((await h.variables(pi)).workOrderId).toBe(ticket.workOrders[0].workOrderId);
});
