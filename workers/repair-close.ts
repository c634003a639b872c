import { repairWorker } from './support/repair-job.js';

/** repair-close: the ticket is closed after the call-backs, reached or out of attempts. */
export default repairWorker('repair-close', async (service, v, change) => {
  const closed = await service.closeTicket(
    String(v.ticketNo),
    v.callbackReached === true ? 'reached' : 'unreached',
    change,
  );
  return { closeReason: closed.closeReason };
});
