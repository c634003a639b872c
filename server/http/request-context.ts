import crypto from 'node:crypto';
import type Koa from 'koa';
import type { Logger } from 'pino';

// A caller's id is kept when it looks like an id, so a trace can cross a proxy; anything else is replaced.
const ACCEPTED_ID = /^[\w.:-]{1,128}$/;

/** Gives each request an id (X-Request-Id in and out) and a child logger carrying it (`ctx.state.log`). */
export function requestContext(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const id = ACCEPTED_ID.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    ctx.state.log = logger.child({ reqId: id });
    await next();
  };
}

/**
 * One log line per request, after the answer is known (so it sees the status set by the problem middleware). At
 * `debug` only: the inbox's polling and the workers' long polls would push the start banner and the warnings off
 * the terminal in seconds. A 5xx is an error at any level.
 */
export function accessLog(): Koa.Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const log: Logger = ctx.state.log;
      const line = { method: ctx.method, url: ctx.originalUrl, status: ctx.status, ms: Math.round(ms * 10) / 10 };
      if (ctx.status >= 500) log.error(line, 'request');
      else log.debug(line, 'request');
    }
  };
}
