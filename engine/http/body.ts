import type Koa from 'koa';
import { Rejection } from '../runtime/errors.js';
import { refuseNul, SearchRequestError } from '../store/search/request-error.js';

/** Camunda's gateway limits request payloads to 4 MB (its max message size). */
export const MAX_BODY = 4 * 1024 * 1024;

/** A body declared as anything but JSON is refused before it is read, as Camunda's gateway does (415). */
export function requireJsonContent(ctx: Koa.Context): void {
  const type = ctx.request.type;
  if (type && type !== 'application/json' && !type.endsWith('+json'))
    throw new Rejection(415, 'Unsupported Media Type', `Content-Type '${type}' is not supported`);
}

/**
 * The raw text of a JSON request body ('' when empty), read by the engine itself (the host app's body parser
 * skips /v2) so that the 4 MB limit holds for every /v2 route, searches included.
 */
export async function jsonText(ctx: Koa.Context): Promise<string> {
  requireJsonContent(ctx);
  const tooLarge = () =>
    new Rejection(413, 'Payload Too Large', `Request body exceeds the maximum size of ${MAX_BODY} bytes`);
  if (Number(ctx.get('content-length') || 0) > MAX_BODY) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * The JSON body of a command ({} when empty); unparsable, oversized or non-JSON bodies are rejected, and so is a
 * NUL character anywhere in it (PostgreSQL's text and jsonb cannot hold one): 400 naming the field.
 */
export async function jsonBody(ctx: Koa.Context): Promise<unknown> {
  const text = await jsonText(ctx);
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Rejection(400, 'Bad Request', 'Failed to read request: request body is not valid JSON');
  }
  try {
    refuseNul(body);
  } catch (e) {
    if (e instanceof SearchRequestError) throw new Rejection(400, 'INVALID_ARGUMENT', e.message);
    throw e;
  }
  return body;
}
