/** A deployed DMN resource as the engine runs it (parse.ts builds it from dmn-moddle's tree). */
export interface DrgModel {
  /** The definitions' id: Camunda's decisionRequirementsId. */
  id: string;
  name: string;
  decisions: DecisionModel[];
}

export type DecisionType = 'DECISION_TABLE' | 'LITERAL_EXPRESSION';

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface DecisionModel {
  id: string;
  name: string;
  /** Decisions whose results this one reads, by decision id (informationRequirement/requiredDecision). */
  requires: string[];
  /** zeebe:versionTag on the decision, if any. */
  versionTag?: string;
  logic: DecisionTableModel | LiteralExpressionModel;
}

export interface DecisionTableModel {
  type: 'DECISION_TABLE';
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: Array<{ id: string; name: string; expression: string }>;
  /** `values`: the output's allowed values in order (PRIORITY / OUTPUT ORDER rank by them). */
  outputs: Array<{ id: string; name: string; values: string[] }>;
  rules: Array<{ id: string; inputEntries: string[]; outputEntries: string[] }>;
}

export interface LiteralExpressionModel {
  type: 'LITERAL_EXPRESSION';
  text: string;
  /** The decision's variable name (its result's name). */
  variable: string;
}

/** One evaluated decision (the requested one and each required one), as Camunda reports it. */
export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  decisionType: DecisionType;
  /** The result as JSON. */
  output: unknown;
  evaluatedInputs: Array<{ inputId: string; inputName: string; inputValue: unknown }>;
  matchedRules: Array<{
    ruleId: string;
    ruleIndex: number;
    evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: unknown }>;
  }>;
}

/** The outcome of a decision with its required decisions: all evaluated ones, in evaluation order. */
export type DecisionOutcome =
  | { ok: true; output: unknown; evaluated: EvaluatedDecision[] }
  | { ok: false; failedDecisionId: string; message: string; evaluated: EvaluatedDecision[] };
