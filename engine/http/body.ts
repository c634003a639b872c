import type Koa from 'koa';
import { Rejection } from '../runtime/errors.js';

/** Camunda's gateway limits request payloads to 4 MB (its max message size). */
export const MAX_BODY = 4 * 1024 * 1024;

/** A body declared as anything but JSON is refused before it is read, as Camunda's gateway does (415). */
export function requireJsonContent(ctx: Koa.Context): void {
  const type = ctx.request.type;
  if (type && type !== 'application/json' && !type.endsWith('+json'))
    throw new Rejection(415, 'Unsupported Media Type', `Content-Type '${type}' is not supported`);
}

/** The JSON body of a request ({} when empty); unparsable, oversized or non-JSON bodies are rejected. */
export async function jsonBody(ctx: Koa.Context): Promise<unknown> {
  requireJsonContent(ctx);
  const pre = (ctx.request as unknown as { body?: unknown }).body;
  if (pre !== undefined && typeof pre === 'object' && pre !== null && Object.keys(pre).length) return pre;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new Rejection(413, 'Payload Too Large', `Request body exceeds the maximum size of ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return pre ?? {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Rejection(400, 'Bad Request', 'Failed to read request: request body is not valid JSON');
  }
}
