import { meteringWorker } from './support/metering-job.js';
import type { CycleException } from '../domain/metering/service.js';

/** meter-reading-cycle: applies the clerk's decision (confirm / correct / estimate) on one exception. */
export default meteringWorker('metering-resolve-reading', async (service, v, change) => {
  const r = await service.resolveException(
    String(v.period),
    v.exception as CycleException,
    { decision: v.decision, correctedReading: v.correctedReading, note: v.note },
    change,
  );
  return { resolution: { readingId: r.id, status: r.status, reading: r.reading, estimated: r.estimated } };
});
