import type Koa from 'koa';
import { RepairError } from '../../domain/repair/service.js';
import { problem } from '../http/problem.js';

/** The repair domain's refusals as problem documents, with the offending field and a machine-readable code. */
export const repairProblems: Koa.Middleware = async (_ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (err instanceof RepairError)
      throw problem(err.status, undefined, err.message, { code: err.code, ...(err.field ? { field: err.field } : {}) });
    throw err;
  }
};
