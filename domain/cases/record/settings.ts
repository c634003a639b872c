import type { Knex } from 'knex';
import { z } from 'zod';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals } from '../errors.js';
import { parse } from '../schemas.js';
import { DEFAULT_CALENDAR, type WorkCalendar } from './calendar.js';

// node-postgres reads a date as local midnight: its calendar day is in local terms, not UTC.
const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: unknown) =>
  d instanceof Date ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : String(d).slice(0, 10);

/** The utility's working calendar (one row; the defaults when a database predates it). */
export async function loadCalendar(knex: Knex): Promise<WorkCalendar> {
  const row = await knex('cis.case_work_calendar').where({ id: 1 }).first();
  if (!row) return DEFAULT_CALENDAR;
  return {
    timeZone: row.time_zone as string,
    periods: row.periods as Array<[string, string]>,
    weekdays: (row.weekdays as number[]).map(Number),
    holidays: ((row.holidays as unknown[]) ?? []).map(day),
    extraWorkdays: ((row.extra_workdays as unknown[]) ?? []).map(day),
  };
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is a time HH:MM');
const isoDate = z.iso.date();

/** The calendar as a manager edits it: a real time zone, periods in order without overlap, ISO weekdays. */
export const CalendarInput = z
  .object({
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not a known time zone'),
    periods: z
      .array(z.tuple([hhmm, hhmm]))
      .min(1)
      .max(6),
    weekdays: z.array(z.number().int().min(1).max(7)).max(7),
    holidays: z.array(isoDate).max(400).default([]),
    extraWorkdays: z.array(isoDate).max(400).default([]),
  })
  .superRefine((v, ctx) => {
    v.periods.forEach(([a, b], i) => {
      if (a >= b) ctx.addIssue({ code: 'custom', path: ['periods', i], message: 'ends before it starts' });
      if (i > 0 && a < v.periods[i - 1][1])
        ctx.addIssue({ code: 'custom', path: ['periods', i], message: 'overlaps the period before it' });
    });
  });

/** Replaces the working calendar (one row), with an audit row of before and after. */
export async function updateCalendar(knex: Knex, input: unknown, ctxIn: ChangeContext): Promise<WorkCalendar> {
  const v = parse(CalendarInput, input);
  const next: WorkCalendar = { ...v, weekdays: [...new Set(v.weekdays)].sort((a, b) => a - b) };
  return inTransaction(knex, 'cases.updateCalendar', ctxIn, casesRefusals, async (trx, ctx) => {
    const before = await loadCalendar(trx);
    await trx('cis.case_work_calendar').insert({ id: 1 }).onConflict('id').ignore();
    await trx('cis.case_work_calendar')
      .where({ id: 1 })
      .update({
        time_zone: next.timeZone,
        periods: JSON.stringify(next.periods),
        weekdays: next.weekdays,
        holidays: next.holidays,
        extra_workdays: next.extraWorkdays,
        updated_by: ctx.actor,
        updated_at: trx.fn.now(),
      });
    await writeAudit(trx, ctx, [
      { action: 'case_calendar_updated', entity: 'case_work_calendar', entityId: 1, before, after: next },
    ]);
    return next;
  });
}
