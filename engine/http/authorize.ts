import type Koa from 'koa';
import type pg from 'pg';
import { forbidden, type Authorizer } from '../authz/authorizer.js';
import type { Grants } from '../authz/grants.js';
import { processIdOf, userTaskAccess } from '../store/authorizations.js';
import type { Sql } from '../store/search/fields.js';
import { principalOf } from './auth.js';

/**
 * The one place where /v2 routes ask for permissions (Camunda 8.8's resource types and permission types). The
 * web app's /api reaches the engine through the official client as the signed-in user, so the same rules hold
 * whichever way a request comes in.
 */
interface AuthzState {
  authorizer: Authorizer;
  pool: pg.Pool;
  grants?: Promise<Grants>;
}

export function authzMiddleware(authorizer: Authorizer, pool: pg.Pool): Koa.Middleware {
  return (ctx, next) => {
    ctx.state.authz = { authorizer, pool } satisfies AuthzState;
    return next();
  };
}

function state(ctx: Koa.Context): AuthzState {
  return ctx.state.authz as AuthzState;
}

export function grantsFor(ctx: Koa.Context): Promise<Grants> {
  const s = state(ctx);
  return (s.grants ??= s.authorizer.grants(principalOf(ctx)));
}

/** Identity and authorization writes take effect at once in this engine. */
export function authorizationsChanged(ctx: Koa.Context): void {
  state(ctx).authorizer.invalidate();
}

/** A permission on every resource of the type (deploy, publish a message, manage identities, the clock). */
export async function requirePermission(ctx: Koa.Context, resourceType: string, permission: string): Promise<void> {
  if (!(await grantsFor(ctx)).has(resourceType, permission)) throw forbidden(permission, resourceType);
}

type Keyed = Parameters<typeof processIdOf>[1];

/**
 * A permission on the process a key-addressed command acts on. Holders of the wildcard skip the lookup (the job
 * workers' hot path); an unknown key is left to the command, which answers 404 as Camunda does.
 */
export async function requireOnProcessOf(
  ctx: Koa.Context,
  table: Keyed,
  key: string,
  permission: string,
): Promise<void> {
  const grants = await grantsFor(ctx);
  if (grants.has('PROCESS_DEFINITION', permission)) return;
  if (!grants.hasAny('PROCESS_DEFINITION', permission)) throw forbidden(permission, 'PROCESS_DEFINITION');
  const processId = await processIdOf(state(ctx).pool, table, key);
  if (processId !== null && !grants.has('PROCESS_DEFINITION', permission, processId))
    throw forbidden(permission, 'PROCESS_DEFINITION', processId);
}

export async function requireOnProcess(ctx: Koa.Context, processId: string, permission: string): Promise<void> {
  if (!(await grantsFor(ctx)).has('PROCESS_DEFINITION', permission, processId))
    throw forbidden(permission, 'PROCESS_DEFINITION', processId);
}

/** Job commands: Camunda's UPDATE_PROCESS_INSTANCE, and Aquaflow's rule that only worker identities take jobs. */
export function requireWorker(ctx: Koa.Context): void {
  const principal = principalOf(ctx);
  if (principal && !principal.service)
    throw forbidden('UPDATE_PROCESS_INSTANCE', 'PROCESS_DEFINITION').withDetail(
      `Job commands are for worker identities; '${principal.username}' is a person's login`,
    );
}

/**
 * The rows of a search the principal may read: nothing is added for a wildcard grant; otherwise only rows of the
 * granted processes are found (searches filter, as Camunda's do, rather than refuse).
 */
export async function readScope(ctx: Koa.Context, permission: string, processIdColumn: string): Promise<Sql[]> {
  const allowed = (await grantsFor(ctx)).allowed('PROCESS_DEFINITION', permission);
  if (allowed === '*') return [];
  if (!allowed.size) return [{ sql: 'false', bindings: [] }];
  const ids = [...allowed];
  return [{ sql: `${processIdColumn} IN (${ids.map(() => '?').join(', ')})`, bindings: ids }];
}

/** A single item read by key: 403 when its process is not readable (an unknown key stays 404). */
export async function requireReadable(ctx: Koa.Context, permission: string, processId: string | undefined) {
  if (processId === undefined) return;
  if (!(await grantsFor(ctx)).has('PROCESS_DEFINITION', permission, processId))
    throw forbidden(permission, 'PROCESS_DEFINITION', processId);
}

export type UserTaskAction = 'assign' | 'unassign' | 'complete' | 'update';

/**
 * User-task commands as Tasklist allows them: UPDATE_USER_TASK on the process lets a manager act on any task;
 * anyone else may claim a task offered to them (candidate user, one of their roles a candidate group, or a task
 * offered to nobody) and work on a task assigned to them.
 */
export async function requireUserTaskAction(
  ctx: Koa.Context,
  key: string,
  action: UserTaskAction,
  assignee?: string,
): Promise<void> {
  const grants = await grantsFor(ctx);
  if (grants.has('PROCESS_DEFINITION', 'UPDATE_USER_TASK')) return;
  const principal = principalOf(ctx);
  const task = await userTaskAccess(state(ctx).pool, key);
  if (!principal || !task) return;
  if (grants.has('PROCESS_DEFINITION', 'UPDATE_USER_TASK', task.processId)) return;
  const me = principal.username;
  const offered =
    task.candidateUsers.includes(me) ||
    task.candidateGroups.some((g) => principal.roles.includes(g)) ||
    (!task.candidateUsers.length && !task.candidateGroups.length);
  const readable = grants.has('PROCESS_DEFINITION', 'READ_USER_TASK', task.processId);
  const mine = task.assignee === me;
  const ok = readable && (action === 'assign' ? assignee === me && offered && (task.assignee === null || mine) : mine);
  if (!ok)
    throw forbidden('UPDATE_USER_TASK', 'PROCESS_DEFINITION', task.processId).withDetail(
      action === 'assign'
        ? `User '${me}' may only claim tasks offered to them (candidate user or group) for themselves`
        : `User '${me}' may only ${action} tasks assigned to them`,
    );
}

/**
 * Decisions and decision requirements (Camunda's DECISION_DEFINITION / DECISION_REQUIREMENTS_DEFINITION
 * resource types, by decision id / DRG id): a permission on one resource (403 naming it; undefined = unknown, left
 * to the read's 404), and the search rows a principal may read.
 */
export async function requireOnResource(
  ctx: Koa.Context,
  resourceType: string,
  permission: string,
  id: string | undefined,
): Promise<void> {
  const grants = await grantsFor(ctx);
  if (grants.has(resourceType, permission)) return;
  if (id === undefined) {
    if (!grants.hasAny(resourceType, permission)) throw forbidden(permission, resourceType);
    return;
  }
  if (!grants.has(resourceType, permission, id)) throw forbidden(permission, resourceType, id);
}

export async function readScopeOf(
  ctx: Koa.Context,
  resourceType: string,
  permission: string,
  idColumn: string,
): Promise<Sql[]> {
  const allowed = (await grantsFor(ctx)).allowed(resourceType, permission);
  if (allowed === '*') return [];
  if (!allowed.size) return [{ sql: 'false', bindings: [] }];
  const ids = [...allowed];
  return [{ sql: `${idColumn} IN (${ids.map(() => '?').join(', ')})`, bindings: ids }];
}
