import type { Knex } from 'knex';
import { DEFAULT_CALENDAR, type WorkCalendar } from './calendar.js';

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** The utility's working calendar (one row; the defaults when a database predates it). */
export async function loadCalendar(knex: Knex): Promise<WorkCalendar> {
  const row = await knex('cis.case_work_calendar').where({ id: 1 }).first();
  if (!row) return DEFAULT_CALENDAR;
  return {
    timeZone: row.time_zone as string,
    periods: row.periods as Array<[string, string]>,
    weekdays: (row.weekdays as number[]).map(Number),
    // date[] comes back as text dates (pg parses date as a local Date only for scalar columns)
    holidays: ((row.holidays as unknown[]) ?? []).map(day),
    extraWorkdays: ((row.extra_workdays as unknown[]) ?? []).map(day),
  };
}
