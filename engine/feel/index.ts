export { isExpression, expressionBody } from './expression.js';
export {
  evaluateExpression,
  evaluateRaw,
  DEFAULT_TIMEOUT_MS,
  type EvaluateOptions,
  type Evaluation,
  type RawEvaluation,
  type Variables,
} from './evaluate.js';
export { checkSyntax } from './syntax.js';
export { runWithBudget, BudgetExceeded } from './budget.js';
export { evaluateUnaryTest, checkUnaryTestSyntax, type UnaryTestResult } from './unary-test.js';
export { toJson, fromJson, resultType, type Json, type ResultType } from './values.js';
export { withWarnings, type FeelWarning } from './warnings.js';
export { parseZonedDateTime } from './datetime.js';
export {
  evaluateCondition,
  evaluateString,
  evaluateInteger,
  evaluateCorrelationKey,
  evaluateList,
  evaluateStringList,
  evaluateDateTime,
  evaluateInterval,
  evaluateAny,
  type Typed,
  type TypedOptions,
} from './typed.js';
export { evaluateInputMappings, evaluateOutputMappings, type Mapping, type MappingResult } from './mappings.js';
