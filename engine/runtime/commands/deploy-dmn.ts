import crypto from 'node:crypto';
import type pg from 'pg';
import { parseDmn, type DmnError } from '../../dmn/parse.js';
import type { DrgModel } from '../../dmn/types.js';
import { decisionsOfRequirements, latestDecisionVersion, latestRequirementsVersion } from '../../store/decisions.js';
import { insertSql } from '../../store/sql.js';

/** A parsed .dmn resource of a deployment. */
export interface DmnResource {
  name: string;
  xml: string;
  drg: DrgModel;
}

/** The deployment response's entries for DMN (Camunda's DeploymentMetadataResult). */
export type DeployedDmn =
  | {
      decisionRequirements: {
        decisionRequirementsId: string;
        version: number;
        decisionRequirementsName: string;
        tenantId: string;
        resourceName: string;
        decisionRequirementsKey: string;
      };
    }
  | {
      decisionDefinition: {
        decisionDefinitionId: string;
        version: number;
        name: string;
        tenantId: string;
        decisionRequirementsId: string;
        decisionDefinitionKey: string;
        decisionRequirementsKey: string;
      };
    };

/** Parses a .dmn resource; errors are reported like a BPMN resource's (by element). */
export async function parseDmnResource(
  name: string,
  xml: string,
  seenDecisionIds: Set<string>,
): Promise<{ resource?: DmnResource; errors: DmnError[] }> {
  const { drg, errors } = await parseDmn(xml);
  if (!drg) return { errors };
  const dup = drg.decisions.filter((d) => seenDecisionIds.has(d.id));
  for (const d of drg.decisions) seenDecisionIds.add(d.id);
  if (dup.length)
    return {
      errors: dup.map((d) => ({
        elementId: d.id,
        message: `Expected the decision ids to be unique within a deployment but found a duplicated id '${d.id}'`,
      })),
    };
  return { resource: { name, xml, drg }, errors: [] };
}

/** How many keys storing these resources may take. */
export const dmnKeysNeeded = (resources: DmnResource[]) =>
  resources.reduce((n, r) => n + 1 + r.drg.decisions.length, 0);

/**
 * Stores DRGs and their decisions in the deployment's transaction: an identical DRG (same checksum, not
 * deleted) keeps its version and its decisions; a changed one gets version n+1 and so does each of its
 * decisions (versioned per decision id). Returns the response entries, the SQL and the records.
 */
export async function storeDmn(
  client: pg.PoolClient,
  take: () => string,
  resources: DmnResource[],
  deployment: { key: string; tenantId: string; actor: string | null; now: Date },
): Promise<{ deployments: DeployedDmn[]; sql: string[]; records: Record<string, unknown>[] }> {
  const { tenantId, actor, now } = deployment;
  const deployments: DeployedDmn[] = [];
  const drgRows: Record<string, unknown>[] = [];
  const decisionRows: Record<string, unknown>[] = [];
  const records: Record<string, unknown>[] = [];
  const record = (key: string, valueType: string, value: Record<string, unknown>) =>
    records.push({ key, value_type: valueType, intent: 'CREATED', tenant_id: tenantId, actor, timestamp: now, value });
  for (const r of resources) {
    const sum = crypto.createHash('sha256').update(r.xml).digest('hex');
    const { drg } = r;
    const latest = await latestRequirementsVersion(client, drg.id, tenantId);
    const drgEntry = (key: string, version: number) => ({
      decisionRequirements: {
        decisionRequirementsId: drg.id,
        version,
        decisionRequirementsName: drg.name,
        tenantId,
        resourceName: r.name,
        decisionRequirementsKey: key,
      },
    });
    const decisionEntry = (d: { key: string; id: string; name: string; version: number }, drgKey: string) => ({
      decisionDefinition: {
        decisionDefinitionId: d.id,
        version: d.version,
        name: d.name,
        tenantId,
        decisionRequirementsId: drg.id,
        decisionDefinitionKey: d.key,
        decisionRequirementsKey: drgKey,
      },
    });
    if (latest && latest.checksum === sum && !latest.deleted) {
      deployments.push(drgEntry(latest.key, latest.version));
      for (const d of await decisionsOfRequirements(client, latest.key))
        deployments.push(
          decisionEntry(
            { key: d.key, id: d.decision_id, name: d.name ?? d.decision_id, version: d.version },
            latest.key,
          ),
        );
      continue;
    }
    const drgKey = take();
    const version = (latest?.version ?? 0) + 1;
    drgRows.push({
      key: drgKey,
      decision_requirements_id: drg.id,
      name: drg.name,
      version,
      resource_name: r.name,
      resource: r.xml,
      checksum: sum,
      deployment_key: deployment.key,
      tenant_id: tenantId,
      deleted: false,
      created_at: now,
    });
    record(drgKey, 'DECISION_REQUIREMENTS', { decisionRequirementsId: drg.id, version, resourceName: r.name });
    deployments.push(drgEntry(drgKey, version));
    for (const d of drg.decisions) {
      const key = take();
      const v = ((await latestDecisionVersion(client, d.id, tenantId))?.version ?? 0) + 1;
      decisionRows.push({
        key,
        decision_id: d.id,
        name: d.name,
        version: v,
        version_tag: d.versionTag ?? null,
        decision_requirements_id: drg.id,
        decision_requirements_key: drgKey,
        deployment_key: deployment.key,
        tenant_id: tenantId,
        deleted: false,
        created_at: now,
      });
      record(key, 'DECISION', { decisionId: d.id, version: v, decisionRequirementsId: drg.id });
      deployments.push(decisionEntry({ key, id: d.id, name: d.name, version: v }, drgKey));
    }
  }
  const sql = [
    drgRows.length ? insertSql('decision_requirements', drgRows) : '',
    decisionRows.length ? insertSql('decision_definition', decisionRows) : '',
  ].filter(Boolean);
  return { deployments, sql, records };
}
