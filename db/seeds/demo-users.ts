import { hash } from '@node-rs/argon2';
import type { Knex } from 'knex';
import { ROLES } from '../migrations/0003_users.js';

export const DEMO_PASSWORD = 'demo';

/**
 * One demo user per role, user name = role name, password `demo`, and the service identity `worker` for
 * `npm run workers` (it takes jobs and cannot sign in). Only for development databases.
 */
export async function seedDemoUsers(knex: Knex): Promise<string[]> {
  const names = [...ROLES.map(([name]) => name), 'worker'];
  const hashes = await Promise.all(names.map(() => hash(DEMO_PASSWORD)));
  await knex.transaction(async (trx) => {
    for (const [i, name] of names.entries()) {
      const [inserted] = await trx('cis.users')
        .insert({ username: name, display_name: `Demo ${name}`, password_hash: hashes[i] })
        .onConflict('username')
        .ignore()
        .returning('id');
      // An existing user of that name is left as it is.
      if (inserted) await trx('cis.user_roles').insert({ user_id: inserted.id, role: name });
    }
  });
  return names;
}
