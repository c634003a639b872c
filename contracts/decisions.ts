/** The modeler's DMN side (/api/decisions): shapes the server sends and the web shows. */

export const DECISION_PROBLEM_CODES = [
  'unreadable',
  'noDefinitionsId',
  'noDecision',
  'unsupportedLogic',
  'hitPolicy',
  'aggregation',
  'outputName',
  'noOutput',
  'emptyInputExpression',
  'feelSyntax',
  'requiredMissing',
  'requiredCycle',
  'noRules',
  'engine',
] as const;
export type DecisionProblemCode = (typeof DECISION_PROBLEM_CODES)[number];

/**
 * A problem of a decision model, as a code with its values: the modeler words it in the manager's language.
 * `elementId` is the decision it belongs to; `where` the input, output or rule inside its table.
 */
export interface DecisionProblem {
  elementId: string;
  where?: string;
  category: 'error' | 'warn';
  code: DecisionProblemCode;
  values: Record<string, string>;
}

/** A deployed decision definition with the .dmn file (decision requirements) it came in. */
export interface DecisionDefinitionRow {
  decisionDefinitionKey: string;
  decisionDefinitionId: string;
  name?: string;
  version: number;
  decisionRequirementsKey: string;
  decisionRequirementsId: string;
  resourceName: string | null;
}
