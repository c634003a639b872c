import type { Knex } from 'knex';

/**
 * DMN in the embedded engine (issue #18): decision requirements graphs (the deployed .dmn resource),
 * decisions (versioned per decision id, like processes) and decision instances (one row per evaluated
 * decision of an evaluation: the requested one and each required one), with their inputs, matched rules
 * and result. Column meanings: engine/store/README.md.
 *
 * Default grants for them, in the manner of 0017: the staff read decisions, their instances and graphs; managers
 * and admins evaluate decisions through the API; worker identities read and evaluate them.
 */
const STAFF = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'admin', 'auditor'];
type Grant = [role: string, resourceType: string, permissions: string[]];
const GRANTS: Grant[] = [
  ...STAFF.map((role): Grant => [role, 'DECISION_DEFINITION', ['READ_DECISION_DEFINITION', 'READ_DECISION_INSTANCE']]),
  ...STAFF.map((role): Grant => [role, 'DECISION_REQUIREMENTS_DEFINITION', ['READ']]),
  ...['manager', 'admin'].map((role): Grant => [role, 'DECISION_DEFINITION', ['CREATE_DECISION_INSTANCE']]),
  ['worker', 'DECISION_DEFINITION', ['READ_DECISION_DEFINITION', 'CREATE_DECISION_INSTANCE']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.decision_requirements (
      key                        bigint PRIMARY KEY,
      decision_requirements_id   text NOT NULL,
      name                       text,
      version                    int NOT NULL,
      resource_name              text NOT NULL,
      resource                   text NOT NULL,
      checksum                   text NOT NULL,
      deployment_key             bigint NOT NULL,
      tenant_id                  text NOT NULL DEFAULT '<default>',
      deleted                    boolean NOT NULL DEFAULT false,
      created_at                 timestamptz NOT NULL,
      UNIQUE (tenant_id, decision_requirements_id, version)
    );

    CREATE TABLE engine.decision_definition (
      key                        bigint PRIMARY KEY,
      decision_id                text NOT NULL,
      name                       text,
      version                    int NOT NULL,
      version_tag                text,
      decision_requirements_id   text NOT NULL,
      decision_requirements_key  bigint NOT NULL REFERENCES engine.decision_requirements (key),
      deployment_key             bigint NOT NULL,
      tenant_id                  text NOT NULL DEFAULT '<default>',
      deleted                    boolean NOT NULL DEFAULT false,
      created_at                 timestamptz NOT NULL,
      UNIQUE (tenant_id, decision_id, version)
    );
    CREATE INDEX ON engine.decision_definition (decision_requirements_key);
    CREATE INDEX ON engine.decision_definition (deployment_key);

    CREATE TABLE engine.decision_instance (
      key                        bigint PRIMARY KEY, -- decisionEvaluationInstanceKey (one per evaluated decision)
      decision_evaluation_key    bigint NOT NULL,
      state                      text NOT NULL,      -- EVALUATED | FAILED
      evaluation_date            timestamptz NOT NULL,
      evaluation_failure         text,
      decision_definition_key    bigint NOT NULL,
      decision_id                text NOT NULL,
      decision_name              text,
      decision_version           int NOT NULL,
      decision_type              text NOT NULL,      -- DECISION_TABLE | LITERAL_EXPRESSION
      result                     jsonb,
      evaluated_inputs           jsonb NOT NULL DEFAULT '[]',
      matched_rules              jsonb NOT NULL DEFAULT '[]',
      process_definition_key     bigint,
      process_instance_key       bigint,
      element_instance_key       bigint,
      tenant_id                  text NOT NULL DEFAULT '<default>'
    );
    CREATE INDEX ON engine.decision_instance (decision_evaluation_key);
    CREATE INDEX ON engine.decision_instance (process_instance_key);
    CREATE INDEX ON engine.decision_instance (decision_id, evaluation_date);
  `);
  for (const [role, resourceType, permissions] of GRANTS)
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, ?, '*', ?::text[])
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [role, resourceType, permissions],
    );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM engine.authorizations
      WHERE owner_type = 'ROLE' AND resource_type IN ('DECISION_DEFINITION', 'DECISION_REQUIREMENTS_DEFINITION');
    DROP TABLE IF EXISTS engine.decision_instance;
    DROP TABLE IF EXISTS engine.decision_definition;
    DROP TABLE IF EXISTS engine.decision_requirements;
  `);
}
