import type { Knex } from 'knex';

/** The roles of DESIGN §5; user-task candidate groups use these names. */
export const ROLES: Array<[name: string, description: string]> = [
  ['admin', 'Administrator: users, roles and system settings'],
  ['clerk', 'Service-counter clerk: accounts, applications, cases'],
  ['cashier', 'Cashier: payments, receipts, IC-card top-ups'],
  ['reader', 'Meter reader: reading orders and readings'],
  ['dispatcher', 'Dispatcher: repair tickets and work orders'],
  ['crew', 'Repair crew: field work and results'],
  ['engineer', 'Engineer: surveys, designs, budgets'],
  ['manager', 'Manager: approvals and reports'],
  ['auditor', 'Auditor: reads everything, changes nothing'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('cis').createTable('roles', (t) => {
    t.text('name').primary();
    t.text('description').notNullable();
  });
  await knex
    .withSchema('cis')
    .table('roles')
    .insert(ROLES.map(([name, description]) => ({ name, description })));

  await knex.schema.withSchema('cis').createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('password_hash').notNullable().comment('argon2id PHC string');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.withSchema('cis').createTable('user_roles', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('cis.users').onDelete('CASCADE');
    t.text('role').notNullable().references('name').inTable('cis.roles');
    t.primary(['user_id', 'role']);
  });

  // Browser sessions: only a hash of the cookie token is stored, so a database dump cannot be replayed as cookies.
  await knex.schema.withSchema('cis').createTable('sessions', (t) => {
    t.text('token_hash').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('cis.users').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('cis').dropTable('sessions');
  await knex.schema.withSchema('cis').dropTable('user_roles');
  await knex.schema.withSchema('cis').dropTable('users');
  await knex.schema.withSchema('cis').dropTable('roles');
}
