import type { Knex } from 'knex';
import { z } from 'zod';
import { CASE_TYPES, type CaseType } from '../../../contracts/cases.js';
import type { CaseStatistics, StepStatistics } from '../../../contracts/case-record.js';
import { parse } from '../schemas.js';
import { targetMs, workingMs, type WorkCalendar } from './calendar.js';
import { loadCalendar } from './settings.js';
import type { EngineStep, InstanceSpan } from './steps.js';

export const StatisticsFilter = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  caseType: z.enum(CASE_TYPES).optional(),
});
export type StatisticsFilter = z.infer<typeof StatisticsFilter>;

/** A case of the period, as the engine half of the statistics needs it. */
export interface PeriodCase {
  caseType: CaseType;
  processInstanceKey: string | null;
  createdAt: string;
  closedAt: string | null;
  status: string;
}

/** Mean (rounded to the millisecond) and 90th percentile by nearest rank (the ⌈0.9·n⌉-th smallest). */
export function meanAndP90(values: number[]): { avg: number | null; p90: number | null } {
  if (!values.length) return { avg: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const avg = Math.round(sorted.reduce((s, v) => s + v, 0) / sorted.length);
  return { avg, p90: sorted[Math.ceil(0.9 * sorted.length) - 1] };
}

/** Cases opened in [from, to) of the type (set-based: the period's rows, one query each). */
function period(knex: Knex, f: StatisticsFilter) {
  const q = knex('cis.cases as c');
  if (f.from) q.where('c.created_at', '>=', f.from);
  if (f.to) q.where('c.created_at', '<', f.to);
  if (f.caseType) q.where('c.case_type', f.caseType);
  return q;
}

/** The database half: counts by type and state, months, escalations, and the period's cases for the engine half. */
export async function periodFacts(knex: Knex, filterIn: unknown) {
  const f = parse(StatisticsFilter, filterIn);
  const cal = await loadCalendar(knex);
  const [byTypeAndStatus, monthly, escalations, cases] = await Promise.all([
    period(knex, f)
      .groupBy('c.case_type', 'c.status')
      .orderBy(['c.case_type', 'c.status'])
      .select('c.case_type', 'c.status', knex.raw('count(*)::int AS count')),
    knex
      .with('p', period(knex, f).select('c.case_type', 'c.created_at', 'c.closed_at'))
      .from(
        knex.raw(
          `(SELECT case_type, to_char(created_at AT TIME ZONE ?, 'YYYY-MM') AS month, 1 AS opened, 0 AS closed FROM p
            UNION ALL
            SELECT case_type, to_char(closed_at AT TIME ZONE ?, 'YYYY-MM'), 0, 1 FROM p WHERE closed_at IS NOT NULL) m`,
          [cal.timeZone, cal.timeZone],
        ),
      )
      .groupBy('month', 'case_type')
      .orderBy(['month', 'case_type'])
      .select('month', 'case_type', knex.raw('sum(opened)::int AS opened'), knex.raw('sum(closed)::int AS closed')),
    period(knex, f)
      .join('cis.case_escalations as e', 'e.case_id', 'c.id')
      .groupByRaw(`coalesce(e.candidate_group, '')`)
      .orderByRaw(`count(*) DESC, coalesce(e.candidate_group, '')`)
      .select(knex.raw(`coalesce(e.candidate_group, '') AS "group"`), knex.raw('count(*)::int AS count')),
    period(knex, f)
      .orderBy('c.id')
      .select('c.case_type', 'c.process_instance_key', 'c.created_at', 'c.closed_at', 'c.status'),
  ]);
  return {
    filter: f,
    calendar: cal,
    byTypeAndStatus: byTypeAndStatus.map((r) => ({
      caseType: r.case_type as CaseType,
      status: r.status as string,
      count: Number(r.count),
    })),
    monthly: monthly.map((r) => ({
      month: r.month as string,
      caseType: r.case_type as CaseType,
      opened: Number(r.opened),
      closed: Number(r.closed),
    })),
    escalationsByGroup: escalations.map((r) => ({ group: r.group as string, count: Number(r.count) })),
    cases: cases.map((r): PeriodCase => ({
      caseType: r.case_type as CaseType,
      processInstanceKey: (r.process_instance_key as string) ?? null,
      createdAt: new Date(r.created_at).toISOString(),
      closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      status: r.status as string,
    })),
  };
}

type Tally = { overdue: number; steps: number };
const tally = (m: Map<string, Tally>, key: string, overdue: boolean) => {
  const t = m.get(key) ?? { overdue: 0, steps: 0 };
  t.steps += 1;
  if (overdue) t.overdue += 1;
  m.set(key, t);
};

/**
 * The engine half, pure: per case type the working time of finished cases (their process, start to end); per step of the model
 * the working time of its completed runs and how many passed their target; overdue steps by candidate group
 * (department) and by the person who completed them. Running and terminated steps are not measured.
 */
export function stepStatistics(
  cases: PeriodCase[],
  stepsByInstance: Map<string, EngineStep[]>,
  cal: WorkCalendar,
  spans: Map<string, InstanceSpan> = new Map(),
): Pick<CaseStatistics, 'perCase' | 'perStep' | 'overdueByGroup' | 'overdueByPerson'> {
  const caseTimes = new Map<CaseType, number[]>();
  const stepTimes = new Map<
    string,
    { caseType: CaseType; elementId: string; name: string; ms: number[]; overdue: number }
  >();
  const groups = new Map<string, Tally>();
  const people = new Map<string, Tally>();
  for (const c of cases) {
    // a case's time is its process's, start to end (the clock its steps are measured on); the row's without one
    const span = (c.processInstanceKey && spans.get(c.processInstanceKey)) || null;
    const [start, end] = span ? [span.startedAt, span.endedAt] : [c.createdAt, c.closedAt];
    if (end) caseTimes.set(c.caseType, [...(caseTimes.get(c.caseType) ?? []), workingMs(start, end, cal)]);
    for (const s of (c.processInstanceKey && stepsByInstance.get(c.processInstanceKey)) || []) {
      if (s.state !== 'COMPLETED' || !s.endedAt) continue;
      const ms = workingMs(s.startedAt, s.endedAt, cal);
      const target = targetMs(s.target, cal);
      const overdue = target !== null && ms > target;
      const key = `${c.caseType}\u0000${s.elementId}`;
      const entry = stepTimes.get(key) ?? {
        caseType: c.caseType,
        elementId: s.elementId,
        name: s.name,
        ms: [],
        overdue: 0,
      };
      entry.ms.push(ms);
      if (overdue) entry.overdue += 1;
      stepTimes.set(key, entry);
      if (s.elementType !== 'USER_TASK') continue;
      for (const g of s.candidateGroups.length ? s.candidateGroups : ['']) tally(groups, g, overdue);
      tally(people, s.assignee ?? '', overdue);
    }
  }
  const rank = (m: Map<string, Tally>) =>
    [...m.entries()].sort((a, b) => b[1].overdue - a[1].overdue || a[0].localeCompare(b[0]));
  return {
    perCase: [...caseTimes.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([caseType, ms]) => {
        const { avg, p90 } = meanAndP90(ms);
        return { caseType, count: ms.length, avgWorkingMs: avg, p90WorkingMs: p90 };
      }),
    perStep: [...stepTimes.values()]
      .sort((a, b) => a.caseType.localeCompare(b.caseType))
      .map((e): StepStatistics => {
        const { avg, p90 } = meanAndP90(e.ms);
        return {
          caseType: e.caseType,
          elementId: e.elementId,
          name: e.name,
          count: e.ms.length,
          avgWorkingMs: avg,
          p90WorkingMs: p90,
          overdue: e.overdue,
        };
      }),
    overdueByGroup: rank(groups).map(([group, t]) => ({ group, ...t })),
    overdueByPerson: rank(people).map(([person, t]) => ({ person, ...t })),
  };
}
