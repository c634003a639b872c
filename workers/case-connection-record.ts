import { CasesError } from '../domain/cases/service.js';
import { ConnectionService } from '../domain/cases/connection/service.js';
import { domainWorker } from './support/domain-job.js';

/**
 * case-connection-record: what a step established, kept with the case — task header `step` (survey, works-order,
 * works-progress, acceptance, contract) and `fields`, the comma-separated variables the step's form filled.
 */
export default domainWorker(
  'case-connection-record',
  { service: (knex) => new ConnectionService(knex), refusal: CasesError, clearsProblem: true },
  async (service, v, change, job) => {
    const headers = (job.customHeaders ?? {}) as Record<string, unknown>;
    const fields = String(headers.fields ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const facts = Object.fromEntries(fields.filter((f) => v[f] !== undefined).map((f) => [f, v[f]]));
    await service.recordStep(String(v.caseNo), { step: headers.step, facts }, change);
    return {};
  },
);
