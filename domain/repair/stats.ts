import type { Knex } from 'knex';
import type { StepTime, TicketStatistics } from '../../contracts/repair.js';

/** The steps of `repair-ticket` whose time is reported, in process order. */
export const STEPS = ['dispatch', 'assign-crew', 'field-work', 'follow-up', 'callback-wait', 'callback'] as const;

/** What the report needs of a process timeline (the engine's record log, or Camunda's element search). */
export interface StepSpan {
  elementId: string;
  durationMs?: number;
}

/** Time per step over many instances: count, mean and longest, from the spans of completed steps. */
export function stepTimes(timelines: Array<{ elements: StepSpan[] }>): StepTime[] {
  return STEPS.map((step) => {
    const durations = timelines.flatMap((t) =>
      t.elements.filter((e) => e.elementId === step && e.durationMs !== undefined).map((e) => e.durationMs!),
    );
    const total = durations.reduce((a, b) => a + b, 0);
    return {
      step,
      count: durations.length,
      meanMs: durations.length ? Math.round(total / durations.length) : null,
      maxMs: durations.length ? Math.max(...durations) : null,
    };
  });
}

export interface StatsFilter {
  /** ISO date-times bounding the tickets' creation. */
  from?: string;
  to?: string;
}

/** Tickets by category and status, satisfaction, and per crew: counted in SQL over the period. */
export async function ticketStatistics(knex: Knex, f: StatsFilter = {}): Promise<TicketStatistics> {
  const period = (q: Knex.QueryBuilder, col = 't.created_at') => {
    if (f.from) q.where(col, '>=', f.from);
    if (f.to) q.where(col, '<', f.to);
    return q;
  };
  type Counted = Record<string, string | number>;
  const byCategoryStatus: Counted[] = await period(
    knex('cis.repair_tickets as t')
      .select('t.category', 't.status')
      .count({ n: '*' })
      .groupBy('t.category', 't.status'),
  ).orderBy(['t.category', 't.status']);
  const satisfaction: Counted[] = await period(
    knex('cis.repair_callbacks as c')
      .join('cis.repair_tickets as t', 't.id', 'c.ticket_id')
      .whereNotNull('c.satisfaction')
      .select('c.satisfaction')
      .count({ n: '*' })
      .groupBy('c.satisfaction'),
  ).orderBy('c.satisfaction');
  const calls = await period(
    knex('cis.repair_callbacks as c')
      .join('cis.repair_tickets as t', 't.id', 'c.ticket_id')
      .select(knex.raw('count(*) AS calls, count(*) FILTER (WHERE c.reached) AS reached')),
  ).first();
  const perCrew = await period(
    knex('cis.repair_work_orders as w')
      .join('cis.repair_tickets as t', 't.id', 'w.ticket_id')
      .leftJoin('cis.repair_callbacks as c', (j) => j.on('c.ticket_id', 't.id').andOnNotNull('c.satisfaction'))
      .whereNot('w.status', 'superseded')
      .groupBy('w.crew')
      .orderBy('w.crew')
      .select(
        'w.crew',
        knex.raw('count(DISTINCT w.id) AS work_orders'),
        knex.raw(`count(DISTINCT w.id) FILTER (WHERE w.status = 'completed') AS completed`),
        knex.raw(`avg(extract(epoch FROM w.completed_at - w.assigned_at)) AS mean_seconds`),
        knex.raw('avg(c.satisfaction) AS satisfaction'),
      ),
  );
  const scored = satisfaction.reduce((a, r) => a + Number(r.n), 0);
  return {
    byCategoryStatus: byCategoryStatus.map((r) => ({
      category: r.category as string,
      status: r.status as string,
      count: Number(r.n),
    })),
    satisfaction: {
      calls: Number(calls?.calls ?? 0),
      reached: Number(calls?.reached ?? 0),
      scored,
      mean: scored ? satisfaction.reduce((a, r) => a + Number(r.satisfaction) * Number(r.n), 0) / scored : null,
      byScore: satisfaction.map((r) => ({ score: Number(r.satisfaction), count: Number(r.n) })),
    },
    perCrew: perCrew.map((r: Record<string, unknown>) => ({
      crew: r.crew as string,
      workOrders: Number(r.work_orders),
      completed: Number(r.completed),
      meanHours: r.mean_seconds == null ? null : Math.round((Number(r.mean_seconds) / 3600) * 10) / 10,
      satisfaction: r.satisfaction == null ? null : Math.round(Number(r.satisfaction) * 100) / 100,
    })),
  };
}

/** The process instances of recent tickets, for the time-per-step report. */
export async function recentProcessInstances(knex: Knex, f: StatsFilter = {}, limit = 200): Promise<string[]> {
  const q = knex('cis.repair_tickets').whereNotNull('process_instance_key').orderBy('id', 'desc').limit(limit);
  if (f.from) q.where('created_at', '>=', f.from);
  if (f.to) q.where('created_at', '<', f.to);
  return (await q.select('process_instance_key')).map((r) => r.process_instance_key as string);
}
