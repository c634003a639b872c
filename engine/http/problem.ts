import { STATUS_CODES } from 'node:http';
import type Koa from 'koa';
import { z } from 'zod';
import { Rejection } from '../runtime/errors.js';

/** RFC 9457 problem document, shaped as Camunda's REST gateway sends them. */
export function sendProblem(ctx: Koa.Context, status: number, title: string, detail: string): void {
  ctx.status = status;
  ctx.type = 'application/problem+json';
  ctx.body = { type: 'about:blank', title, status, detail, instance: ctx.path };
}

/** Maps rejections, validation and body errors to problems; anything else is a 500 without a stack. */
export function problemMiddleware(log: { error(o: unknown, m?: string): void }): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (e) {
      if (e instanceof Rejection) return sendProblem(ctx, e.status, e.title, e.detail);
      if (e instanceof z.ZodError) {
        const issue = e.issues[0];
        const field = issue?.path.join('.') || 'body';
        return sendProblem(
          ctx,
          400,
          'INVALID_ARGUMENT',
          `Request property [${field}] is invalid: ${issue?.message ?? 'invalid'}`,
        );
      }
      const err = e as { status?: number; expose?: boolean; message?: string };
      // Errors of the HTTP stack (multer limits, koa's ctx.throw) keep their status; the title is its reason phrase.
      if (err.status && err.status >= 400 && err.status < 500)
        return sendProblem(ctx, err.status, STATUS_CODES[err.status] ?? 'Bad Request', err.message ?? 'Bad request');
      log.error({ err: e, path: ctx.path }, 'engine request failed');
      sendProblem(ctx, 500, 'Internal Server Error', 'Unexpected error while processing the request');
    }
  };
}
