import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { activeUsers, userOf, type User } from './users.js';

function digest(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Stores a new session and returns its token (the cookie value); only the token's hash is kept. */
export async function openSession(knex: Knex, userId: string, ttlHours: number): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await knex('cis.sessions').insert({
    token_hash: digest(token),
    user_id: userId,
    expires_at: knex.raw(`now() + make_interval(secs => ?)`, [ttlHours * 3600]),
  });
  return token;
}

export async function sessionUser(knex: Knex, token: string): Promise<User | null> {
  const row = await activeUsers(knex)
    .join('cis.sessions as s', 's.user_id', 'u.id')
    .where('s.token_hash', digest(token))
    .andWhere('s.expires_at', '>', knex.fn.now())
    .first();
  return userOf(row);
}

export async function closeSession(knex: Knex, token: string): Promise<void> {
  await knex('cis.sessions').where('token_hash', digest(token)).delete();
}

export async function purgeExpiredSessions(knex: Knex): Promise<number> {
  return knex('cis.sessions').where('expires_at', '<=', knex.fn.now()).delete();
}
