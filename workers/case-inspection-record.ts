import { networkCaseWorker } from './support/case-network-job.js';

/**
 * 监察结果: the inspector's finding kept with the case; its output steers the model's inclusive gateway (penalty,
 * repair, class change). The penalty rate per m³ is the task header `penaltyFenPerM3` (tariff data in the model).
 */
export default networkCaseWorker('case-inspection-record', async (service, v, change, job) => {
  const r = await service.recordInspection(
    String(v.caseNo),
    {
      finding: v.finding,
      accountNo: v.accountNo,
      note: v.findingNote,
      estimatedVolume: v.estimatedVolume,
      newClass: v.newClass,
      repairNeeded: v.repairNeeded,
      contactPhone: v.contactPhone,
    },
    (job.customHeaders ?? {}).penaltyFenPerM3,
    change,
  );
  return {
    accountNo: r.accountNo,
    penaltyFen: r.penaltyFen,
    penaltyYuan: (r.penaltyFen / 100).toFixed(2),
    repairNeeded: r.repairNeeded,
    classChange: r.classChange,
    currentClass: r.currentClass,
    newClass: r.newClass,
    repairContactName: r.contactName,
    repairContactPhone: r.contactPhone,
  };
});
