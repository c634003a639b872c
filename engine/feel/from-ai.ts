/**
 * Camunda's `fromAi(value, description?, type?, schema?, options?)` (8.8 docs, FEEL › Miscellaneous functions)
 * returns its value unchanged: the other arguments only tag the value for an AI integration (the AI Agent
 * connector reads them from the model text), so the engine never looks at them. Named arguments use these names.
 */
export const fromAi = Object.assign((value: unknown) => value ?? null, {
  $args: ['value', 'description', 'type', 'schema', 'options'],
});
