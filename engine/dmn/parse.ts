/* eslint-disable @typescript-eslint/no-explicit-any -- dmn-moddle's object tree is untyped */
import { DmnModdle } from 'dmn-moddle';
import { checkSyntax, checkUnaryTestSyntax } from '../feel/index.js';
import type { Aggregation, DecisionModel, DrgModel, HitPolicy } from './types.js';

export interface DmnError {
  elementId: string;
  message: string;
}

const HIT_POLICIES: HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

/**
 * DMN 1.3 XML (dmn-moddle, never by hand) → the decisions of one decision requirements graph, with the checks
 * Zeebe makes at deployment: supported decision logic and hit policy, required decisions present and acyclic.
 */
export async function parseDmn(xml: string): Promise<{ drg?: DrgModel; errors: DmnError[] }> {
  let root: any;
  try {
    ({ rootElement: root } = await DmnModdle().fromXML(xml, 'dmn:Definitions'));
  } catch (e) {
    return { errors: [{ elementId: '', message: `Failed to parse the DMN resource: ${(e as Error).message}` }] };
  }
  const errors: DmnError[] = [];
  const decisions: DecisionModel[] = [];
  for (const el of root?.drgElement ?? []) {
    if (el.$type !== 'dmn:Decision') continue;
    const decision = decisionOf(el, errors);
    if (decision) {
      decisions.push(decision);
      checkExpressions(decision, errors);
    }
  }
  if (!root?.id) errors.push({ elementId: '', message: "Expected the DMN definitions to have an 'id'" });
  if (!decisions.length && !errors.length)
    errors.push({ elementId: root?.id ?? '', message: 'Expected the DMN resource to contain at least one decision' });
  checkRequirements(decisions, errors);
  if (errors.length) return { errors };
  return { drg: { id: root.id, name: root.name ?? root.id, decisions }, errors };
}

function decisionOf(el: any, errors: DmnError[]): DecisionModel | undefined {
  const logic = el.decisionLogic;
  const requires = (el.informationRequirement ?? [])
    .map((r: any) => r.requiredDecision?.href?.replace(/^#/, ''))
    .filter(Boolean) as string[];
  const base = {
    id: el.id as string,
    name: (el.name ?? el.id) as string,
    requires,
    versionTag: versionTagOf(el),
    resultName: (el.variable?.name || el.id) as string,
    resultType: (el.variable?.typeRef || undefined) as string | undefined,
  };
  if (logic?.$type === 'dmn:LiteralExpression')
    return {
      ...base,
      logic: { type: 'LITERAL_EXPRESSION', text: logic.text ?? '', variable: el.variable?.name ?? el.id },
    };
  if (logic?.$type !== 'dmn:DecisionTable') {
    errors.push({
      elementId: el.id,
      message: `Expected the decision logic to be a decision table or a literal expression, but was '${logic?.$type ?? 'none'}'`,
    });
    return undefined;
  }
  const hitPolicy = (logic.hitPolicy ?? 'UNIQUE') as HitPolicy;
  const aggregation = logic.aggregation as Aggregation | undefined;
  if (!HIT_POLICIES.includes(hitPolicy))
    errors.push({ elementId: el.id, message: `Unsupported hit policy '${hitPolicy}'` });
  if (aggregation && (hitPolicy !== 'COLLECT' || !AGGREGATIONS.includes(aggregation)))
    errors.push({
      elementId: el.id,
      message: `Unsupported aggregation '${aggregation}' with hit policy '${hitPolicy}'`,
    });
  const outputs = (logic.output ?? []).map((o: any, i: number) => ({
    id: o.id ?? `output${i + 1}`,
    name: o.name ?? o.label ?? o.id ?? '',
    values: splitValues(o.outputValues?.text),
    defaultOutput: o.defaultOutputEntry?.text?.trim() || undefined,
    typeRef: o.typeRef || undefined,
  }));
  // dmn-scala's own words for the two compound-output mistakes.
  if (aggregation && outputs.length > 1)
    errors.push({
      elementId: el.id,
      message: "hit policy 'COLLECT' with aggregator is not defined for compound output",
    });
  if (outputs.length > 1)
    for (const [i, o] of (logic.output ?? []).entries())
      if (!o.name)
        errors.push({ elementId: el.id, message: `no output name defined for \`${o.label ?? outputs[i].id}\`` });
  return {
    ...base,
    logic: {
      type: 'DECISION_TABLE',
      hitPolicy,
      aggregation,
      inputs: (logic.input ?? []).map((i: any, n: number) => ({
        id: i.id ?? `input${n + 1}`,
        name: i.label ?? i.inputExpression?.text ?? '',
        expression: i.inputExpression?.text ?? '',
        typeRef: i.inputExpression?.typeRef || undefined,
      })),
      outputs,
      rules: (logic.rule ?? []).map((r: any, n: number) => ({
        id: r.id ?? `rule${n + 1}`,
        inputEntries: (r.inputEntry ?? []).map((e: any) => e.text ?? ''),
        outputEntries: (r.outputEntry ?? []).map((e: any) => e.text ?? ''),
      })),
    },
  };
}

/** `<zeebe:versionTag value="…"/>` in the decision's extension elements (Camunda 8.6+). */
function versionTagOf(el: any): string | undefined {
  const tag = (el.extensionElements?.values ?? []).find((v: any) => /(^|:)versionTag$/.test(v.$type ?? ''));
  return tag?.value ?? tag?.$attrs?.value ?? undefined;
}

/** `"low","high"` → ['"low"', '"high"'] (FEEL literals, compared with the output entries' values). */
function splitValues(text: string | undefined): string[] {
  if (!text?.trim()) return [];
  return (text.match(/"(?:[^"\\]|\\.)*"|[^,]+/g) ?? []).map((v) => v.trim()).filter(Boolean);
}

function checkRequirements(decisions: DecisionModel[], errors: DmnError[]): void {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  for (const d of decisions)
    for (const r of d.requires)
      if (!byId.has(r))
        errors.push({ elementId: d.id, message: `Expected the required decision '${r}' to be in the same resource` });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (d: DecisionModel): boolean => {
    if (state.get(d.id) === 'done') return false;
    if (state.get(d.id) === 'visiting') return true;
    state.set(d.id, 'visiting');
    const cyclic = d.requires.some((r) => byId.has(r) && visit(byId.get(r)!));
    state.set(d.id, 'done');
    return cyclic;
  };
  for (const d of decisions)
    if (visit(d)) errors.push({ elementId: d.id, message: 'Expected the required decisions to be free of cycles' });
}

/** Zeebe parses every expression of a DRG at deployment: a malformed one rejects the resource. */
function checkExpressions(d: DecisionModel, errors: DmnError[]): void {
  const report = (message: string | null) => {
    if (message) errors.push({ elementId: d.id, message });
  };
  if (d.logic.type === 'LITERAL_EXPRESSION') return report(checkSyntax(d.logic.text));
  for (const input of d.logic.inputs) report(checkSyntax(input.expression));
  for (const output of d.logic.outputs) if (output.defaultOutput) report(checkSyntax(output.defaultOutput));
  for (const rule of d.logic.rules) {
    for (const entry of rule.inputEntries) report(checkUnaryTestSyntax(entry));
    for (const entry of rule.outputEntries) if (entry.trim()) report(checkSyntax(entry));
  }
}
