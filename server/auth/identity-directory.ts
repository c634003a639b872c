import type { Knex } from 'knex';
import {
  DirectoryError,
  type DirectoryQuery,
  type DirectoryRole,
  type DirectoryUser,
  type IdentityDirectory,
  type TextCondition,
} from '../../engine/index.js';
import { WORKER_ROLE } from './engine-principals.js';
import { hashPassword } from './users.js';

/**
 * Aquaflow's users and roles (cis.users, cis.roles, cis.user_roles) as the embedded engine's identity directory:
 * what Camunda's tools manage through /v2/users and /v2/roles. Passwords are stored as argon2 hashes only.
 * Aquaflow's rules hold here whichever way a change comes in: the role `worker` marks a service identity (a job
 * worker) and is never combined with a person's roles, and a role still held by users cannot be deleted.
 */
export function identityDirectory(knex: Knex): IdentityDirectory {
  const USER_COLUMNS = { username: 'u.username', name: 'u.display_name', email: 'u.email' } as const;
  const ROLE_COLUMNS = { roleId: 'r.name', name: 'coalesce(r.display_name, r.name)' } as const;

  const userOf = (row: { username: string; display_name: string; email: string | null }): DirectoryUser => ({
    username: row.username,
    name: row.display_name,
    email: row.email ?? null,
  });
  const roleOf = (row: { name: string; display_name: string | null; description: string }): DirectoryRole => ({
    roleId: row.name,
    name: row.display_name ?? row.name,
    description: row.description,
  });

  const userMissing = (username: string, doing: string) =>
    new DirectoryError(
      'NOT_FOUND',
      `Expected to ${doing} user with username '${username}', but a user with this username does not exist`,
    );
  const roleMissing = (roleId: string, doing: string) =>
    new DirectoryError(
      'NOT_FOUND',
      `Expected to ${doing} role with ID '${roleId}', but a role with this ID does not exist`,
    );

  async function search<F extends string, Row>(
    base: Knex.QueryBuilder,
    columns: Record<F, string>,
    idColumn: string,
    query: DirectoryQuery<F>,
  ): Promise<{ rows: Row[]; total: number }> {
    for (const { field, condition } of query.where) applyCondition(base, columns[field], condition);
    const counted = base.clone().clearSelect().count<{ n: string }[]>({ n: '*' });
    const page = base.clone();
    for (const term of query.sort) page.orderByRaw(`${columns[term.field]} ${term.order} NULLS LAST`);
    page.orderByRaw(`${idColumn} ${query.sort.at(-1)?.order ?? 'ASC'}`);
    const [rows, [{ n }]] = await Promise.all([page.offset(query.offset).limit(query.limit), counted]);
    return { rows: rows as Row[], total: Number(n) };
  }

  const directory: IdentityDirectory = {
    async searchUsers(query) {
      const base = knex('cis.users as u').select('u.username', 'u.display_name', 'u.email');
      if (query.role !== undefined)
        base.whereExists(knex('cis.user_roles as ur').whereRaw('ur.user_id = u.id').where('ur.role', query.role));
      const { rows, total } = await search<keyof typeof USER_COLUMNS, Parameters<typeof userOf>[0]>(
        base,
        USER_COLUMNS,
        'u.username',
        query,
      );
      return { items: rows.map(userOf), total };
    },

    async getUser(username) {
      const row = await knex('cis.users').where({ username }).first('username', 'display_name', 'email');
      return row ? userOf(row) : null;
    },

    async createUser(user) {
      const passwordHash = await hashPassword(user.password);
      const [row] = await knex('cis.users')
        .insert({
          username: user.username,
          display_name: user.name || user.username,
          email: user.email || null,
          password_hash: passwordHash,
        })
        .onConflict('username')
        .ignore()
        .returning(['username', 'display_name', 'email']);
      if (!row)
        throw new DirectoryError(
          'ALREADY_EXISTS',
          `Expected to create user with username '${user.username}', but a user with this username already exists`,
        );
      return userOf(row);
    },

    async updateUser(username, changes) {
      const patch: Record<string, unknown> = {};
      if (changes.name) patch.display_name = changes.name;
      if (changes.email !== undefined) patch.email = changes.email || null;
      if (changes.password) patch.password_hash = await hashPassword(changes.password);
      const rows = Object.keys(patch).length
        ? await knex('cis.users').where({ username }).update(patch).returning(['username', 'display_name', 'email'])
        : await knex('cis.users').where({ username }).select('username', 'display_name', 'email');
      if (!rows[0]) throw userMissing(username, 'update');
      return userOf(rows[0]);
    },

    async deleteUser(username) {
      await knex.transaction(async (trx) => {
        await keepAnAdministrator(trx, username, 'delete the user');
        // Roles and sessions go with the user (ON DELETE CASCADE); the audit trail keeps the name as text.
        const deleted = await trx('cis.users').where({ username }).delete();
        if (!deleted) throw userMissing(username, 'delete');
      });
    },

    async searchRoles(query) {
      const base = knex('cis.roles as r').select('r.name', 'r.display_name', 'r.description');
      const { rows, total } = await search<keyof typeof ROLE_COLUMNS, Parameters<typeof roleOf>[0]>(
        base,
        ROLE_COLUMNS,
        'r.name',
        query,
      );
      return { items: rows.map(roleOf), total };
    },

    async getRole(roleId) {
      const row = await knex('cis.roles').where({ name: roleId }).first('name', 'display_name', 'description');
      return row ? roleOf(row) : null;
    },

    async createRole(role) {
      const [row] = await knex('cis.roles')
        .insert({ name: role.roleId, display_name: role.name, description: role.description })
        .onConflict('name')
        .ignore()
        .returning(['name', 'display_name', 'description']);
      if (!row)
        throw new DirectoryError(
          'ALREADY_EXISTS',
          `Expected to create role with ID '${role.roleId}', but a role with this ID already exists`,
        );
      return roleOf(row);
    },

    async updateRole(roleId, changes) {
      const [row] = await knex('cis.roles')
        .where({ name: roleId })
        .update({ display_name: changes.name, description: changes.description })
        .returning(['name', 'display_name', 'description']);
      if (!row) throw roleMissing(roleId, 'update');
      return roleOf(row);
    },

    async deleteRole(roleId) {
      try {
        await knex.transaction(async (trx) => {
          const role = await trx('cis.roles').where({ name: roleId }).forUpdate().first('name');
          if (!role) throw roleMissing(roleId, 'delete');
          const holders = await trx('cis.user_roles as ur')
            .join('cis.users as u', 'u.id', 'ur.user_id')
            .where('ur.role', roleId)
            .orderBy('u.username')
            .pluck('u.username');
          if (holders.length) throw stillHeld(roleId, holders);
          await trx('cis.roles').where({ name: roleId }).delete();
        });
      } catch (e) {
        // A user given the role in the meantime: the foreign key refuses the delete.
        if ((e as { code?: string }).code === '23503') throw stillHeld(roleId, []);
        throw e;
      }
    },

    async assignRole(roleId, username) {
      await knex.transaction(async (trx) => {
        // The user's row lock serialises concurrent assignments, so the worker rule cannot be raced past.
        const user = await trx('cis.users').where({ username }).forUpdate().first('id');
        if (!user) throw userMissing(username, 'assign a role to');
        if (!(await trx('cis.roles').where({ name: roleId }).first('name')))
          throw roleMissing(roleId, 'assign a user to');
        const held: string[] = await trx('cis.user_roles').where({ user_id: user.id }).pluck('role');
        if (held.includes(roleId))
          throw new DirectoryError(
            'ALREADY_EXISTS',
            `Expected to add user with username '${username}' to role with ID '${roleId}', but the user is already assigned to this role`,
          );
        const persons = held.filter((r) => r !== WORKER_ROLE);
        if (roleId === WORKER_ROLE && persons.length)
          throw new DirectoryError(
            'CONFLICT',
            `User '${username}' holds the person role(s) ${persons.join(', ')}; the role '${WORKER_ROLE}' marks a service identity (a job worker) and cannot be combined with a person's roles. Use a separate user for the worker`,
          );
        if (roleId !== WORKER_ROLE && held.includes(WORKER_ROLE))
          throw new DirectoryError(
            'CONFLICT',
            `User '${username}' is a service identity (role '${WORKER_ROLE}'); a person's role such as '${roleId}' cannot be combined with it. Use a separate user for the person`,
          );
        await trx('cis.user_roles').insert({ user_id: user.id, role: roleId });
      });
    },

    async unassignRole(roleId, username) {
      await knex.transaction(async (trx) => {
        const user = await trx('cis.users').where({ username }).first('id');
        if (!user) throw userMissing(username, 'unassign a role from');
        if (!(await trx('cis.roles').where({ name: roleId }).first('name')))
          throw roleMissing(roleId, 'unassign a user from');
        if (roleId === ADMIN_ROLE) await keepAnAdministrator(trx, username, `take the role '${ADMIN_ROLE}' from`);
        const removed = await trx('cis.user_roles').where({ user_id: user.id, role: roleId }).delete();
        if (!removed)
          throw new DirectoryError(
            'NOT_FOUND',
            `Expected to remove user with username '${username}' from role with ID '${roleId}', but the user is not assigned to this role`,
          );
      });
    },

    async rolesOf(username) {
      return knex('cis.user_roles as ur')
        .join('cis.users as u', 'u.id', 'ur.user_id')
        .where('u.username', username)
        .orderBy('ur.role')
        .pluck('ur.role');
    },
  };
  return directory;
}

const ADMIN_ROLE = 'admin';

/**
 * Someone must be able to manage users and permissions: the last active holder of the role admin keeps it and
 * cannot be deleted. The admin role's row lock serialises the check with concurrent ones.
 */
async function keepAnAdministrator(trx: Knex.Transaction, username: string, doing: string): Promise<void> {
  await trx('cis.roles').where({ name: ADMIN_ROLE }).forUpdate().first('name');
  const admins: string[] = await trx('cis.user_roles as ur')
    .join('cis.users as u', 'u.id', 'ur.user_id')
    .where({ 'ur.role': ADMIN_ROLE, 'u.active': true })
    .pluck('u.username');
  if (admins.length === 1 && admins[0] === username)
    throw new DirectoryError(
      'CONFLICT',
      `Cannot ${doing} '${username}': it is the last active user with the role '${ADMIN_ROLE}', and without one nobody could manage users and permissions. Give another user the role first`,
    );
}

function stillHeld(roleId: string, holders: string[]): DirectoryError {
  const who = holders.length
    ? ` by ${holders.length} user(s): ${holders.slice(0, 10).join(', ')}${holders.length > 10 ? ', …' : ''}`
    : ' by users';
  return new DirectoryError(
    'CONFLICT',
    `Expected to delete role with ID '${roleId}', but it is still held${who}; unassign it from them first`,
  );
}

/** One condition on a trusted column expression; `neq`/`notIn` also match an absent (null) value, as Camunda's do. */
function applyCondition(q: Knex.QueryBuilder, column: string, c: TextCondition): void {
  switch (c.op) {
    case 'eq':
      q.whereRaw(`${column} = ?`, [c.value]);
      return;
    case 'neq':
      q.whereRaw(`(${column} IS NULL OR ${column} <> ?)`, [c.value]);
      return;
    case 'in':
      if (!c.values.length) q.whereRaw('false');
      else q.whereRaw(`${column} IN (${placeholders(c.values)})`, c.values);
      return;
    case 'notIn':
      if (c.values.length) q.whereRaw(`(${column} IS NULL OR ${column} NOT IN (${placeholders(c.values)}))`, c.values);
      return;
    case 'exists':
      q.whereRaw(`${column} IS ${c.value ? 'NOT ' : ''}NULL`);
      return;
    case 'like':
      q.whereRaw(`${column} LIKE ?`, [c.pattern]);
      return;
  }
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
