import type pg from 'pg';
import { grantsOf } from '../store/authorizations.js';
import { Rejection } from '../runtime/errors.js';
import { AllGrants, Grants } from './grants.js';
import type { Principal } from './principal.js';

const UNRESTRICTED = new AllGrants();

/**
 * Resolves principals to their grants. Grants are cached for `ttlMs` per user and role set: every request would
 * otherwise pay a query. A change through this engine clears the cache at once; a change made by another engine
 * process on the same database is seen within ttlMs (Camunda's own components cache authorizations too).
 */
export class Authorizer {
  private readonly cache = new Map<string, { until: number; grants: Promise<Grants> }>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs = 2000,
  ) {}

  /** A request without a principal comes from an engine running without authentication: it may do anything. */
  grants(principal: Principal | null, now = Date.now()): Promise<Grants> {
    if (!principal) return Promise.resolve(UNRESTRICTED);
    const id = `${principal.username}\u0000${principal.roles.join(',')}`;
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.grants;
    const grants = grantsOf(this.pool, principal.username, principal.roles).then((rows) => new Grants(rows));
    grants.catch(() => this.cache.delete(id));
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(id, { until: now + this.ttlMs, grants });
    return grants;
  }

  invalidate(): void {
    this.cache.clear();
  }
}

/** Camunda's answer to a missing permission (Zeebe's rejection text, status 403). */
export function forbidden(permission: string, resourceType: string, resourceId?: string): Rejection {
  const ids = resourceId === undefined ? '' : `, required resource identifiers are one of '[*, ${resourceId}]'`;
  return new Rejection(
    403,
    'FORBIDDEN',
    `Insufficient permissions to perform operation '${permission}' on resource '${resourceType}'${ids}`,
  );
}
