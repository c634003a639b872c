import { CronExpressionParser, type CronExpression } from 'cron-parser';

/**
 * Cron cycles as Zeebe reads them (Spring's CronExpression): exactly six fields
 * `second minute hour day-of-month month day-of-week`, or one of Spring's macros. `?`, ranges, lists, steps,
 * month and weekday names, `L` and `#` work; `W` and cron-parser's random `H` are not supported. Spring requires
 * both day fields to match when both are restricted (classic cron takes either): emulated here. Times are UTC.
 */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

const NAMES = /MON|TUE|WED|THU|FRI|SAT|SUN|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC/gi;

// Spring cannot skip more than this many days looking for a day that matches both day fields.
const MAX_DAYS_SEARCHED = 366 * 28;

export interface Cron {
  text: string;
  /** First occurrence strictly after `after`, or null if none exists. */
  next(after: Date): Date | null;
}

export function parseCron(text: string): { ok: true; cron: Cron } | { ok: false; message: string } {
  const source = text.trim();
  const expression = MACROS[source.toLowerCase()] ?? source;
  const fields = expression.split(/\s+/);
  if (expression.startsWith('@')) return invalid(source, `unknown macro '${source}'`);
  if (fields.length !== 6) return invalid(source, `a cron expression has 6 fields, found ${fields.length}`);
  if (fields.some((field) => /H/i.test(field.replace(NAMES, '')))) return invalid(source, "'H' is not supported");
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const restricted = (field: string) => field !== '*' && field !== '?';
  try {
    if (!(restricted(dayOfMonth) && restricted(dayOfWeek))) {
      const parsed = parse(expression);
      return { ok: true, cron: { text: source, next: (after) => nextOf(parsed, after) } };
    }
    const byDayOfMonth = parse([second, minute, hour, dayOfMonth, month, '*'].join(' '));
    const byDayOfWeek = parse([second, minute, hour, '*', month, dayOfWeek].join(' '));
    return { ok: true, cron: { text: source, next: (after) => nextOfBoth(byDayOfMonth, byDayOfWeek, after) } };
  } catch (error) {
    return invalid(source, (error as Error).message);
  }
}

function invalid(text: string, reason: string): { ok: false; message: string } {
  return { ok: false, message: `Invalid cron expression '${text}': ${reason}.` };
}

function parse(expression: string): CronExpression {
  return CronExpressionParser.parse(expression, { tz: 'UTC' });
}

function nextOf(expression: CronExpression, after: Date): Date | null {
  expression.reset(after);
  return expression.hasNext() ? expression.next().toDate() : null;
}

/** Candidates come from the day-of-month expression; a day whose weekday does not match is skipped whole. */
function nextOfBoth(byDayOfMonth: CronExpression, byDayOfWeek: CronExpression, after: Date): Date | null {
  let from = after;
  for (let day = 0; day < MAX_DAYS_SEARCHED; day++) {
    const candidate = nextOf(byDayOfMonth, from);
    if (!candidate) return null;
    if (byDayOfWeek.includesDate(candidate)) return candidate;
    const endOfDay = new Date(candidate);
    endOfDay.setUTCHours(23, 59, 59, 999);
    from = endOfDay;
  }
  return null;
}
