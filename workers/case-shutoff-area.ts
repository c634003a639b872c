import { PLANNED_NOTICE_HOURS } from '../domain/cases/network/schemas.js';
import { given, networkCaseWorker } from './support/case-network-job.js';

/** A moment as the forms show it: China time (the utility's), minutes, e.g. "2027-01-05 09:00". */
const chinaTime = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The engine's clock as the model hands it over (`checkedAt` = `string(now())`), else the worker's own. */
const clockOf = (v: Record<string, unknown>): Date => {
  const ms = typeof v.checkedAt === 'string' ? Date.parse(v.checkedAt.replace(/@.*$|\[.*\]$/, '')) : NaN;
  return Number.isNaN(ms) ? new Date() : new Date(ms);
};

/**
 * 停水 area: the affected accounts computed from the named books and streets and kept with the case. The correction
 * form's `bookCodesText` (codes separated by commas), when given, replaces the intake's `bookCodes`. A planned
 * start less than PLANNED_NOTICE_HOURS after the engine's clock (`checkedAt`) is refused (422 `startAt`, back to
 * the clerk). Answers the window (UTC ISO, which the timer reads) and as the forms show it (`startAtText`,
 * `endAtText`, China time), and for a planned shut-off `noticeBy`: the latest moment its notices may go out (the
 * model sends a late approval back through this step).
 */
export default networkCaseWorker('case-shutoff-area', async (service, v, change) => {
  const area = await service.selectAffected(
    String(v.caseNo),
    {
      kind: v.kind,
      startAt: v.startAt,
      endAt: v.endAt,
      reason: v.reason,
      bookCodes: given(v.bookCodesText) ?? v.bookCodes,
      streets: v.streets,
    },
    change,
    clockOf(v),
  );
  return {
    bookCodesText: null,
    startAt: area.startAt,
    endAt: area.endAt,
    startAtText: chinaTime(area.startAt),
    endAtText: chinaTime(area.endAt),
    noticeBy:
      area.kind === 'planned'
        ? new Date(Date.parse(area.startAt) - PLANNED_NOTICE_HOURS * 3600_000).toISOString().replace('.000Z', 'Z')
        : null,
    bookCodes: area.bookCodes,
    affectedCount: area.affectedCount,
  };
});
