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
  /** The name later decisions read this one's result by: its variable's name, else its id. */
  resultName: string;
  /** The variable's typeRef: the result is checked against it (type-ref.ts). */
  resultType?: string;
  logic: DecisionTableModel | LiteralExpressionModel;
}

export interface DecisionTableModel {
  type: 'DECISION_TABLE';
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  /** `typeRef` is kept for the reader only: Camunda neither checks nor converts input and output values. */
  inputs: Array<{ id: string; name: string; expression: string; typeRef?: string }>;
  /**
   * `values`: the output's allowed values in order (PRIORITY / OUTPUT ORDER rank by them); `defaultOutput`: the
   * default output entry, the output's value when no rule matched.
   */
  outputs: Array<{ id: string; name: string; values: string[]; defaultOutput?: string; typeRef?: string }>;
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
  | {
      ok: false;
      failedDecisionId: string;
      message: string;
      /** The decisions evaluated, the failed one last (with what it evaluated before failing, output null). */
      evaluated: EvaluatedDecision[];
    };
