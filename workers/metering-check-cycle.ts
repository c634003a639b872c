import { meteringWorker } from './support/metering-job.js';

/** meter-reading-cycle: has every order of the book a reading yet (any channel)? Reads only. */
export default meteringWorker('metering-check-cycle', async (service, v) => {
  const p = await service.cycleProgress(Number(v.cycleId));
  return { bookRead: p.bookRead, readCount: p.read, openCount: p.open, pendingCount: p.pending };
});
