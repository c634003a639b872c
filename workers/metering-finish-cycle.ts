import { meteringWorker } from './support/metering-job.js';

/** meter-reading-cycle: the cycle is closed; its counts go back to the process. */
export default meteringWorker('metering-finish-cycle', async (service, v, change) => {
  const done = await service.finishCycle(Number(v.cycleId), change);
  return { summary: done };
});
