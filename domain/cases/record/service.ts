import type { Knex } from 'knex';
import type { ChangeContext } from '../../audit/audit.js';
import { caseView } from '../views.js';
import { caseRecord } from './record.js';
import type { EngineStep, InstanceSpan } from './steps.js';
import { escalationsOf, recordEscalation, type EscalationInput } from './escalations.js';
import { loadCalendar, updateCalendar } from './settings.js';
import { periodFacts } from './statistics.js';

/**
 * The case record (M7): escalations of overdue steps (written by the `case-escalate` worker), the working
 * calendar, and the domain half of the record and the statistics (the engine half is read by the server through
 * the official client and handed in).
 */
export class CaseRecordService {
  constructor(private readonly knex: Knex) {}

  recordEscalation = (caseNo: string, input: EscalationInput, ctx: ChangeContext) =>
    recordEscalation(this.knex, caseNo, input, ctx);
  escalations = (caseId: string | number) => escalationsOf(this.knex, caseId);
  /** The case (404 when unknown), for its process instance key. */
  find = (caseNo: string) => caseView(this.knex, caseNo);
  calendar = () => loadCalendar(this.knex);
  updateCalendar = (input: unknown, ctx: ChangeContext) => updateCalendar(this.knex, input, ctx);
  periodFacts = (filter: unknown) => periodFacts(this.knex, filter);
  record = (caseNo: string, steps: EngineStep[], span?: InstanceSpan | null, now?: Date) =>
    caseRecord(this.knex, caseNo, steps, span ?? null, now);
}
