import { conformance, feel } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Built-in functions › Miscellaneous functions (Camunda extensions).
conformance(
  'miscellaneous functions',
  [
    // fromAi only tags its value for an AI integration: the value comes back unchanged, whatever else is given.
    ['fromAi(toolCall.searchQuery)', 'water meter'],
    ['fromAi(toolCall.searchQuery, "The search query used to find the best match.")', 'water meter'],
    ['fromAi(toolCall.searchQuery, null)', 'water meter'],
    ['fromAi(toolCall.userId, "The user ID", "number")', 42],
    ['fromAi(toolCall.tags, "Tags", "array", {items: {type: "string"}})', ['a', 'b']],
    ['fromAi(toolCall.tags, "Tags", "array", {items: {type: "string"}}, {required: false})', ['a', 'b']],
    ['fromAi(value: toolCall.userId, description: "The user ID")', 42],
    ['fromAi(toolCall.missing)', null],
    ['get or else("this", "default")', 'this'],
    ['get or else(null, "default")', 'default'],
    ['get or else(null, null)', null],
    ['assert(x, x != null)', 'value'],
    ['is defined(x)', true],
    ['is defined(missing)', false],
    ['is defined(null)', false],
  ],
  { toolCall: { searchQuery: 'water meter', userId: 42, tags: ['a', 'b'] }, x: 'value' },
);

describe('assert', () => {
  test('an unfulfilled condition fails the evaluation, with the cause when given', () => {
    expect(() => feel('assert(x, x != null)', { x: null })).toThrow(/Assertion failure/);
    expect(() => feel('assert(x, x > 5, "x must be greater than 5")', { x: 3 })).toThrow(
      /Assertion failure: x must be greater than 5/,
    );
  });
});
