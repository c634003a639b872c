import { MeteringError, MeteringService } from '../domain/metering/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * case-connection-first-reading: the first reading of the new meter, recorded as every reading is (the rules
 * judge it). Its external reference is the case, so a job delivered twice records it once.
 */
export default domainWorker(
  'case-connection-first-reading',
  { service: (knex) => new MeteringService(knex), refusal: MeteringError, clearsProblem: true },
  async (service, v, change) => {
    const reading = await service.record(
      {
        accountNo: String(v.accountNo),
        reading: String(v.firstReading),
        readAt: given(v.firstReadAt),
        source: 'manual',
        reader: given(v.firstReadBy),
        note: `新装 ${String(v.caseNo)} 首次抄表`,
        externalRef: `case:${String(v.caseNo)}:first-reading`,
      },
      change,
    );
    return { firstReadingId: reading.id, firstReadingStatus: reading.status };
  },
);
