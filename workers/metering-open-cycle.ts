import { meteringWorker } from './support/metering-job.js';

/** meter-reading-cycle: the book's cycle for the period and its reading orders in route order. */
export default meteringWorker('metering-open-cycle', async (service, v, change) => {
  const cycle = await service.openCycle({ bookCode: v.bookCode, period: v.period, deadline: v.deadline }, change);
  return {
    cycleId: cycle.cycleId,
    period: cycle.period,
    deadline: cycle.deadline,
    orderCount: cycle.orders,
    checkInterval: v.checkInterval ?? 'PT1H',
  };
});
