import type { Knex } from 'knex';

/**
 * Clerks resume a suspended account through its suspension process: POST /api/customers/accounts/:no/resume
 * correlates `account-resume-requested` as the signed-in clerk, which the engine allows with MESSAGE CREATE
 * (managers and admins hold it since 0017, cashiers since 0020).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
     VALUES ('ROLE', 'clerk', 'MESSAGE', '*', ARRAY['CREATE'])
     ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
     DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `UPDATE engine.authorizations SET permission_types = array_remove(permission_types, 'CREATE')
      WHERE owner_type = 'ROLE' AND owner_id = 'clerk' AND resource_type = 'MESSAGE' AND resource_id = '*'`,
  );
  await knex.raw(
    `DELETE FROM engine.authorizations
      WHERE owner_type = 'ROLE' AND owner_id = 'clerk' AND resource_type = 'MESSAGE' AND cardinality(permission_types) = 0`,
  );
}
