/** FEEL's reserved words: never a variable name. */
export const KEYWORDS = new Set([
  'null',
  'true',
  'false',
  'not',
  'and',
  'or',
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'function',
  'instance',
  'of',
  'between',
  'now',
  'today',
]);

/** Reserved words that stand where a value stands: literals, and names called like functions. */
export const VALUE_WORDS = new Set(['null', 'true', 'false', 'function', 'now', 'today']);
