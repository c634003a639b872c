import type { Knex } from 'knex';

/**
 * What Camunda 8.8's identity API keeps about users and roles beyond Aquaflow's columns: a user's email and a
 * role's display name (its id stays `cis.roles.name`, the name user-task candidate groups use). Both optional:
 * readers fall back to no email and to the role id. Existing roles get the title of their description.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.users ADD COLUMN email text;
    ALTER TABLE cis.roles ADD COLUMN display_name text;
    UPDATE cis.roles SET display_name = btrim(split_part(split_part(description, ':', 1), '(', 1))
     WHERE display_name IS NULL AND description <> '';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.roles DROP COLUMN display_name;
    ALTER TABLE cis.users DROP COLUMN email;
  `);
}
