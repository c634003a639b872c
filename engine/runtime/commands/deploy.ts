import crypto from 'node:crypto';
import type { Runtime } from '../runtime.js';
import { parseBpmn, type ModelError } from '../../model/parse.js';
import { validateModel } from '../../model/validate.js';
import { latestFormVersion, latestProcessVersion, lockDeployments } from '../../store/definitions.js';
import { insertSql } from '../../store/sql.js';
import { invalidArgument } from '../errors.js';
import type { ProcessModel } from '../../model/types.js';
import { startSubscriptionsSql } from '../events/starts.js';
import { dmnKeysNeeded, parseDmnResource, storeDmn, type DeployedDmn, type DmnResource } from './deploy-dmn.js';

export interface Resource {
  name: string;
  content: Buffer;
}

export type Deployed =
  | {
      processDefinition: {
        processDefinitionId: string;
        processDefinitionVersion: number;
        resourceName: string;
        tenantId: string;
        processDefinitionKey: string;
      };
    }
  | { form: { formId: string; version: number; resourceName: string; tenantId: string; formKey: string } }
  | DeployedDmn;

export interface DeploymentResult {
  tenantId: string;
  deploymentKey: string;
  deployments: Deployed[];
}

const checksum = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Deploys .bpmn, .dmn and .form resources atomically: everything is parsed and validated first (any error
 * rejects the whole deployment, nothing stored); identical content keeps its version and key,
 * changed content gets version n+1.
 */
export async function deploy(
  rt: Runtime,
  resources: Resource[],
  tenantId: string,
  actor: string | null,
): Promise<DeploymentResult> {
  if (!resources.length) throw invalidArgument('Expected to deploy at least one resource, but none given');
  const errors: string[] = [];
  const bpmn: Array<{ name: string; xml: string; processes: ProcessModel[] }> = [];
  const forms: Array<{ name: string; text: string; id: string }> = [];
  const seenIds = new Set<string>();
  const dmn: DmnResource[] = [];
  const seenDecisionIds = new Set<string>();
  for (const r of resources) {
    const text = r.content.toString('utf8');
    if (/\.(bpmn|xml)$/i.test(r.name)) {
      const { processes, errors: parseErrors } = await parseBpmn(text);
      const all: ModelError[] = [...parseErrors];
      for (const p of processes) {
        all.push(...validateModel(p, rt.behaviors));
        if (seenIds.has(p.bpmnProcessId))
          all.push({ elementId: p.bpmnProcessId, message: `Duplicated process id in resources '${p.bpmnProcessId}'` });
        seenIds.add(p.bpmnProcessId);
      }
      if (all.length) errors.push(formatErrors(r.name, all));
      else bpmn.push({ name: r.name, xml: text, processes });
    } else if (/\.dmn$/i.test(r.name)) {
      const { resource, errors: dmnErrors } = await parseDmnResource(r.name, text, seenDecisionIds);
      if (resource) dmn.push(resource);
      else errors.push(formatErrors(r.name, dmnErrors));
    } else if (/\.form$/i.test(r.name)) {
      let id: unknown;
      try {
        id = JSON.parse(text).id;
      } catch (e) {
        errors.push(`'${r.name}': - ERROR: Failed to parse form JSON: ${(e as Error).message}`);
        continue;
      }
      if (typeof id !== 'string' || !id) errors.push(`'${r.name}': - ERROR: Expected the form to have an 'id'`);
      else forms.push({ name: r.name, text, id });
    } else {
      errors.push(`'${r.name}': - ERROR: Expected the resource to be a BPMN (.bpmn), DMN (.dmn) or form (.form) file`);
    }
  }
  if (errors.length)
    throw invalidArgument(
      `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n${errors.join('\n')}`,
    );

  await rt.keys.ensure(resources.length * 2 + 8 + dmnKeysNeeded(dmn));
  const now = rt.clock.now();
  return rt.tx(async (client) => {
    await lockDeployments(client);
    const deploymentKey = rt.keys.take();
    const deployments: Deployed[] = [];
    const defRows: Record<string, unknown>[] = [];
    const formRows: Record<string, unknown>[] = [];
    const records: Record<string, unknown>[] = [];
    for (const f of forms) {
      const sum = checksum(f.text);
      const latest = await latestFormVersion(client, f.id, tenantId);
      if (latest && latest.checksum === sum && !latest.deleted) {
        deployments.push({
          form: { formId: f.id, version: latest.version, resourceName: f.name, tenantId, formKey: latest.key },
        });
        continue;
      }
      const key = rt.keys.take();
      const version = (latest?.version ?? 0) + 1;
      formRows.push({
        key,
        form_id: f.id,
        version,
        resource_name: f.name,
        schema: f.text,
        checksum: sum,
        deployment_key: deploymentKey,
        tenant_id: tenantId,
        deleted: false,
        created_at: now,
      });
      records.push(rec(key, 'FORM', { formId: f.id, version, resourceName: f.name }, tenantId, actor, now));
      deployments.push({ form: { formId: f.id, version, resourceName: f.name, tenantId, formKey: key } });
    }
    for (const b of bpmn) {
      const sum = checksum(b.xml);
      for (const p of b.processes) {
        const latest = await latestProcessVersion(client, p.bpmnProcessId, tenantId);
        if (latest && latest.checksum === sum && !latest.deleted) {
          deployments.push({
            processDefinition: {
              processDefinitionId: p.bpmnProcessId,
              processDefinitionVersion: latest.version,
              resourceName: b.name,
              tenantId,
              processDefinitionKey: latest.key,
            },
          });
          continue;
        }
        const key = rt.keys.take();
        const version = (latest?.version ?? 0) + 1;
        defRows.push({
          key,
          bpmn_process_id: p.bpmnProcessId,
          version,
          version_tag: p.versionTag ?? null,
          name: p.name ?? null,
          resource_name: b.name,
          resource: b.xml,
          checksum: sum,
          deployment_key: deploymentKey,
          tenant_id: tenantId,
          deleted: false,
          created_at: now,
        });
        records.push({
          ...rec(
            key,
            'PROCESS',
            { bpmnProcessId: p.bpmnProcessId, version, resourceName: b.name },
            tenantId,
            actor,
            now,
          ),
          bpmn_process_id: p.bpmnProcessId,
          version,
          process_definition_key: key,
        });
        deployments.push({
          processDefinition: {
            processDefinitionId: p.bpmnProcessId,
            processDefinitionVersion: version,
            resourceName: b.name,
            tenantId,
            processDefinitionKey: key,
          },
        });
      }
    }
    const stored = await storeDmn(client, () => rt.keys.take(), dmn, { key: deploymentKey, tenantId, actor, now });
    deployments.push(...stored.deployments);
    records.push(...stored.records);
    records.push(rec(deploymentKey, 'DEPLOYMENT', { resources: resources.map((r) => r.name) }, tenantId, actor, now));
    const models = bpmn.flatMap((b) => b.processes);
    const startSql = await startSubscriptionsSql(
      rt,
      defRows.map((def) => ({ def, model: models.find((p) => p.bpmnProcessId === def.bpmn_process_id)! })),
      now,
    );
    const sql = [
      insertSql('deployment', [{ key: deploymentKey, tenant_id: tenantId, actor, created_at: now }]),
      formRows.length ? insertSql('form', formRows) : '',
      defRows.length ? insertSql('process_definition', defRows) : '',
      ...stored.sql,
      insertSql('record', records.map(normaliseRecord)),
      ...startSql,
      'COMMIT',
    ].filter(Boolean);
    await client.query(sql.join(';\n'));
    return { tenantId, deploymentKey, deployments };
  });
}

function rec(
  key: string,
  valueType: string,
  value: Record<string, unknown>,
  tenantId: string,
  actor: string | null,
  now: Date,
): Record<string, unknown> {
  return { key, value_type: valueType, intent: 'CREATED', tenant_id: tenantId, actor, timestamp: now, value };
}

/** insertSql needs the same columns in every row. */
function normaliseRecord(r: Record<string, unknown>): Record<string, unknown> {
  return {
    key: r.key,
    value_type: r.value_type,
    intent: r.intent,
    process_definition_key: r.process_definition_key ?? null,
    bpmn_process_id: r.bpmn_process_id ?? null,
    version: r.version ?? null,
    tenant_id: r.tenant_id,
    actor: r.actor,
    timestamp: r.timestamp,
    value: r.value,
  };
}

function formatErrors(resourceName: string, errors: ModelError[]): string {
  const byElement = new Map<string, string[]>();
  for (const e of errors) byElement.set(e.elementId, [...(byElement.get(e.elementId) ?? []), e.message]);
  const lines = [`'${resourceName}':`];
  for (const [id, msgs] of byElement) {
    lines.push(id ? `- Element: ${id}` : '- Resource');
    for (const m of msgs) lines.push(`    - ERROR: ${m}`);
  }
  return lines.join('\n');
}
