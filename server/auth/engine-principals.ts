import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal } from '../../engine/index.js';
import { isDelegatedPassword } from '../camunda/clients.js';
import { userByCredentials } from './users.js';
import { VerifiedCredentials } from './verified-credentials.js';

/** Role of service identities: job workers. A user with it is not a person and cannot sign in to the web app. */
export const WORKER_ROLE = 'worker';

export interface InternalCredential {
  username: string;
  password: string;
}

/**
 * Turns /v2 Basic credentials into the engine's principal: Aquaflow's user with its roles. Three kinds of caller:
 * the server's own in-process workers and deployer (a per-process credential, a worker identity that may also
 * deploy), the server acting for a signed-in user (a delegated password, see camunda/clients.ts) and anyone
 * with a user name and password (scripts, `npm run workers` with a service user, Camunda tools).
 */
export function enginePrincipals(knex: Knex, internal: InternalCredential, ttlMs = 5000) {
  const credentials = new VerifiedCredentials();
  const cached = new Map<string, { until: number; principal: Promise<Principal | null> }>();

  const principalOf = (username: string, now = Date.now()): Promise<Principal | null> => {
    const hit = cached.get(username);
    if (hit && hit.until > now) return hit.principal;
    const principal = rolesOf(knex, username).then((roles) =>
      roles === null ? null : { username, roles, service: roles.includes(WORKER_ROLE) },
    );
    if (cached.size >= 10_000) cached.clear();
    cached.set(username, { until: now + ttlMs, principal });
    return principal;
  };

  return async (username: string, password: string): Promise<Principal | null> => {
    if (username === internal.username)
      return safeEqual(password, internal.password) ? { username, roles: [WORKER_ROLE, 'admin'], service: true } : null;
    if (isDelegatedPassword(internal.password, username, password)) return principalOf(username);
    const ok = await credentials.check(
      username,
      password,
      async () => (await userByCredentials(knex, username, password)) !== null,
    );
    return ok ? principalOf(username) : null;
  };
}

/** The roles of an active user, or null when there is none (a deactivated user is refused once its cache entry expires). */
async function rolesOf(knex: Knex, username: string): Promise<string[] | null> {
  const rows = await knex('cis.users as u')
    .leftJoin('cis.user_roles as r', 'r.user_id', 'u.id')
    .where({ 'u.username': username, 'u.active': true })
    .select('r.role');
  if (!rows.length) return null;
  return rows.map((r) => r.role as string | null).filter((r): r is string => r !== null);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
