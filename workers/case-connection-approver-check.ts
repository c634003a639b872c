import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { CasesService } from '../domain/cases/service.js';
import type { JobWorkerConfig, WorkerContext } from './support/types.js';

/**
 * The steps whose people may not approve, by case type (the process id): new-connection's design tasks — whoever
 * did one of them designed the connection. Every case type excludes the person who opened the case.
 */
const EXCLUDED_STEPS: Record<string, { elements: string[]; refusal: (who: string) => string }> = {
  'new-connection': {
    elements: ['design-drawings', 'design-budget', 'material-requisition'],
    refusal: (who) => `${who} 参与了本业务的设计，不能审批`,
  },
};
const NOW = { consistency: { waitUpToMs: 0 } } as never;

/**
 * case-connection-approver-check: a user-task listener (assigning, completing) on every case approval —
 * new-connection's `approval`, water-shutoff-approval's `approval` and `ratify`, water-use-inspection's
 * `penalty-approval` (the job type keeps its first name: it is the models' contract). Nobody approves their own
 * case: the approver may not be the person who opened it (`cis.cases.created_by`, found by the `caseNo`
 * variable), nor, on a new connection, one who did its design; the approval is completed by the person who
 * claimed it (the inbox completes only claimed tasks), so completing unclaimed is denied too. Denying takes a job result, which `job.complete` cannot carry: the worker needs the engine client
 * (`ctx.engine`, given by startWorkers); without it the job fails rather than let an approval through unchecked.
 */
export default function caseConnectionApproverCheck(ctx: WorkerContext & { engine?: CamundaClient }): JobWorkerConfig {
  return {
    jobType: 'case-connection-approver-check',
    maxParallelJobs: 4,
    jobTimeoutMs: 60_000,
    pollTimeoutMs: 30_000,
    jobHandler: async (job) => {
      const task = (job as unknown as { userTask?: { assignee?: string; action?: string } }).userTask ?? {};
      const completing = job.listenerEventType === 'COMPLETING';
      const assignee = task.assignee ?? '';
      const engine = ctx.engine;
      if (!engine) throw new Error('case-connection-approver-check needs the engine client to deny (ctx.engine)');
      let refusal: string | undefined;
      if (!assignee) {
        if (completing) refusal = '审批前须先认领任务';
      } else {
        const opened = await new CasesService(ctx.knex).find(String(job.variables.caseNo));
        const excluded = EXCLUDED_STEPS[String(opened.case_type)];
        if (assignee === opened.created_by) refusal = `${assignee} 受理了本业务，不能审批自己的业务`;
        else if (excluded) {
          const done = await engine.searchUserTasks(
            {
              filter: { processInstanceKey: job.processInstanceKey, state: 'COMPLETED' },
              page: { limit: 100 },
            } as never,
            NOW,
          );
          const doers = new Set(
            done.items.filter((t) => excluded.elements.includes(String(t.elementId))).map((t) => t.assignee),
          );
          if (doers.has(assignee)) refusal = excluded.refusal(assignee);
        }
      }
      if (!refusal) return job.complete();
      ctx.logger.info({ jobKey: job.jobKey, assignee, refusal }, 'approval of a case by its own people denied');
      await engine.completeJob({
        jobKey: job.jobKey,
        result: { type: 'userTask', denied: true, deniedReason: refusal },
      } as never);
      return job.ignore();
    },
  };
}
