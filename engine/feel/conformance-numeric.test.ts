import { conformance, feel } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Built-in functions › Numeric functions (Camunda extensions included) and
// FEEL › Numeric expressions.
conformance('numeric functions', [
  ['decimal(1/3, 2)', 0.33],
  ['decimal(1.5, 0)', 2],
  ['decimal(2.5, 0)', 2],
  ['floor(1.5)', 1],
  ['floor(-1.5)', -2],
  ['floor(-1.56, 1)', -1.6],
  ['ceiling(1.5)', 2],
  ['ceiling(-1.5)', -1],
  ['ceiling(-1.56, 1)', -1.5],
  ['round up(5.5)', 6],
  ['round up(-5.5)', -6],
  ['round up(1.121, 2)', 1.13],
  ['round up(-1.126, 2)', -1.13],
  ['round down(5.5)', 5],
  ['round down(-5.5)', -5],
  ['round down (1.121, 2)', 1.12],
  ['round down (-1.126, 2)', -1.12],
  ['round half up(5.5)', 6],
  ['round half up(-5.5)', -6],
  ['round half up(1.121, 2)', 1.12],
  ['round half up(-1.126, 2)', -1.13],
  ['round half down(5.5)', 5],
  ['round half down(-5.5)', -5],
  ['round half down (1.121, 2)', 1.12],
  ['round half down (-1.126, 2)', -1.13],
  ['abs(10)', 10],
  ['abs(-10)', 10],
  ['modulo(12, 5)', 2],
  ['modulo(-12,5)', 3],
  ['modulo(12,-5)', -3],
  ['modulo(-12,-5)', -2],
  ['modulo(10.1, 4.5)', 1.1],
  ['modulo(-10.1, 4.5)', 3.4],
  ['modulo(10.1, -4.5)', -3.4],
  ['modulo(-10.1, -4.5)', -1.1],
  ['sqrt(16)', 4],
  ['log(10)', 2.302585092994046],
  ['exp(5)', 148.4131591025766],
  ['odd(5)', true],
  ['odd(2)', false],
  ['even(5)', false],
  ['even(2)', true],
]);

conformance('numeric expressions', [
  ['1 + 2', 3],
  ['10 - 3 * 2', 4],
  ['(10 - 3) * 2', 14],
  ['10 / 4', 2.5],
  ['2 ** 3', 8],
  ['2 ** -1', 0.5],
  ['-5', -5],
  ['1 + 2.5', 3.5],
  ['.5', 0.5],
  ['40 * 1.13', 45.2],
  ['1 / 0', null],
  ['1 + null', null],
  ['"foo" + 1', null],
]);

test('random number() is in [0, 1)', () => {
  const n = feel('random number()') as number;
  expect(n).toBeGreaterThanOrEqual(0);
  expect(n).toBeLessThan(1);
});
