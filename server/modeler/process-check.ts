/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-moddle's element tree has no typings */
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import type { LintProblem, ProcessProblemCode } from '../../contracts/process-check.js';

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

// Anything that does something: every kind of task, a sub-process (embedded, event, transaction, ad-hoc), a call.
const WORK = /^bpmn:(\w*Task|SubProcess|AdHocSubProcess|Transaction|CallActivity)$/;

/**
 * Each executable process must be able to end (an end event somewhere in it) and must do some work (only events
 * and gateways is a diagram nobody finished). Unreadable XML is left to bpmnlint and the engine, which word it.
 */
export async function checkProcesses(xml: string): Promise<LintProblem[]> {
  let root: any;
  try {
    ({ rootElement: root } = await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions'));
  } catch {
    return [];
  }
  const problems: LintProblem[] = [];
  const report = (elementId: string, code: ProcessProblemCode) =>
    problems.push({ elementId, code, category: 'error', rule: `aquaflow/${code}`, message: MESSAGES[code] });
  const processes = (root?.rootElements ?? []).filter((e: any) => e.$type === 'bpmn:Process' && e.isExecutable);
  for (const p of processes) {
    // The process's own end event: one inside a sub-process ends only that sub-process.
    if (!(p.flowElements ?? []).some((e: any) => e.$type === 'bpmn:EndEvent')) report(p.id, 'noEndEvent');
    if (!flowElements(p).some((e) => WORK.test(e.$type))) report(p.id, 'noWork');
  }
  return problems;
}

/** English for API callers without a locale; the modeler words the code itself. */
const MESSAGES: Record<ProcessProblemCode, string> = {
  noEndEvent: 'the process has no end event',
  noWork: 'the process has no task, sub-process or call activity: only events and gateways',
};

function flowElements(scope: any): any[] {
  return (scope.flowElements ?? []).flatMap((e: any) => [e, ...(e.flowElements ? flowElements(e) : [])]);
}
