import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { CasesService } from '../domain/cases/service.js';
import type { JobWorkerConfig, WorkerContext } from './support/types.js';

/** The design tasks of processes/cases/new-connection.bpmn: whoever did one of them designed the connection. */
const DESIGN_TASKS = ['design-drawings', 'design-budget', 'material-requisition'];
const NOW = { consistency: { waitUpToMs: 0 } } as never;

/**
 * case-connection-approver-check: a user-task listener (assigning, completing) on the approval. Nobody approves
 * their own case: the approver may be neither the person who opened it nor one who did its design; the approval
 * is completed by the person who claimed it (the inbox completes only claimed tasks), so completing unclaimed is
 * denied too. Denying takes a job result, which `job.complete` cannot carry: the worker needs the engine client
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
        const done = await engine.searchUserTasks(
          {
            filter: { processInstanceKey: job.processInstanceKey, state: 'COMPLETED' },
            page: { limit: 100 },
          } as never,
          NOW,
        );
        const designers = new Set(
          done.items.filter((t) => DESIGN_TASKS.includes(String(t.elementId))).map((t) => t.assignee),
        );
        if (assignee === opened.created_by) refusal = `${assignee} 受理了本业务，不能审批自己的业务`;
        else if (designers.has(assignee)) refusal = `${assignee} 参与了本业务的设计，不能审批`;
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
