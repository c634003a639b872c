import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import accountBalanceCheck from './account-balance-check.js';
import accountClose from './account-close.js';
import accountFinalBill from './account-final-bill.js';
import accountOpen from './account-open.js';
import accountRefundRequest from './account-refund-request.js';
import accountResume from './account-resume.js';
import accountSuspend from './account-suspend.js';
import accountTransfer from './account-transfer.js';
import billCompute from './bill-compute.js';
import billNotify from './bill-notify.js';
import billPost from './bill-post.js';
import billRunOpen from './bill-run-open.js';
import caseClose from './case-close.js';
import casePrepareContract from './case-prepare-contract.js';
import caseConnectionApproverCheck from './case-connection-approver-check.js';
import caseConnectionAssessFees from './case-connection-assess-fees.js';
import caseConnectionCheckFees from './case-connection-check-fees.js';
import caseConnectionDesign from './case-connection-design.js';
import caseConnectionFirstReading from './case-connection-first-reading.js';
import caseConnectionLinkAccount from './case-connection-link-account.js';
import caseConnectionRecord from './case-connection-record.js';
import caseInspectionClass from './case-inspection-class.js';
import caseInspectionPenalty from './case-inspection-penalty.js';
import caseInspectionRecord from './case-inspection-record.js';
import caseInspectionRepair from './case-inspection-repair.js';
import caseRelocationCharge from './case-relocation-charge.js';
import caseRelocationMove from './case-relocation-move.js';
import caseShutoffArea from './case-shutoff-area.js';
import caseShutoffNotify from './case-shutoff-notify.js';
import caseEscalate from './case-escalate.js';
import certificateFee from './certificate-fee.js';
import certificateReissue from './certificate-reissue.js';
import creditRefundDecide from './credit-refund-decide.js';
import meteringCheckCycle from './metering-check-cycle.js';
import meteringCloseCycle from './metering-close-cycle.js';
import meteringFinishCycle from './metering-finish-cycle.js';
import meteringOpenCycle from './metering-open-cycle.js';
import meteringResolveReading from './metering-resolve-reading.js';
import lateFeeAccrue from './late-fee-accrue.js';
import paymentReverse from './payment-reverse.js';
import receiptVoidDecide from './receipt-void-decide.js';
import repairAssignCrew from './repair-assign-crew.js';
import repairClose from './repair-close.js';
import repairEscalate from './repair-escalate.js';
import repairRecordCallback from './repair-record-callback.js';
import repairRecordResult from './repair-record-result.js';

import type { WorkerContext, WorkerFactory } from './support/types.js';
export type { JobWorkerConfig, WorkerContext, WorkerFactory } from './support/types.js';
type JobWorker = ReturnType<CamundaClient['createJobWorker']>;

/**
 * The registry: every job type Aquaflow serves. Import each `workers/<type>.ts` here and list it, so
 * `npm start` and `npm run workers` run the same set.
 */
export const workerFactories: WorkerFactory[] = [
  accountOpen,
  accountBalanceCheck,
  accountTransfer,
  certificateFee,
  certificateReissue,
  accountFinalBill,
  accountRefundRequest,
  accountClose,
  accountSuspend,
  accountResume,
  repairAssignCrew,
  repairRecordResult,
  repairEscalate,
  repairRecordCallback,
  repairClose,
  billRunOpen,
  caseClose,
  casePrepareContract,
  caseConnectionApproverCheck,
  caseConnectionAssessFees,
  caseConnectionCheckFees,
  caseConnectionDesign,
  caseConnectionFirstReading,
  caseConnectionLinkAccount,
  caseConnectionRecord,
  caseRelocationCharge,
  caseRelocationMove,
  caseShutoffArea,
  caseShutoffNotify,
  caseInspectionRecord,
  caseInspectionPenalty,
  caseInspectionRepair,
  caseInspectionClass,
  caseEscalate,
  billCompute,
  billPost,
  billNotify,
  lateFeeAccrue,
  meteringOpenCycle,
  meteringCheckCycle,
  meteringCloseCycle,
  meteringResolveReading,
  meteringFinishCycle,
  paymentReverse,
  creditRefundDecide,
  receiptVoidDecide,
];

export interface RunningWorkers {
  jobTypes: string[];
  /** Stops polling (cancelling a long poll in flight) and lets jobs in hand be acknowledged, for up to `waitMs`. */
  stop(waitMs?: number): Promise<void>;
}

export function startWorkers(
  client: CamundaClient,
  ctx: WorkerContext,
  factories: WorkerFactory[] = workerFactories,
): RunningWorkers {
  // Some workers speak to the engine beyond their job — a task listener's denial (a job result, which the job's
  // own complete() cannot carry), the document store — so every worker gets the client as `ctx.engine`.
  const configs = factories.map((factory) => factory({ ...ctx, engine: client } as WorkerContext));
  const workers: JobWorker[] = configs.map((config) =>
    client.createJobWorker({ workerName: `aquaflow-${config.jobType}`, ...config }),
  );
  const jobTypes = configs.map((c) => c.jobType);
  ctx.logger.info({ jobTypes }, 'job workers started');
  return {
    jobTypes,
    async stop(waitMs = 5000) {
      // A long poll in flight holds no job yet, so it is cancelled rather than waited for (the engine would
      // answer it only when it stops, after the workers); jobs in hand get up to waitMs to be acknowledged.
      for (const worker of workers) worker.stop();
      const deadline = Date.now() + waitMs;
      while (workers.some((w) => w.activeJobs > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
