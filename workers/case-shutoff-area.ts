import { given, networkCaseWorker } from './support/case-network-job.js';

/**
 * 停水 area: the affected accounts computed from the named books and streets and kept with the case. The correction
 * form's `bookCodesText` (codes separated by commas), when given, replaces the intake's `bookCodes`.
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
  );
  return {
    bookCodesText: null,
    startAt: area.startAt,
    endAt: area.endAt,
    bookCodes: area.bookCodes,
    affectedCount: area.affectedCount,
  };
});
