import type { Knex } from 'knex';
import { writeAudit } from '../../domain/audit/audit.js';

/**
 * What the admin screen keeps beside Camunda's identity API. Camunda 8.8's users have a username, name, email and
 * password, nothing more: /v2/users cannot deactivate anyone (UserUpdateRequest has no such field). So the
 * active flag lives here, on cis.users, where sign-in (/api/session) and /v2 Basic authentication already read it.
 * Changes made through /v2 are in the engine's record log (with the admin as actor); this one is in cis.audit_log.
 */

/** The active flag of each named user; a name cis.users does not know (an external cluster's user) counts as active. */
export async function activeFlags(knex: Knex, usernames: string[]): Promise<Map<string, boolean>> {
  const rows: Array<{ username: string; active: boolean }> = usernames.length
    ? await knex('cis.users').whereIn('username', usernames).select('username', 'active')
    : [];
  const flags = new Map(usernames.map((u) => [u, true]));
  for (const r of rows) flags.set(r.username, r.active);
  return flags;
}

/**
 * Deactivates or reactivates a user, with an audit row in the same transaction. Deactivation also ends the
 * user's sessions, so an open browser is signed out at its next request. False when there is no such user.
 */
export async function setUserActive(knex: Knex, username: string, active: boolean, actor: string): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const row = await trx('cis.users').where({ username }).forUpdate().first('id', 'active');
    if (!row) return false;
    if (row.active === active) return true;
    await trx('cis.users').where({ id: row.id }).update({ active });
    if (!active) await trx('cis.sessions').where({ user_id: row.id }).delete();
    await writeAudit(trx, { actor }, [
      {
        action: active ? 'reactivated' : 'deactivated',
        entity: 'user',
        entityId: username,
        before: { active: row.active },
        after: { active },
      },
    ]);
    return true;
  });
}
