import { given, repairWorker } from './support/repair-job.js';

/** repair-record-callback: every call to the customer is a record, reached or not. */
export default repairWorker('repair-record-callback', async (service, v, change) => {
  const satisfaction = given(v.satisfaction);
  const reached = v.reached === true;
  const record = await service.recordCallback(
    String(v.ticketNo),
    {
      reached,
      satisfaction: reached && satisfaction !== undefined ? Number(satisfaction) : null,
      notes: given(v.callbackNotes) ?? '',
    },
    change,
  );
  return { callbackAttempts: record.attempt, callbackReached: record.reached, problem: null, problemField: null };
});
