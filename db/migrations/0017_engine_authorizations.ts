import type { Knex } from 'knex';

/**
 * Camunda 8.8-style authorizations for the embedded engine's /v2 API: who (a user, role, group or mapping rule)
 * may do what (permission types) on which resources (a resource type and an id, or `*`). The rows below map
 * Aquaflow's roles (DESIGN §5) onto that model; admins edit them later through /v2/authorizations. Groups and
 * mapping rules are the engine's own identity entities (Aquaflow's users and roles stay in cis.users/cis.roles).
 */
const EVERY_STAFF_ROLE = [
  'clerk',
  'cashier',
  'reader',
  'dispatcher',
  'crew',
  'engineer',
  'manager',
  'admin',
  'auditor',
];
const READ_PROCESSES = ['READ_PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE', 'READ_USER_TASK'];
const IDENTITY = ['AUTHORIZATION', 'USER', 'ROLE', 'GROUP', 'MAPPING_RULE'];

type Grant = [owner: string, resourceType: string, resourceId: string, permissions: string[]];

/** Which processes each role starts (the /api screens that start them check the same roles). */
const STARTS: Record<string, string[]> = {
  clerk: [
    'account-opening',
    'account-transfer',
    'certificate-reissue',
    'account-demolition',
    'account-suspension',
    'repair-ticket',
    'service-request',
    'meter-reading-cycle',
  ],
  reader: ['meter-reading-cycle'],
  dispatcher: ['repair-ticket'],
};

export const DEFAULT_GRANTS: Grant[] = [
  // Everyone on the staff reads processes, instances and tasks (auditors read everything, change nothing).
  ...EVERY_STAFF_ROLE.map((role): Grant => [role, 'PROCESS_DEFINITION', '*', READ_PROCESSES]),
  ...EVERY_STAFF_ROLE.map((role): Grant => [role, 'RESOURCE', '*', ['READ']]),
  ...Object.entries(STARTS).flatMap(([role, ids]) =>
    ids.map((id): Grant => [role, 'PROCESS_DEFINITION', id, ['CREATE_PROCESS_INSTANCE']]),
  ),
  // Managers run the house: deploy and delete models, start, cancel and modify any instance, retry incidents,
  // hand tasks to colleagues. Job commands stay with worker identities (checked in the engine, not here).
  ...['manager', 'admin'].flatMap((role): Grant[] => [
    [
      role,
      'PROCESS_DEFINITION',
      '*',
      [
        'CREATE_PROCESS_INSTANCE',
        'UPDATE_PROCESS_INSTANCE',
        'CANCEL_PROCESS_INSTANCE',
        'MODIFY_PROCESS_INSTANCE',
        'DELETE_PROCESS_INSTANCE',
        'UPDATE_USER_TASK',
      ],
    ],
    [role, 'RESOURCE', '*', ['CREATE', 'DELETE_PROCESS', 'DELETE_FORM', 'DELETE_DRD', 'DELETE_RESOURCE']],
    [role, 'MESSAGE', '*', ['CREATE', 'READ']],
  ]),
  // Identity: admins manage it, auditors read it.
  ...IDENTITY.map((type): Grant => ['admin', type, '*', ['CREATE', 'READ', 'UPDATE', 'DELETE']]),
  ...IDENTITY.map((type): Grant => ['auditor', type, '*', ['READ']]),
  ['admin', 'SYSTEM', '*', ['READ', 'UPDATE']],
  ['auditor', 'SYSTEM', '*', ['READ']],
  ['auditor', 'MESSAGE', '*', ['READ']],
  // Worker identities (service users with role "worker", the server's in-process workers) do the jobs.
  [
    'worker',
    'PROCESS_DEFINITION',
    '*',
    ['READ_PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE', 'UPDATE_PROCESS_INSTANCE'],
  ],
  ['worker', 'MESSAGE', '*', ['CREATE']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.authorizations (
      key              bigint PRIMARY KEY DEFAULT nextval('engine.key_seq'),
      owner_type       text NOT NULL CHECK (owner_type IN ('USER', 'CLIENT', 'ROLE', 'GROUP', 'MAPPING_RULE')),
      owner_id         text NOT NULL,
      resource_type    text NOT NULL,
      resource_id      text NOT NULL,
      permission_types text[] NOT NULL,
      UNIQUE (owner_type, owner_id, resource_type, resource_id)
    );
    CREATE INDEX authorizations_owner ON engine.authorizations (owner_id, owner_type);

    CREATE TABLE engine.identity_group (
      group_id    text PRIMARY KEY,
      key         bigint NOT NULL DEFAULT nextval('engine.key_seq'),
      name        text NOT NULL,
      description text
    );
    -- Members of a group (users, clients, mapping rules) and of a role besides users (groups, clients, mapping
    -- rules): a user's roles are cis.user_roles, a user's groups are here.
    CREATE TABLE engine.group_member (
      group_id    text NOT NULL REFERENCES engine.identity_group (group_id) ON DELETE CASCADE,
      member_type text NOT NULL CHECK (member_type IN ('USER', 'CLIENT', 'MAPPING_RULE')),
      member_id   text NOT NULL,
      PRIMARY KEY (group_id, member_type, member_id)
    );
    CREATE INDEX group_member_member ON engine.group_member (member_id, member_type);
    CREATE TABLE engine.role_member (
      role_id     text NOT NULL,
      member_type text NOT NULL CHECK (member_type IN ('GROUP', 'CLIENT', 'MAPPING_RULE')),
      member_id   text NOT NULL,
      PRIMARY KEY (role_id, member_type, member_id)
    );
    CREATE INDEX role_member_member ON engine.role_member (member_id, member_type);
    CREATE TABLE engine.mapping_rule (
      mapping_rule_id text PRIMARY KEY,
      key             bigint NOT NULL DEFAULT nextval('engine.key_seq'),
      name            text NOT NULL,
      claim_name      text NOT NULL,
      claim_value     text NOT NULL
    );
  `);
  for (const [owner, resourceType, resourceId, permissions] of DEFAULT_GRANTS) {
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, ?, ?, ?::text[])
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [owner, resourceType, resourceId, permissions],
    );
  }
  await knex('cis.roles')
    .insert({ name: 'worker', description: 'Job worker (service identity): takes and completes jobs; cannot sign in' })
    .onConflict('name')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE engine.mapping_rule;
    DROP TABLE engine.role_member;
    DROP TABLE engine.group_member;
    DROP TABLE engine.identity_group;
    DROP TABLE engine.authorizations;
  `);
  await knex('cis.user_roles').where({ role: 'worker' }).delete();
  await knex('cis.roles').where({ name: 'worker' }).delete();
}
