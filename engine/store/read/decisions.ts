import type { Queryable } from '../search/builder.js';
import { run, sql } from '../search/builder.js';
import { NotFoundError } from '../search/request-error.js';
import type { SearchDefinition } from '../search/run.js';
import { identity, iso, opt } from './shared.js';

/** Camunda's DecisionDefinitionResult. */
export function decisionDefinitionItem(r: Record<string, unknown>) {
  return {
    decisionDefinitionId: r.decision_id as string,
    name: (r.name ?? r.decision_id) as string,
    version: r.version as number,
    decisionRequirementsId: r.decision_requirements_id as string,
    tenantId: r.tenant_id as string,
    decisionDefinitionKey: r.key as string,
    decisionRequirementsKey: r.decision_requirements_key as string,
  };
}

const definitionColumns = [
  'dd.key',
  'dd.decision_id',
  'dd.name',
  'dd.version',
  'dd.decision_requirements_id',
  'dd.decision_requirements_key',
  'dd.tenant_id',
];

export const decisionDefinitionSearch: SearchDefinition<ReturnType<typeof decisionDefinitionItem>> = {
  base: (k) => k.from('engine.decision_definition as dd').where('dd.deleted', false).select(definitionColumns),
  key: 'dd.key',
  filter: {
    decisionDefinitionId: { kind: 'string', column: 'dd.decision_id', plainOnly: true },
    name: { kind: 'string', column: 'dd.name', plainOnly: true },
    version: { kind: 'int', column: 'dd.version', plainOnly: true },
    decisionRequirementsId: { kind: 'string', column: 'dd.decision_requirements_id', plainOnly: true },
    tenantId: { kind: 'string', column: 'dd.tenant_id', plainOnly: true },
    decisionDefinitionKey: { kind: 'key', column: 'dd.key', plainOnly: true },
    decisionRequirementsKey: { kind: 'key', column: 'dd.decision_requirements_key', plainOnly: true },
  },
  sort: {
    decisionDefinitionKey: { kind: 'key', column: 'dd.key' },
    decisionDefinitionId: { kind: 'string', column: 'dd.decision_id' },
    name: { kind: 'string', column: 'dd.name', nullable: true },
    version: { kind: 'int', column: 'dd.version' },
    decisionRequirementsId: { kind: 'string', column: 'dd.decision_requirements_id' },
    decisionRequirementsKey: { kind: 'key', column: 'dd.decision_requirements_key' },
    tenantId: { kind: 'string', column: 'dd.tenant_id' },
  },
  toItem: decisionDefinitionItem,
};

export async function getDecisionDefinition(db: Queryable, key: string) {
  const [row] = await run(
    db,
    sql
      .from('engine.decision_definition as dd')
      .where({ 'dd.key': key, 'dd.deleted': false })
      .select(definitionColumns),
  );
  if (!row) throw new NotFoundError(`Decision definition with key '${key}' not found`);
  return decisionDefinitionItem(row);
}

/** The DRG's XML of a decision (Camunda answers a decision's XML with its whole resource). */
export async function getDecisionDefinitionXml(db: Queryable, key: string) {
  const [row] = await run(
    db,
    sql
      .from('engine.decision_definition as dd')
      .join('engine.decision_requirements as dr', 'dr.key', 'dd.decision_requirements_key')
      .where({ 'dd.key': key, 'dd.deleted': false })
      .select('dr.resource', 'dd.decision_id'),
  );
  if (!row) throw new NotFoundError(`Decision definition with key '${key}' not found`);
  return row as { resource: string; decision_id: string };
}

/** Camunda's DecisionRequirementsResult. */
export function decisionRequirementsItem(r: Record<string, unknown>) {
  return {
    decisionRequirementsName: (r.name ?? r.decision_requirements_id) as string,
    version: r.version as number,
    decisionRequirementsId: r.decision_requirements_id as string,
    resourceName: r.resource_name as string,
    tenantId: r.tenant_id as string,
    decisionRequirementsKey: r.key as string,
  };
}

const requirementsColumns = [
  'dr.key',
  'dr.decision_requirements_id',
  'dr.name',
  'dr.version',
  'dr.resource_name',
  'dr.tenant_id',
];

export const decisionRequirementsSearch: SearchDefinition<ReturnType<typeof decisionRequirementsItem>> = {
  base: (k) => k.from('engine.decision_requirements as dr').where('dr.deleted', false).select(requirementsColumns),
  key: 'dr.key',
  filter: {
    decisionRequirementsName: { kind: 'string', column: 'dr.name', plainOnly: true },
    version: { kind: 'int', column: 'dr.version', plainOnly: true },
    decisionRequirementsId: { kind: 'string', column: 'dr.decision_requirements_id', plainOnly: true },
    tenantId: { kind: 'string', column: 'dr.tenant_id', plainOnly: true },
    decisionRequirementsKey: { kind: 'key', column: 'dr.key', plainOnly: true },
    resourceName: { kind: 'string', column: 'dr.resource_name', plainOnly: true },
  },
  sort: {
    decisionRequirementsKey: { kind: 'key', column: 'dr.key' },
    decisionRequirementsName: { kind: 'string', column: 'dr.name', nullable: true },
    version: { kind: 'int', column: 'dr.version' },
    decisionRequirementsId: { kind: 'string', column: 'dr.decision_requirements_id' },
    tenantId: { kind: 'string', column: 'dr.tenant_id' },
  },
  toItem: decisionRequirementsItem,
};

async function requirementsRow(db: Queryable, key: string) {
  const [row] = await run(
    db,
    sql
      .from('engine.decision_requirements as dr')
      .where({ 'dr.key': key, 'dr.deleted': false })
      .select([...requirementsColumns, 'dr.resource']),
  );
  if (!row) throw new NotFoundError(`Decision requirements with key '${key}' not found`);
  return row;
}

export async function getDecisionRequirements(db: Queryable, key: string) {
  return decisionRequirementsItem(await requirementsRow(db, key));
}

export async function getDecisionRequirementsXml(db: Queryable, key: string) {
  return (await requirementsRow(db, key)).resource as string;
}

const json = (v: unknown) => JSON.stringify(v ?? null);

/** Camunda's DecisionInstanceResult. */
export function decisionInstanceItem(r: Record<string, unknown>) {
  return {
    decisionEvaluationInstanceKey: r.key as string,
    state: r.state as 'EVALUATED' | 'FAILED',
    evaluationDate: iso(r.evaluation_date) as string,
    evaluationFailure: opt(r.evaluation_failure as string | null),
    decisionDefinitionId: r.decision_id as string,
    decisionDefinitionName: (r.decision_name ?? r.decision_id) as string,
    decisionDefinitionVersion: r.decision_version as number,
    decisionDefinitionType: r.decision_type as 'DECISION_TABLE' | 'LITERAL_EXPRESSION',
    result: r.state === 'EVALUATED' ? json(r.result) : '',
    tenantId: r.tenant_id as string,
    decisionEvaluationKey: r.decision_evaluation_key as string,
    processDefinitionKey: opt(r.process_definition_key as string | null),
    processInstanceKey: opt(r.process_instance_key as string | null),
    decisionDefinitionKey: r.decision_definition_key as string,
    elementInstanceKey: opt(r.element_instance_key as string | null),
  };
}

const instanceColumns = [
  'di.key',
  'di.state',
  'di.evaluation_date',
  'di.evaluation_failure',
  'di.decision_id',
  'di.decision_name',
  'di.decision_version',
  'di.decision_type',
  'di.result',
  'di.tenant_id',
  'di.decision_evaluation_key',
  'di.process_definition_key',
  'di.process_instance_key',
  'di.decision_definition_key',
  'di.element_instance_key',
];

export const decisionInstanceSearch: SearchDefinition<ReturnType<typeof decisionInstanceItem>> = {
  base: (k) => k.from('engine.decision_instance as di').select(instanceColumns),
  key: 'di.key',
  filter: {
    decisionEvaluationInstanceKey: { kind: 'key', column: 'di.key', plainOnly: true },
    state: { kind: 'enum', column: 'di.state', values: identity('EVALUATED', 'FAILED'), plainOnly: true },
    evaluationFailure: { kind: 'string', column: 'di.evaluation_failure', plainOnly: true },
    evaluationDate: { kind: 'datetime', column: 'di.evaluation_date' },
    decisionDefinitionId: { kind: 'string', column: 'di.decision_id', plainOnly: true },
    decisionDefinitionName: { kind: 'string', column: 'di.decision_name', plainOnly: true },
    decisionDefinitionVersion: { kind: 'int', column: 'di.decision_version', plainOnly: true },
    decisionDefinitionType: {
      kind: 'enum',
      column: 'di.decision_type',
      values: identity('DECISION_TABLE', 'LITERAL_EXPRESSION'),
      plainOnly: true,
    },
    tenantId: { kind: 'string', column: 'di.tenant_id', plainOnly: true },
    decisionEvaluationKey: { kind: 'key', column: 'di.decision_evaluation_key', plainOnly: true },
    processDefinitionKey: { kind: 'key', column: 'di.process_definition_key', plainOnly: true },
    processInstanceKey: { kind: 'key', column: 'di.process_instance_key', plainOnly: true },
    decisionDefinitionKey: { kind: 'key', column: 'di.decision_definition_key' },
    elementInstanceKey: { kind: 'key', column: 'di.element_instance_key' },
  },
  sort: {
    decisionDefinitionId: { kind: 'string', column: 'di.decision_id' },
    decisionDefinitionKey: { kind: 'key', column: 'di.decision_definition_key' },
    decisionDefinitionName: { kind: 'string', column: 'di.decision_name', nullable: true },
    decisionDefinitionType: { kind: 'string', column: 'di.decision_type' },
    decisionDefinitionVersion: { kind: 'int', column: 'di.decision_version' },
    decisionEvaluationInstanceKey: { kind: 'key', column: 'di.key' },
    decisionEvaluationKey: { kind: 'key', column: 'di.decision_evaluation_key' },
    elementInstanceKey: { kind: 'key', column: 'di.element_instance_key', nullable: true },
    evaluationDate: { kind: 'datetime', column: 'di.evaluation_date' },
    evaluationFailure: { kind: 'string', column: 'di.evaluation_failure', nullable: true },
    processDefinitionKey: { kind: 'key', column: 'di.process_definition_key', nullable: true },
    processInstanceKey: { kind: 'key', column: 'di.process_instance_key', nullable: true },
    state: { kind: 'string', column: 'di.state' },
    tenantId: { kind: 'string', column: 'di.tenant_id' },
  },
  toItem: decisionInstanceItem,
};

/** A decision instance with its evaluated inputs and matched rules (values as JSON text, as Camunda sends them). */
export async function getDecisionInstance(db: Queryable, key: string) {
  const [row] = await run(
    db,
    sql
      .from('engine.decision_instance as di')
      .where('di.key', key)
      .select([...instanceColumns, 'di.evaluated_inputs', 'di.matched_rules']),
  );
  if (!row) throw new NotFoundError(`Decision instance with key '${key}' not found`);
  return {
    ...decisionInstanceItem(row),
    evaluatedInputs: apiInputs(row.evaluated_inputs as StoredInput[]),
    matchedRules: apiRules(row.matched_rules as StoredRule[]),
  };
}

interface StoredInput {
  inputId: string;
  inputName: string;
  inputValue: unknown;
}
interface StoredRule {
  ruleId: string;
  ruleIndex: number;
  evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: unknown }>;
}

export const apiInputs = (inputs: StoredInput[]) => inputs.map((i) => ({ ...i, inputValue: json(i.inputValue) }));

export const apiRules = (rules: StoredRule[]) =>
  rules.map((r) => ({
    ...r,
    evaluatedOutputs: r.evaluatedOutputs.map((o) => ({ ...o, outputValue: json(o.outputValue) })),
  }));
