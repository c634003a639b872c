import type Koa from 'koa';
import { NotFoundError, refuseNul, SearchRequestError } from '../../store/search/request-error.js';
import { sendProblem } from '../problem.js';
import { jsonText } from '../body.js';

/**
 * Wraps a read handler: the query side's refusals become problem documents with Camunda's titles
 * (INVALID_ARGUMENT 400 naming the field, NOT_FOUND 404); anything else goes on to the engine's
 * own problem middleware.
 */
export function answering(handler: (ctx: Koa.Context) => Promise<void>): Koa.Middleware {
  return async (ctx) => {
    try {
      await handler(ctx);
    } catch (e) {
      if (e instanceof SearchRequestError || e instanceof NotFoundError)
        return sendProblem(ctx, e.status, e.title, e.message);
      throw e;
    }
  };
}

/**
 * The JSON body, or undefined when there is none (a search without body searches everything). Every search and
 * statistics body passes here, so this is where a NUL character anywhere in it is refused (400 naming the
 * field), before any of it can reach PostgreSQL, whose text cannot hold one.
 */
export async function jsonBody(ctx: Koa.Context): Promise<unknown> {
  const body = await readJson(ctx);
  refuseNul(body);
  return body;
}

async function readJson(ctx: Koa.Context): Promise<unknown> {
  const text = await jsonText(ctx);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SearchRequestError('body', 'not valid JSON');
  }
}

export function booleanQuery(ctx: Koa.Context, name: string, fallback: boolean): boolean {
  const v = ctx.query[name];
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new SearchRequestError(name, 'expected true or false');
}
