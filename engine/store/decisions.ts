import type pg from 'pg';
import { insertSql } from './sql.js';

/** A decision with the resource of its decision requirements graph (what an evaluation needs). */
export interface DecisionRow {
  key: string;
  decision_id: string;
  name: string | null;
  version: number;
  version_tag: string | null;
  decision_requirements_id: string;
  decision_requirements_key: string;
  deployment_key: string;
  tenant_id: string;
  /** engine.decision_requirements.resource */
  resource: string;
}

type Db = pg.Pool | pg.PoolClient;

const SELECT = `SELECT d.key, d.decision_id, d.name, d.version, d.version_tag, d.decision_requirements_id,
  d.decision_requirements_key, d.deployment_key, d.tenant_id, r.resource
  FROM engine.decision_definition d JOIN engine.decision_requirements r ON r.key = d.decision_requirements_key`;

export async function decisionByKey(db: Db, key: string): Promise<DecisionRow | undefined> {
  const { rows } = await db.query(`${SELECT} WHERE d.key = $1 AND NOT d.deleted`, [key]);
  return rows[0];
}

/** The latest live version of a decision. */
export async function latestDecision(db: Db, decisionId: string, tenantId: string): Promise<DecisionRow | undefined> {
  const { rows } = await db.query(
    `${SELECT} WHERE d.decision_id = $1 AND d.tenant_id = $2 AND NOT d.deleted ORDER BY d.version DESC LIMIT 1`,
    [decisionId, tenantId],
  );
  return rows[0];
}

/** The latest live version carrying a version tag. */
export async function decisionByVersionTag(
  db: Db,
  decisionId: string,
  tenantId: string,
  versionTag: string,
): Promise<DecisionRow | undefined> {
  const { rows } = await db.query(
    `${SELECT} WHERE d.decision_id = $1 AND d.tenant_id = $2 AND d.version_tag = $3 AND NOT d.deleted
      ORDER BY d.version DESC LIMIT 1`,
    [decisionId, tenantId, versionTag],
  );
  return rows[0];
}

/** The decision deployed together with a process definition (binding type `deployment`). */
export async function decisionOfDeployment(
  db: Db,
  decisionId: string,
  tenantId: string,
  processDefinitionKey: string,
): Promise<DecisionRow | undefined> {
  const { rows } = await db.query(
    `${SELECT} JOIN engine.process_definition p ON p.key = $3
      WHERE d.decision_id = $1 AND d.tenant_id = $2 AND d.deployment_key = p.deployment_key AND NOT d.deleted`,
    [decisionId, tenantId, processDefinitionKey],
  );
  return rows[0];
}

/** The latest version ever deployed (deleted ones included: versions are never reused). */
export async function latestDecisionVersion(db: pg.PoolClient, decisionId: string, tenantId: string) {
  const { rows } = await db.query(
    `SELECT key, version FROM engine.decision_definition WHERE decision_id = $1 AND tenant_id = $2
      ORDER BY version DESC LIMIT 1`,
    [decisionId, tenantId],
  );
  return rows[0] as { key: string; version: number } | undefined;
}

export async function latestRequirementsVersion(db: pg.PoolClient, drgId: string, tenantId: string) {
  const { rows } = await db.query(
    `SELECT key, version, checksum, deleted FROM engine.decision_requirements
      WHERE decision_requirements_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1`,
    [drgId, tenantId],
  );
  return rows[0] as { key: string; version: number; checksum: string; deleted: boolean } | undefined;
}

/** The decisions stored with a DRG version (an identical re-deployment answers with them). */
export async function decisionsOfRequirements(db: Db, drgKey: string) {
  const { rows } = await db.query(
    `SELECT key, decision_id, name, version FROM engine.decision_definition WHERE decision_requirements_key = $1`,
    [drgKey],
  );
  return rows as Array<{ key: string; decision_id: string; name: string | null; version: number }>;
}

/** One row of engine.decision_instance (JSON columns as JSON text). */
export interface DecisionInstanceInsert {
  key: string;
  decision_evaluation_key: string;
  state: 'EVALUATED' | 'FAILED';
  evaluation_date: Date;
  evaluation_failure: string | null;
  decision_definition_key: string;
  decision_id: string;
  decision_name: string | null;
  decision_version: number;
  decision_type: string;
  result: string | null;
  evaluated_inputs: string;
  matched_rules: string;
  process_definition_key: string | null;
  process_instance_key: string | null;
  element_instance_key: string | null;
  tenant_id: string;
}

export async function insertDecisionInstances(db: Db, rows: DecisionInstanceInsert[]): Promise<void> {
  if (rows.length) await db.query(insertSql('decision_instance', rows as unknown as Record<string, unknown>[]));
}

/** A live DRG by key (resource deletion). */
export async function liveRequirementsByKey(db: Db, key: string) {
  const { rows } = await db.query(
    `SELECT key, decision_requirements_id, version, tenant_id FROM engine.decision_requirements
      WHERE key = $1 AND NOT deleted`,
    [key],
  );
  return rows[0] as { key: string; decision_requirements_id: string; version: number; tenant_id: string } | undefined;
}

/** Marks a DRG and its decisions deleted (versions are never reused); returns the decisions it deleted. */
export async function deleteRequirements(db: pg.PoolClient, key: string) {
  await db.query(`UPDATE engine.decision_requirements SET deleted = true WHERE key = $1`, [key]);
  const { rows } = await db.query(
    `UPDATE engine.decision_definition SET deleted = true WHERE decision_requirements_key = $1 AND NOT deleted
      RETURNING key, decision_id, version`,
    [key],
  );
  return rows as Array<{ key: string; decision_id: string; version: number }>;
}
