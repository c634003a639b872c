import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf, requirePermission, requireWorker } from '../authorize.js';
import { activateJobs, completeJob, failJob, throwJobError, updateJob } from '../../runtime/commands/jobs.js';

/** Upper bound of a long poll's requestTimeout; a longer wait is answered (with no jobs) at this point. */
export const MAX_LONG_POLL_MS = 5 * 60_000;

export const jobRoutes: RouteModule = (router, rt) => {
  router.post('/jobs/activation', async (ctx) => {
    requireWorker(ctx);
    await requirePermission(ctx, 'PROCESS_DEFINITION', 'UPDATE_PROCESS_INSTANCE');
    const req = s.activateJobs.parse(await jsonBody(ctx));
    // A poll may not hold a connection (and its jobs' wake-ups) longer than this, whatever it asks for.
    if (req.requestTimeout !== undefined && req.requestTimeout > MAX_LONG_POLL_MS)
      req.requestTimeout = MAX_LONG_POLL_MS;
    // A client that gives up on its long poll must not leave jobs activated for nobody: stop waiting.
    const gone = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableFinished) gone.abort();
    };
    ctx.res.once('close', onClose);
    const jobs = await activateJobs(rt, req, gone.signal);
    ctx.res.off('close', onClose);
    ctx.body = { jobs };
  });
  // Every command on one job: a worker identity holding UPDATE_PROCESS_INSTANCE on the job's process.
  router.use(['/jobs/:key/completion', '/jobs/:key/failure', '/jobs/:key/error'], async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    requireWorker(ctx);
    await requireOnProcessOf(ctx, 'job', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    return next();
  });
  router.post('/jobs/:key/completion', async (ctx) => {
    const req = s.completeJob.parse(await jsonBody(ctx));
    await completeJob(rt, ctx.params.key, req.variables ?? {}, actorOf(ctx), req.result);
    ctx.status = 204;
  });
  router.post('/jobs/:key/failure', async (ctx) => {
    const req = s.failJob.parse(await jsonBody(ctx));
    await failJob(
      rt,
      ctx.params.key,
      {
        retries: req.retries ?? 0,
        errorMessage: req.errorMessage,
        retryBackOff: req.retryBackOff,
        variables: req.variables,
      },
      actorOf(ctx),
    );
    ctx.status = 204;
  });
  router.post('/jobs/:key/error', async (ctx) => {
    const req = s.throwJobError.parse(await jsonBody(ctx));
    await throwJobError(rt, ctx.params.key, req, actorOf(ctx));
    ctx.status = 204;
  });
  // Giving a job its retries back is an operator's repair (Operate's "retry"), not doing the job: no worker needed.
  router.patch('/jobs/:key', async (ctx) => {
    await requireOnProcessOf(ctx, 'job', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    const req = s.updateJob.parse(await jsonBody(ctx));
    await updateJob(rt, ctx.params.key, req.changeset, actorOf(ctx));
    ctx.status = 204;
  });
};
