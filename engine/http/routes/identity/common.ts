import type Koa from 'koa';
import { z } from 'zod';
import {
  DirectoryError,
  type DirectoryPage,
  type DirectoryQuery,
  type TextCondition,
} from '../../../authz/directory.js';
import { Rejection } from '../../../runtime/errors.js';
import { likeToSql } from '../../../store/search/like.js';
import { parsePage } from '../../../store/search/page.js';
import { isPlainObject, SearchRequestError } from '../../../store/search/request-error.js';
import type { SearchResult } from '../../../store/search/run.js';
import { answering } from '../../search/problem.js';
import type { Runtime } from '../../../runtime/runtime.js';
import { appendIdentityRecord, type IdentityRecord } from '../../../store/identity.js';
import { actorOf } from '../../auth.js';

/** Helpers shared by the identity routes (users, roles, groups, mapping rules, authorizations). */

/** Camunda 8.8's identifier rule for roles, groups and mapping rules. */
const ID_PATTERN = /^[a-zA-Z0-9_~@.+-]+$/;
/** Usernames: the same, without `~` (the 8.8 client's Username schema refuses it in answers). */
const USERNAME_PATTERN = /^[A-Za-z0-9_@.+-]+$/;

export const entityId = (what: string) =>
  z
    .string({ error: `No ${what} provided` })
    .min(1, `No ${what} provided`)
    .max(256, `The provided ${what} exceeds the limit of 256 characters`)
    .regex(
      ID_PATTERN,
      `The provided ${what} contains illegal characters. It must match the pattern '${ID_PATTERN.source}'`,
    );

export const username = z
  .string({ error: 'No username provided' })
  .min(1, 'No username provided')
  .max(256, 'The provided username exceeds the limit of 256 characters')
  .regex(
    USERNAME_PATTERN,
    `The provided username contains illegal characters. It must match the pattern '${USERNAME_PATTERN.source}'`,
  );

export const requiredText = (what: string, max = 256) =>
  z
    .string({ error: `No ${what} provided` })
    .trim()
    .min(1, `No ${what} provided`)
    .max(max, `The provided ${what} exceeds the limit of ${max} characters`);

/** A path parameter checked like the body's identifiers (400 naming it). */
export function pathId(ctx: Koa.Context, name: string, schema: z.ZodType<string> = entityId(name)): string {
  const parsed = schema.safeParse(ctx.params[name]);
  if (!parsed.success)
    throw new Rejection(
      400,
      'INVALID_ARGUMENT',
      `Request property [${name}] is invalid: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/** Wraps a handler: search refusals become 400/404 problems, a directory's refusals Camunda's answers. */
export function handler(fn: (ctx: Koa.Context) => Promise<void>): Koa.Middleware {
  return answering(async (ctx) => {
    try {
      await fn(ctx);
    } catch (e) {
      throw e instanceof DirectoryError ? fromDirectory(e) : e;
    }
  });
}

export function fromDirectory(e: DirectoryError): Rejection {
  switch (e.kind) {
    case 'NOT_FOUND':
      return new Rejection(404, 'NOT_FOUND', e.message);
    case 'ALREADY_EXISTS':
      return new Rejection(409, 'ALREADY_EXISTS', e.message);
    case 'CONFLICT':
      return new Rejection(409, 'INVALID_STATE', e.message);
    case 'INVALID_ARGUMENT':
      return new Rejection(400, 'INVALID_ARGUMENT', e.message);
  }
}

/** Appends an identity change to the record log, with the caller as its actor and the engine's clock. */
export function recorder(rt: Runtime) {
  return (
    ctx: Koa.Context,
    valueType: IdentityRecord['valueType'],
    intent: IdentityRecord['intent'],
    value: object,
    key?: string,
  ) =>
    appendIdentityRecord(rt.store.pool, {
      key,
      valueType,
      intent,
      actor: actorOf(ctx),
      timestamp: rt.clock.now(),
      value: { ...value },
    });
}

export function reply(ctx: Koa.Context, status: number, body?: unknown): void {
  ctx.status = status;
  if (body !== undefined) ctx.body = body;
}

// ---- searches answered from a list or from the host's directory (offset paging, opaque cursors) -------------

/** Cursors of these searches carry an offset (base64 JSON), within Camunda's cursor format. */
function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify(['o', offset])).toString('base64');
}

function decodeOffset(cursor: unknown, path: string): number {
  try {
    if (typeof cursor !== 'string') throw new Error();
    const v = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!Array.isArray(v) || v[0] !== 'o' || !Number.isSafeInteger(v[1]) || v[1] < 0) throw new Error();
    return v[1] as number;
  } catch {
    throw new SearchRequestError(path, 'not a cursor of this search');
  }
}

export interface Window {
  offset: number;
  limit: number;
}

/** `page` as an offset window: `{ from, limit }`, or a cursor from an earlier answer of the same search. */
export function pageWindow(page: unknown): Window {
  const p = parsePage(page);
  if (p.mode === 'offset') return { offset: p.from, limit: p.limit };
  const at = decodeOffset(p.cursor, `page.${p.mode}`);
  if (p.mode === 'after') return { offset: at + 1, limit: p.limit };
  return { offset: Math.max(0, at - p.limit), limit: Math.min(p.limit, at) };
}

export function pageResult<T>(items: T[], total: number, window: Window): SearchResult<T> {
  const page: SearchResult<T>['page'] = { totalItems: total, hasMoreTotalItems: false };
  if (items.length) {
    page.startCursor = encodeOffset(window.offset);
    page.endCursor = encodeOffset(window.offset + items.length - 1);
  }
  return { items, page };
}

function requestObject(body: unknown, allowed: string[]): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isPlainObject(body)) throw new SearchRequestError('body', 'expected a JSON object');
  for (const k of Object.keys(body))
    if (!allowed.includes(k)) throw new SearchRequestError(k, `unknown property; use ${allowed.join(', ')}`);
  return body;
}

function parseSortTerms<F extends string>(
  sort: unknown,
  fields: readonly F[],
): Array<{ field: F; order: 'ASC' | 'DESC' }> {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort)) throw new SearchRequestError('sort', 'expected an array of { field, order }');
  const out: Array<{ field: F; order: 'ASC' | 'DESC' }> = [];
  sort.forEach((entry, i) => {
    const at = `sort[${i}]`;
    if (!isPlainObject(entry)) throw new SearchRequestError(at, 'expected { field, order }');
    for (const k of Object.keys(entry))
      if (k !== 'field' && k !== 'order') throw new SearchRequestError(`${at}.${k}`, 'unknown property');
    if (typeof entry.field !== 'string' || !(fields as readonly string[]).includes(entry.field))
      throw new SearchRequestError(`${at}.field`, `unknown sort field; allowed: ${fields.join(', ')}`);
    const order = entry.order ?? 'ASC';
    if (typeof order !== 'string' || !['ASC', 'DESC'].includes(order.toUpperCase()))
      throw new SearchRequestError(`${at}.order`, 'expected ASC or DESC');
    if (!out.some((t) => t.field === entry.field))
      out.push({ field: entry.field as F, order: order.toUpperCase() as 'ASC' | 'DESC' });
  });
  return out;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new SearchRequestError(path, 'expected a string');
  if (value.includes('\u0000')) throw new SearchRequestError(path, 'must not contain NUL characters');
  return value;
}

function texts(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw new SearchRequestError(path, 'expected an array');
  return value.map((v, i) => text(v, `${path}[${i}]`));
}

/** Camunda's string filter property: a plain value, or `$eq $neq $exists $in $notIn $like` (unless plainOnly). */
function textConditions(value: unknown, path: string, plainOnly: boolean): TextCondition[] {
  if (!isPlainObject(value)) return [{ op: 'eq', value: text(value, path) }];
  if (plainOnly) throw new SearchRequestError(path, 'expected a plain string value, this field takes no operators');
  const out: TextCondition[] = [];
  for (const [op, operand] of Object.entries(value)) {
    const at = `${path}.${op}`;
    if (operand === undefined) continue;
    if (op === '$eq' || op === '$neq') out.push({ op: op === '$eq' ? 'eq' : 'neq', value: text(operand, at) });
    else if (op === '$in' || op === '$notIn')
      out.push({ op: op === '$in' ? 'in' : 'notIn', values: texts(operand, at) });
    else if (op === '$like') out.push({ op: 'like', pattern: likeToSql(text(operand, at)) });
    else if (op === '$exists') {
      if (typeof operand !== 'boolean') throw new SearchRequestError(at, 'expected true or false');
      out.push({ op: 'exists', value: operand });
    } else
      throw new SearchRequestError(
        at,
        'unknown operator for this field; allowed: $eq, $neq, $exists, $in, $notIn, $like',
      );
  }
  return out;
}

/**
 * A Camunda search body for a directory search: `filter` over the given fields (true: plain values only),
 * `sort` over `sortFields`, `page`. Anything else is a 400 naming the property.
 */
export function directoryQuery<F extends string>(
  body: unknown,
  filterFields: Partial<Record<F, { plainOnly: boolean }>>,
  sortFields: readonly F[],
): DirectoryQuery<F> {
  const request = requestObject(body, Object.keys(filterFields).length ? ['filter', 'sort', 'page'] : ['sort', 'page']);
  const where: DirectoryQuery<F>['where'] = [];
  if (request.filter !== undefined && request.filter !== null) {
    if (!isPlainObject(request.filter)) throw new SearchRequestError('filter', 'expected an object');
    for (const [name, value] of Object.entries(request.filter)) {
      const spec = Object.hasOwn(filterFields, name) ? filterFields[name as F] : undefined;
      if (!spec) throw new SearchRequestError(`filter.${name}`, 'unknown filter field');
      if (value === undefined) continue;
      for (const condition of textConditions(value, `filter.${name}`, spec.plainOnly))
        where.push({ field: name as F, condition });
    }
  }
  const sort = parseSortTerms(request.sort, sortFields);
  const { offset, limit } = pageWindow(request.page);
  return { where, sort, offset, limit };
}

export function directoryResult<T>(found: DirectoryPage<T>, query: DirectoryQuery<string>): SearchResult<T> {
  return pageResult(found.items, found.total, { offset: query.offset, limit: query.limit });
}

/**
 * A search over a short list of identifiers (the members of a group or role): `sort` on its one field and
 * `page`, answered in memory.
 */
export function listSearch<K extends string>(ids: string[], field: K, body: unknown): SearchResult<Record<K, string>> {
  const request = requestObject(body, ['sort', 'page']);
  const sort = parseSortTerms(request.sort, [field]);
  const desc = sort[0]?.order === 'DESC';
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0) * (desc ? -1 : 1));
  const window = pageWindow(request.page);
  const items = sorted
    .slice(window.offset, window.offset + window.limit)
    .map((id) => ({ [field]: id }) as Record<K, string>);
  return pageResult(items, sorted.length, window);
}
