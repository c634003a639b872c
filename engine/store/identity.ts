import type pg from 'pg';
import { notFound, Rejection } from '../runtime/errors.js';
import type { SearchDefinition } from './search/run.js';
import { pgArray, type FilterField } from './search/fields.js';
import { SearchRequestError } from './search/request-error.js';
import { identity } from './read/shared.js';

/**
 * The engine's own identity tables (db/migrations/0017_engine_authorizations.ts): groups and their members,
 * role members other than users, mapping rules and the authorization rows. Users and roles themselves belong
 * to the host (engine/authz/directory.ts). The only SQL of the identity endpoints.
 */

export const OWNER_TYPES = ['USER', 'CLIENT', 'ROLE', 'GROUP', 'MAPPING_RULE'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];
export type GroupMemberType = 'USER' | 'CLIENT' | 'MAPPING_RULE';
export type RoleMemberType = 'GROUP' | 'CLIENT' | 'MAPPING_RULE';

export const alreadyExists = (detail: string) => new Rejection(409, 'ALREADY_EXISTS', detail);

async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

// ---- groups -------------------------------------------------------------------------------------------------

export interface GroupItem {
  groupId: string;
  name: string;
  description: string;
}

export function groupItem(r: Record<string, unknown>): GroupItem {
  return { groupId: r.group_id as string, name: r.name as string, description: (r.description as string) ?? '' };
}

export const groupSearch: SearchDefinition<GroupItem> = {
  base: (k) => k.from('engine.identity_group as g').select('g.*'),
  key: 'g.key',
  filter: {
    groupId: { kind: 'string', column: 'g.group_id' },
    name: { kind: 'string', column: 'g.name', plainOnly: true },
  },
  sort: {
    name: { kind: 'string', column: 'g.name' },
    groupId: { kind: 'string', column: 'g.group_id' },
  },
  toItem: groupItem,
};

export async function getGroup(db: pg.Pool | pg.PoolClient, groupId: string): Promise<GroupItem | null> {
  const { rows } = await db.query('SELECT * FROM engine.identity_group WHERE group_id = $1', [groupId]);
  return rows[0] ? groupItem(rows[0]) : null;
}

export async function requireGroup(db: pg.Pool | pg.PoolClient, groupId: string, doing: string): Promise<GroupItem> {
  const group = await getGroup(db, groupId);
  if (!group)
    throw notFound(`Expected to ${doing} group with ID '${groupId}', but a group with this ID does not exist`);
  return group;
}

export async function createGroup(pool: pg.Pool, group: GroupItem): Promise<GroupItem> {
  const { rows } = await pool.query(
    `INSERT INTO engine.identity_group (group_id, name, description) VALUES ($1, $2, $3)
     ON CONFLICT (group_id) DO NOTHING RETURNING *`,
    [group.groupId, group.name, group.description],
  );
  if (!rows[0])
    throw alreadyExists(`Expected to create group with ID '${group.groupId}', but a group with this ID already exists`);
  return groupItem(rows[0]);
}

export async function updateGroup(
  pool: pg.Pool,
  groupId: string,
  changes: { name: string; description: string },
): Promise<GroupItem> {
  const { rows } = await pool.query(
    'UPDATE engine.identity_group SET name = $2, description = $3 WHERE group_id = $1 RETURNING *',
    [groupId, changes.name, changes.description],
  );
  if (!rows[0])
    throw notFound(`Expected to update group with ID '${groupId}', but a group with this ID does not exist`);
  return groupItem(rows[0]);
}

/** The group, its memberships (members cascade; its roles here) and the authorizations it owns. */
export async function deleteGroup(pool: pg.Pool, groupId: string): Promise<GroupItem & { key: string }> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query('DELETE FROM engine.identity_group WHERE group_id = $1 RETURNING *', [groupId]);
    if (!rows[0])
      throw notFound(`Expected to delete group with ID '${groupId}', but a group with this ID does not exist`);
    await c.query(`DELETE FROM engine.role_member WHERE member_type = 'GROUP' AND member_id = $1`, [groupId]);
    await c.query(`DELETE FROM engine.authorizations WHERE owner_type = 'GROUP' AND owner_id = $1`, [groupId]);
    return { ...groupItem(rows[0]), key: String(rows[0].key) };
  });
}

export async function addGroupMember(
  pool: pg.Pool,
  groupId: string,
  type: GroupMemberType,
  memberId: string,
): Promise<void> {
  const { rowCount } = await pool.query(
    `INSERT INTO engine.group_member (group_id, member_type, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [groupId, type, memberId],
  );
  if (!rowCount)
    throw alreadyExists(
      `Expected to add ${entity(type)} with ID '${memberId}' to group with ID '${groupId}', but the ${entity(type)} is already assigned to this group`,
    );
}

export async function removeGroupMember(
  pool: pg.Pool,
  groupId: string,
  type: GroupMemberType,
  memberId: string,
): Promise<void> {
  const { rowCount } = await pool.query(
    'DELETE FROM engine.group_member WHERE group_id = $1 AND member_type = $2 AND member_id = $3',
    [groupId, type, memberId],
  );
  if (!rowCount)
    throw notFound(
      `Expected to remove ${entity(type)} with ID '${memberId}' from group with ID '${groupId}', but the ${entity(type)} is not assigned to this group`,
    );
}

export async function groupMembers(pool: pg.Pool, groupId: string, type: GroupMemberType): Promise<string[]> {
  const { rows } = await pool.query(
    'SELECT member_id FROM engine.group_member WHERE group_id = $1 AND member_type = $2',
    [groupId, type],
  );
  return rows.map((r) => r.member_id as string);
}

// ---- role members (groups, clients, mapping rules; users are the directory's) --------------------------------

export async function addRoleMember(pool: pg.Pool, roleId: string, type: RoleMemberType, memberId: string) {
  const { rowCount } = await pool.query(
    `INSERT INTO engine.role_member (role_id, member_type, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [roleId, type, memberId],
  );
  if (!rowCount)
    throw alreadyExists(
      `Expected to add ${entity(type)} with ID '${memberId}' to role with ID '${roleId}', but the ${entity(type)} is already assigned to this role`,
    );
}

export async function removeRoleMember(pool: pg.Pool, roleId: string, type: RoleMemberType, memberId: string) {
  const { rowCount } = await pool.query(
    'DELETE FROM engine.role_member WHERE role_id = $1 AND member_type = $2 AND member_id = $3',
    [roleId, type, memberId],
  );
  if (!rowCount)
    throw notFound(
      `Expected to remove ${entity(type)} with ID '${memberId}' from role with ID '${roleId}', but the ${entity(type)} is not assigned to this role`,
    );
}

export async function roleMembers(pool: pg.Pool, roleId: string, type: RoleMemberType): Promise<string[]> {
  const { rows } = await pool.query(
    'SELECT member_id FROM engine.role_member WHERE role_id = $1 AND member_type = $2',
    [roleId, type],
  );
  return rows.map((r) => r.member_id as string);
}

/** Roles a group holds (engine.role_member). */
export async function rolesOfGroup(pool: pg.Pool, groupId: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT role_id FROM engine.role_member WHERE member_type = 'GROUP' AND member_id = $1`,
    [groupId],
  );
  return rows.map((r) => r.role_id as string);
}

/** Groups of a role, as a search over the groups (sort by groupId, Camunda's RoleGroupSearchQueryRequest). */
export function groupsOfRoleSearch(roleId: string): SearchDefinition<{ groupId: string }> {
  return {
    base: (k) =>
      k
        .from('engine.identity_group as g')
        .select('g.group_id')
        .whereRaw(
          `g.group_id IN (SELECT rm.member_id FROM engine.role_member rm WHERE rm.member_type = 'GROUP' AND rm.role_id = ?)`,
          [roleId],
        ),
    key: 'g.key',
    filter: {},
    sort: { groupId: { kind: 'string', column: 'g.group_id' } },
    toItem: (r) => ({ groupId: r.group_id as string }),
  };
}

/** What a deleted user leaves behind in the engine: group memberships and the authorizations it owns. */
export async function forgetUser(pool: pg.Pool, username: string): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query(`DELETE FROM engine.group_member WHERE member_type = 'USER' AND member_id = $1`, [username]);
    await c.query(`DELETE FROM engine.authorizations WHERE owner_type = 'USER' AND owner_id = $1`, [username]);
  });
}

/** What a deleted role leaves behind in the engine: its members and the authorizations it owns. */
export async function forgetRole(pool: pg.Pool, roleId: string): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('DELETE FROM engine.role_member WHERE role_id = $1', [roleId]);
    await c.query(`DELETE FROM engine.authorizations WHERE owner_type = 'ROLE' AND owner_id = $1`, [roleId]);
  });
}

function entity(type: string): string {
  return type === 'MAPPING_RULE' ? 'mapping rule' : type.toLowerCase();
}

// ---- mapping rules ------------------------------------------------------------------------------------------

export interface MappingRuleItem {
  mappingRuleId: string;
  name: string;
  claimName: string;
  claimValue: string;
}

export function mappingRuleItem(r: Record<string, unknown>): MappingRuleItem {
  return {
    mappingRuleId: r.mapping_rule_id as string,
    name: r.name as string,
    claimName: r.claim_name as string,
    claimValue: r.claim_value as string,
  };
}

export const mappingRuleSearch: SearchDefinition<MappingRuleItem> = {
  base: (k) => k.from('engine.mapping_rule as m').select('m.*'),
  key: 'm.key',
  filter: {
    mappingRuleId: { kind: 'string', column: 'm.mapping_rule_id', plainOnly: true },
    name: { kind: 'string', column: 'm.name', plainOnly: true },
    claimName: { kind: 'string', column: 'm.claim_name', plainOnly: true },
    claimValue: { kind: 'string', column: 'm.claim_value', plainOnly: true },
  },
  sort: {
    mappingRuleId: { kind: 'string', column: 'm.mapping_rule_id' },
    claimName: { kind: 'string', column: 'm.claim_name' },
    claimValue: { kind: 'string', column: 'm.claim_value' },
    name: { kind: 'string', column: 'm.name' },
  },
  toItem: mappingRuleItem,
};

/** SQL scope: only the mapping rules that are members of a group or role. */
export function mappingRulesOf(owner: 'group' | 'role', id: string) {
  const table = owner === 'group' ? 'engine.group_member' : 'engine.role_member';
  const column = owner === 'group' ? 'group_id' : 'role_id';
  return [
    {
      sql: `m.mapping_rule_id IN (SELECT member_id FROM ${table} WHERE member_type = 'MAPPING_RULE' AND ${column} = ?)`,
      bindings: [id],
    },
  ];
}

export async function getMappingRule(db: pg.Pool | pg.PoolClient, id: string): Promise<MappingRuleItem | null> {
  const { rows } = await db.query('SELECT * FROM engine.mapping_rule WHERE mapping_rule_id = $1', [id]);
  return rows[0] ? mappingRuleItem(rows[0]) : null;
}

export async function requireMappingRule(db: pg.Pool, id: string, doing: string): Promise<MappingRuleItem> {
  const rule = await getMappingRule(db, id);
  if (!rule)
    throw notFound(`Expected to ${doing} mapping rule with ID '${id}', but a mapping rule with this ID does not exist`);
  return rule;
}

/** Mapping rules are few and written rarely: the table lock makes the id and claim checks race-free. */
async function checkClaimFree(c: pg.PoolClient, rule: MappingRuleItem, doing: string) {
  const { rows } = await c.query(
    'SELECT mapping_rule_id FROM engine.mapping_rule WHERE claim_name = $1 AND claim_value = $2 AND mapping_rule_id <> $3',
    [rule.claimName, rule.claimValue, rule.mappingRuleId],
  );
  if (rows[0])
    throw alreadyExists(
      `Expected to ${doing} mapping rule with claimName '${rule.claimName}' and claimValue '${rule.claimValue}', but a mapping rule with this claim already exists ('${rows[0].mapping_rule_id}')`,
    );
}

export async function createMappingRule(pool: pg.Pool, rule: MappingRuleItem): Promise<MappingRuleItem> {
  return inTransaction(pool, async (c) => {
    await c.query('LOCK TABLE engine.mapping_rule IN SHARE ROW EXCLUSIVE MODE');
    if (await getMappingRule(c, rule.mappingRuleId))
      throw alreadyExists(
        `Expected to create mapping rule with ID '${rule.mappingRuleId}', but a mapping rule with this ID already exists`,
      );
    await checkClaimFree(c, rule, 'create');
    const { rows } = await c.query(
      `INSERT INTO engine.mapping_rule (mapping_rule_id, name, claim_name, claim_value) VALUES ($1, $2, $3, $4) RETURNING *`,
      [rule.mappingRuleId, rule.name, rule.claimName, rule.claimValue],
    );
    return mappingRuleItem(rows[0]);
  });
}

export async function updateMappingRule(pool: pg.Pool, rule: MappingRuleItem): Promise<MappingRuleItem> {
  return inTransaction(pool, async (c) => {
    await c.query('LOCK TABLE engine.mapping_rule IN SHARE ROW EXCLUSIVE MODE');
    if (!(await getMappingRule(c, rule.mappingRuleId)))
      throw notFound(
        `Expected to update mapping rule with ID '${rule.mappingRuleId}', but a mapping rule with this ID does not exist`,
      );
    await checkClaimFree(c, rule, 'update');
    const { rows } = await c.query(
      `UPDATE engine.mapping_rule SET name = $2, claim_name = $3, claim_value = $4 WHERE mapping_rule_id = $1 RETURNING *`,
      [rule.mappingRuleId, rule.name, rule.claimName, rule.claimValue],
    );
    return mappingRuleItem(rows[0]);
  });
}

/** The rule, its group and role memberships and the authorizations it owns. */
export async function deleteMappingRule(pool: pg.Pool, id: string): Promise<MappingRuleItem> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query('DELETE FROM engine.mapping_rule WHERE mapping_rule_id = $1 RETURNING *', [id]);
    if (!rows[0])
      throw notFound(`Expected to delete mapping rule with ID '${id}', but a mapping rule with this ID does not exist`);
    await c.query(`DELETE FROM engine.group_member WHERE member_type = 'MAPPING_RULE' AND member_id = $1`, [id]);
    await c.query(`DELETE FROM engine.role_member WHERE member_type = 'MAPPING_RULE' AND member_id = $1`, [id]);
    await c.query(`DELETE FROM engine.authorizations WHERE owner_type = 'MAPPING_RULE' AND owner_id = $1`, [id]);
    return mappingRuleItem(rows[0]);
  });
}

// ---- authorizations -----------------------------------------------------------------------------------------

export interface AuthorizationItem {
  authorizationKey: string;
  ownerId: string;
  ownerType: OwnerType;
  resourceType: string;
  resourceId: string;
  permissionTypes: string[];
}

export interface AuthorizationInput {
  ownerId: string;
  ownerType: OwnerType;
  resourceType: string;
  resourceId: string;
  permissionTypes: string[];
}

export function authorizationItem(r: Record<string, unknown>): AuthorizationItem {
  return {
    authorizationKey: String(r.key),
    ownerId: r.owner_id as string,
    ownerType: r.owner_type as OwnerType,
    resourceType: r.resource_type as string,
    resourceId: r.resource_id as string,
    permissionTypes: [...(r.permission_types as string[])].sort(),
  };
}

const resourceIdsFilter: FilterField = {
  kind: 'string',
  column: 'a.resource_id',
  compile: (value, path) => {
    if (!Array.isArray(value)) throw new SearchRequestError(path, 'expected an array of resource ids');
    value.forEach((v, i) => {
      if (typeof v !== 'string' || v.includes('\u0000'))
        throw new SearchRequestError(`${path}[${i}]`, 'expected a string');
    });
    if (!value.length) return { sql: 'true', bindings: [] };
    return { sql: 'a.resource_id = ANY(?::text[])', bindings: [pgArray(value)] };
  },
};

export function authorizationSearch(resourceTypes: readonly string[]): SearchDefinition<AuthorizationItem> {
  return {
    base: (k) => k.from('engine.authorizations as a').select('a.*'),
    key: 'a.key',
    filter: {
      ownerId: { kind: 'string', column: 'a.owner_id', plainOnly: true },
      // The client's OwnerTypeEnum also has UNSPECIFIED, which no stored authorization has.
      ownerType: {
        kind: 'enum',
        column: 'a.owner_type',
        values: { ...identity(...OWNER_TYPES), UNSPECIFIED: [] },
        plainOnly: true,
      },
      resourceIds: resourceIdsFilter,
      resourceType: { kind: 'enum', column: 'a.resource_type', values: identity(...resourceTypes), plainOnly: true },
    },
    sort: {
      ownerId: { kind: 'string', column: 'a.owner_id' },
      ownerType: { kind: 'string', column: 'a.owner_type' },
      resourceId: { kind: 'string', column: 'a.resource_id' },
      resourceType: { kind: 'string', column: 'a.resource_type' },
    },
    toItem: authorizationItem,
  };
}

const authorizationMissing = (doing: string, key: string) =>
  notFound(`Expected to ${doing} authorization with key '${key}', but an authorization with this key does not exist`);

const authorizationTaken = (a: AuthorizationInput) =>
  alreadyExists(
    `Expected to create authorization for owner '${a.ownerId}' for resource identifier '${a.resourceId}', but an authorization for this resource identifier already exists`,
  );

export async function getAuthorization(pool: pg.Pool, key: string): Promise<AuthorizationItem> {
  const { rows } = /^\d{1,19}$/.test(key)
    ? await pool.query('SELECT * FROM engine.authorizations WHERE key = $1::bigint', [key])
    : { rows: [] };
  if (!rows[0]) throw authorizationMissing('get', key);
  return authorizationItem(rows[0]);
}

export async function createAuthorization(pool: pg.Pool, a: AuthorizationInput): Promise<AuthorizationItem> {
  try {
    const { rows } = await pool.query(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ($1, $2, $3, $4, $5::text[]) RETURNING *`,
      [a.ownerType, a.ownerId, a.resourceType, a.resourceId, a.permissionTypes],
    );
    return authorizationItem(rows[0]);
  } catch (e) {
    if (isUniqueViolation(e)) throw authorizationTaken(a);
    throw e;
  }
}

export async function updateAuthorization(pool: pg.Pool, key: string, a: AuthorizationInput): Promise<void> {
  if (!/^\d{1,19}$/.test(key)) throw authorizationMissing('update', key);
  try {
    const { rowCount } = await pool.query(
      `UPDATE engine.authorizations
          SET owner_type = $2, owner_id = $3, resource_type = $4, resource_id = $5, permission_types = $6::text[]
        WHERE key = $1::bigint`,
      [key, a.ownerType, a.ownerId, a.resourceType, a.resourceId, a.permissionTypes],
    );
    if (!rowCount) throw authorizationMissing('update', key);
  } catch (e) {
    if (isUniqueViolation(e)) throw authorizationTaken(a);
    throw e;
  }
}

export async function deleteAuthorization(pool: pg.Pool, key: string): Promise<AuthorizationItem> {
  const { rows } = /^\d{1,19}$/.test(key)
    ? await pool.query('DELETE FROM engine.authorizations WHERE key = $1::bigint RETURNING *', [key])
    : { rows: [] };
  if (!rows[0]) throw authorizationMissing('delete', key);
  return authorizationItem(rows[0]);
}

// ---- record log ---------------------------------------------------------------------------------------------

export interface IdentityRecord {
  /** The entity's key (group, mapping rule, authorization); users and roles of the host get a fresh one. */
  key?: string;
  valueType: 'USER' | 'ROLE' | 'GROUP' | 'AUTHORIZATION' | 'MAPPING_RULE';
  intent: 'CREATED' | 'UPDATED' | 'DELETED' | 'ENTITY_ADDED' | 'ENTITY_REMOVED';
  actor: string | null;
  timestamp: Date;
  /** Never a password. */
  value: Record<string, unknown>;
}

/**
 * Identity changes go to the record log as Zeebe writes them (value types USER, ROLE, GROUP, AUTHORIZATION,
 * MAPPING_RULE), so auditors see who granted what, when. Appended after the change itself.
 */
export async function appendIdentityRecord(pool: pg.Pool, r: IdentityRecord): Promise<void> {
  await pool.query(
    `INSERT INTO engine.record (key, value_type, intent, actor, timestamp, value)
     VALUES (coalesce($1::bigint, nextval('engine.key_seq')), $2, $3, $4, $5, $6::jsonb)`,
    [r.key ?? null, r.valueType, r.intent, r.actor, r.timestamp, JSON.stringify(r.value)],
  );
}
