import type { Knex } from 'knex';
import type { CaseRecord } from '../../../contracts/case-record.js';
import { findCase } from '../records.js';
import { caseView } from '../views.js';
import { assembleRecord } from './assemble.js';
import { workingMs } from './calendar.js';
import { escalationsOf } from './escalations.js';
import { documentsOf, feesOf } from './facts.js';
import { loadCalendar } from './settings.js';
import type { EngineStep, InstanceSpan } from './steps.js';

/**
 * The case record: the case row, its steps as the engine recorded them (read by the caller through the client and
 * handed in, in the order the case moved), escalations, every document version, fees and payments. Times are
 * measured on the utility's working calendar; running steps and open cases up to `now`. `span` is the case's
 * process instance's start and end.
 */
export async function caseRecord(
  knex: Knex,
  caseNo: string,
  steps: EngineStep[],
  span: InstanceSpan | null = null,
  now: Date = new Date(),
): Promise<CaseRecord> {
  const row = await findCase(knex, caseNo);
  const [view, cal, escalations, documents, money] = await Promise.all([
    caseView(knex, caseNo),
    loadCalendar(knex),
    escalationsOf(knex, row.id as string),
    documentsOf(knex, row.id as string),
    feesOf(knex, row.id as string),
  ]);
  const assembled = assembleRecord(steps, escalations, cal, now);
  // The case's own time is its process's (the clock the steps are measured on); the case row's without one.
  const start = span?.startedAt ?? view.createdAt;
  const endIso = span ? span.endedAt : view.closedAt;
  const end = endIso ? new Date(endIso) : now;
  return {
    case: view,
    steps: assembled.steps,
    escalations: assembled.escalations,
    documents,
    fees: money.fees,
    payments: money.payments,
    workingMs: workingMs(start, end, cal),
    elapsedMs: Math.max(0, end.getTime() - Date.parse(start)),
    timeZone: cal.timeZone,
  };
}
