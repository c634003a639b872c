/* eslint-disable @typescript-eslint/no-explicit-any -- dmn-moddle's element tree has no typings */
import { DmnModdle } from 'dmn-moddle';
import { parseExpression, parseUnaryTests } from 'feelin';
import type { DecisionProblem, DecisionProblemCode } from '../../contracts/decisions.js';

const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];

/**
 * The checks Camunda 8.8 makes when a .dmn is deployed (decision tables and literal expressions only, supported
 * hit policies, every FEEL expression parses, required decisions present and acyclic), run while the manager
 * edits, plus warnings for what deploys but cannot decide anything (a table without rules).
 */
export async function checkDecisions(xml: string): Promise<DecisionProblem[]> {
  let root: any;
  try {
    ({ rootElement: root } = await DmnModdle().fromXML(xml, 'dmn:Definitions'));
  } catch (e) {
    return [{ elementId: '', category: 'error', code: 'unreadable', values: { error: (e as Error).message } }];
  }
  const problems: DecisionProblem[] = [];
  const report = (elementId: string, code: DecisionProblemCode, values: Record<string, string> = {}, where?: string) =>
    problems.push({
      elementId,
      category: code === 'noRules' ? 'warn' : 'error',
      code,
      values,
      ...(where && { where }),
    });
  if (!root?.id) report('', 'noDefinitionsId');
  const decisions = (root?.drgElement ?? []).filter((e: any) => e.$type === 'dmn:Decision');
  if (!decisions.length) report(root?.id ?? '', 'noDecision');
  for (const d of decisions) checkDecision(d, report);
  checkRequirements(decisions, report);
  return problems;
}

type Report = (elementId: string, code: DecisionProblemCode, values?: Record<string, string>, where?: string) => void;

function checkDecision(d: any, report: Report): void {
  const logic = d.decisionLogic;
  if (logic?.$type === 'dmn:LiteralExpression') {
    const text = logic.text ?? '';
    if (!feelParses(text, parseExpression)) report(d.id, 'feelSyntax', { text });
    return;
  }
  if (logic?.$type !== 'dmn:DecisionTable') {
    report(d.id, 'unsupportedLogic', { type: String(logic?.$type ?? '—').replace(/^dmn:/, '') });
    return;
  }
  const hitPolicy = logic.hitPolicy ?? 'UNIQUE';
  if (!HIT_POLICIES.includes(hitPolicy)) report(d.id, 'hitPolicy', { hitPolicy });
  if (logic.aggregation && (hitPolicy !== 'COLLECT' || (logic.output ?? []).length > 1))
    report(d.id, 'aggregation', { aggregation: logic.aggregation, hitPolicy });
  const outputs = logic.output ?? [];
  if (!outputs.length) report(d.id, 'noOutput');
  if (outputs.length > 1)
    for (const o of outputs) if (!o.name) report(d.id, 'outputName', { output: o.label ?? o.id }, o.id);
  for (const input of logic.input ?? []) {
    const text = input.inputExpression?.text ?? '';
    if (!text.trim()) report(d.id, 'emptyInputExpression', { input: input.label ?? input.id }, input.id);
    else if (!feelParses(text, parseExpression)) report(d.id, 'feelSyntax', { text }, input.id);
  }
  const rules = logic.rule ?? [];
  if (!rules.length) report(d.id, 'noRules');
  rules.forEach((rule: any) => {
    for (const entry of rule.inputEntry ?? []) {
      const text = (entry.text ?? '').trim();
      if (text && text !== '-' && !feelParses(text, parseUnaryTests)) report(d.id, 'feelSyntax', { text }, rule.id);
    }
    for (const entry of rule.outputEntry ?? []) {
      const text = (entry.text ?? '').trim();
      if (text && !feelParses(text, parseExpression)) report(d.id, 'feelSyntax', { text }, rule.id);
    }
  });
}

function feelParses(text: string, parse: typeof parseExpression): boolean {
  const body = text.trim().replace(/^=/, '');
  if (!body.trim()) return false;
  let ok = true;
  try {
    parse(body, {}, undefined).iterate({
      enter(node) {
        if (node.type.isError) ok = false;
        return ok ? undefined : false;
      },
    });
  } catch {
    return false;
  }
  return ok;
}

function checkRequirements(decisions: any[], report: Report): void {
  const requires = new Map<string, string[]>(
    decisions.map((d) => [
      d.id,
      (d.informationRequirement ?? [])
        .map((r: any) => r.requiredDecision?.href?.replace(/^#/, ''))
        .filter(Boolean) as string[],
    ]),
  );
  for (const [id, required] of requires)
    for (const r of required) if (!requires.has(r)) report(id, 'requiredMissing', { required: r });
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    const found = (requires.get(id) ?? []).some((r) => requires.has(r) && cyclic(r));
    state.set(id, 'done');
    return found;
  };
  for (const id of requires.keys()) if (cyclic(id)) report(id, 'requiredCycle');
}

/**
 * The engine's rejection of a deployment (Zeebe's text: per resource, "- Element: <id>" then "- ERROR: <message>")
 * as problems with codes, so the modeler shows it in the manager's language; a message it does not know keeps
 * the engine's words under the code `engine`.
 */
export function rejectionProblems(detail: string): DecisionProblem[] {
  const problems: DecisionProblem[] = [];
  let elementId = '';
  for (const line of detail.split('\n')) {
    const element = /- Element: (\S+)/.exec(line);
    if (element) elementId = element[1];
    if (/^\s*- Resource\s*$/.test(line)) elementId = '';
    const error = /- ERROR: (.*)$/.exec(line);
    if (!error) continue;
    const message = error[1];
    const known = KNOWN.map(([re, code, names]) => ({ m: re.exec(message), code, names })).find((k) => k.m);
    problems.push({
      elementId,
      category: 'error',
      code: known?.code ?? 'engine',
      values: known ? Object.fromEntries(known.names.map((n, i) => [n, known.m![i + 1] ?? ''])) : { message },
    });
  }
  return problems;
}

// Zeebe's (and our engine's) wording of the DMN deployment errors the modeler words itself.
const KNOWN: Array<[RegExp, DecisionProblemCode, string[]]> = [
  [/failed to parse expression '(.*)':/, 'feelSyntax', ['text']],
  [/Unsupported hit policy '(.*)'/, 'hitPolicy', ['hitPolicy']],
  [/Unsupported aggregation '(.*)' with hit policy '(.*)'/, 'aggregation', ['aggregation', 'hitPolicy']],
  [/multi-output decision table to have a name/, 'outputName', []],
  [/Expected the required decision '(.*)' to be in the same resource/, 'requiredMissing', ['required']],
  [/required decisions to be free of cycles/, 'requiredCycle', []],
  [
    /decision logic to be a decision table or a literal expression, but was '(?:dmn:)?(.*)'/,
    'unsupportedLogic',
    ['type'],
  ],
  [/contain at least one decision/, 'noDecision', []],
  [/Failed to parse the DMN resource: (.*)/, 'unreadable', ['error']],
];
