import { meteringWorker } from './support/metering-job.js';

/** meter-reading-cycle: open orders become missed; doubtful and missing readings go to the clerks. */
export default meteringWorker('metering-close-cycle', async (service, v, change) => {
  const exceptions = await service.closeWindow(Number(v.cycleId), change);
  return { exceptions, exceptionCount: exceptions.length };
});
