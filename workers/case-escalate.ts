import { CasesError } from '../domain/cases/errors.js';
import { CaseRecordService } from '../domain/cases/record/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * case-escalate: a case step's non-interrupting timer fired (the step is overdue). Task header `step` names the
 * overdue element; `group` its candidate group and, where the model knows one, `assignee` (a header, or the
 * variable a header `assigneeVariable` names). The job key makes it once per firing. Success leaves `problem` alone:
 * the escalation runs beside the step whose form may be showing one.
 */
export default domainWorker(
  'case-escalate',
  { service: (knex) => new CaseRecordService(knex), refusal: CasesError, clearsProblem: false },
  async (service, v, change, job) => {
    const headers = (job.customHeaders ?? {}) as Record<string, unknown>;
    const fromVariable = given(headers.assigneeVariable);
    const assignee = given(headers.assignee) ?? (fromVariable ? given(v[fromVariable]) : undefined);
    await service.recordEscalation(
      String(v.caseNo),
      { step: given(headers.step) ?? '', assignee, candidateGroup: given(headers.group) },
      change,
    );
    return {};
  },
);
