import { hash, verify } from '@node-rs/argon2';
import type { Knex } from 'knex';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

// Verified when the user name is unknown, so a wrong name takes as long as a wrong password.
const DECOY_HASH = await hash('decoy password, never valid');

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** The active user with this name and password, or null. */
export async function userByCredentials(knex: Knex, username: string, password: string): Promise<User | null> {
  const row = await knex('cis.users').where({ username, active: true }).first('id', 'password_hash');
  const ok = await verify(row?.password_hash ?? DECOY_HASH, password).catch(() => false);
  if (!row || !ok) return null;
  return userById(knex, row.id);
}

export async function userById(knex: Knex, id: string): Promise<User | null> {
  return userOf(await activeUsers(knex).where('u.id', id).first());
}

/**
 * Active users with their roles, one row each (`u` the user); a caller narrows it down, joining what it finds
 * them by (a session finds its user in the same statement: one round trip per request).
 */
export function activeUsers(knex: Knex): Knex.QueryBuilder {
  return knex('cis.users as u')
    .leftJoin('cis.user_roles as r', 'r.user_id', 'u.id')
    .where('u.active', true)
    .groupBy('u.id')
    .select(
      'u.id',
      'u.username',
      'u.display_name',
      knex.raw("coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles"),
    );
}

export function userOf(
  row: { id: string; username: string; display_name: string; roles: string[] } | undefined,
): User | null {
  return row ? { id: row.id, username: row.username, displayName: row.display_name, roles: row.roles } : null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
}

export async function createUser(knex: Knex, user: NewUser): Promise<string> {
  const passwordHash = await hashPassword(user.password);
  return knex.transaction(async (trx) => {
    const [{ id }] = await trx('cis.users')
      .insert({ username: user.username, display_name: user.displayName, password_hash: passwordHash })
      .returning('id');
    if (user.roles.length) await trx('cis.user_roles').insert(user.roles.map((role) => ({ user_id: id, role })));
    return id as string;
  });
}

export async function countUsers(knex: Knex): Promise<number> {
  const row = await knex('cis.users').count<{ n: string }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
