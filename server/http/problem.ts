import { STATUS_CODES } from 'node:http';
import type Koa from 'koa';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { DomainError } from '../../domain/errors.js';

/** An RFC 9457 problem document; `extra` members are added beside the standard ones. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }
}

/** Throw `problem(404, 'Not Found', 'no account 42')` anywhere under a request; the middleware answers with it. */
export function problem(status: number, title?: string, detail?: string, extra?: Record<string, unknown>): Problem {
  return new Problem(status, title ?? STATUS_CODES[status] ?? 'Error', detail, extra);
}

export function sendProblem(ctx: Koa.Context, p: Problem): void {
  ctx.status = p.status;
  ctx.type = 'application/problem+json';
  ctx.body = {
    type: 'about:blank',
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance: ctx.path,
    ...p.extra,
  };
}

/**
 * Turns every error under it into a problem document. Only errors meant for the client (Problem, a domain module's
 * refusal, zod validation, Koa's http errors with `expose`) carry their text out; anything else is logged and answered with a bare 500.
 */
export function problemDocuments(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing below answered: Koa's default 404 becomes a problem document too.
      if (ctx.status === 404 && ctx.body == null) {
        sendProblem(ctx, problem(404, 'Not Found', `no resource at ${ctx.method} ${ctx.path}`));
      }
    } catch (err) {
      const log: Logger | undefined = ctx.state.log;
      const p = toProblem(err);
      if (p.status >= 500) log?.error({ err }, 'request failed');
      // Client errors are logged without the error object: it may carry the rejected body (and a password in it).
      else log?.debug({ status: p.status, detail: p.detail }, 'request rejected');
      sendProblem(ctx, p);
    }
  };
}

function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  // Every module's refusal (404 unknown, 409 conflict, 422 malformed), with its machine-readable code, field and facts.
  if (err instanceof DomainError)
    return problem(err.status, undefined, err.message, {
      ...err.params,
      code: err.code,
      ...(err.field ? { field: err.field } : {}),
    });
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return problem(400, 'Bad Request', first ? `${first.field || 'body'}: ${first.message}` : 'invalid input', {
      errors: issues,
    });
  }
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = Number(e?.status ?? e?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    // The body parser reports malformed JSON as a SyntaxError with status 400.
    if (err instanceof SyntaxError) return problem(400, 'Bad Request', 'the request body is not valid JSON');
    return problem(status, undefined, e.expose && typeof e.message === 'string' ? e.message : undefined);
  }
  return problem(500, 'Internal Server Error', 'an unexpected error occurred; the server log has the details');
}
