/**
 * Aquaflow's own checks of a process diagram, beside bpmnlint's: a process that cannot end or does no work is an
 * error — deploying it would only create a version nobody can use (issue #20). The modeler words each code from
 * the locale (`modeler.problem.<code>`).
 */
export const PROCESS_PROBLEM_CODES = ['noEndEvent', 'noWork'] as const;
export type ProcessProblemCode = (typeof PROCESS_PROBLEM_CODES)[number];

/** One problem of a diagram: bpmnlint's (message in English, no code) or ours (a code, worded by the modeler). */
export interface LintProblem {
  elementId: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
  rule: string;
  code?: ProcessProblemCode;
}

/** Diagrams a manager tries out: listed apart from the production processes, and deletable (issue #20). */
export const isDraftProcess = (bpmnProcessId: string): boolean => /^(test|draft)-/.test(bpmnProcessId);
