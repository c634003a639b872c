import type Koa from 'koa';
import { NotFoundError, SearchRequestError } from '../../store/search/request-error.js';

/**
 * Turns the query side's refusals into RFC 9457 problem documents with Camunda's titles
 * (INVALID_ARGUMENT 400, NOT_FOUND 404); anything else goes on to the engine's own error handling.
 */
export async function queryProblems(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  try {
    await next();
  } catch (e) {
    if (!(e instanceof SearchRequestError) && !(e instanceof NotFoundError)) throw e;
    ctx.status = e.status;
    ctx.type = 'application/problem+json';
    ctx.body = { type: 'about:blank', title: e.title, status: e.status, detail: e.message, instance: ctx.path };
  }
}

/** The JSON body: the engine's body parser's result when it ran, else read here. */
export async function jsonBody(ctx: Koa.Context): Promise<unknown> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed !== undefined) return isEmptyObject(parsed) && !ctx.request.length ? undefined : parsed;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SearchRequestError('body', 'not valid JSON');
  }
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

export function booleanQuery(ctx: Koa.Context, name: string, fallback: boolean): boolean {
  const v = ctx.query[name];
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new SearchRequestError(name, 'expected true or false');
}
