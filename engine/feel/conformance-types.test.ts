import { conformance } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Data types: literals of each type as Zeebe stores them.
conformance('data types', [
  ['null', null],
  ['1', 1],
  ['0.5', 0.5],
  ['-2', -2],
  ['true', true],
  ['"valid"', 'valid'],
  // String escapes: quote, backslash, newline, tab, unicode; any other backslash stays.
  ['"a\\"b"', 'a"b'],
  ['"\\\\"', '\\'],
  ['"line\\nbreak"', 'line\nbreak'],
  ['"tab\\t"', 'tab\t'],
  ['"\\u0041"', 'A'],
  ['"a\\db"', 'a\\db'],
  ['"a\\:b"', 'a\\:b'],
  ['"a\\Rb"', 'a\\Rb'],
  ['"a\\Nb"', 'a\\Nb'],
  ['"a\\Tb"', 'a\\Tb'],
  ['[1, "a", true, null]', [1, 'a', true, null]],
  ['{a: 1, "b c": 2}', { a: 1, 'b c': 2 }],
  ['date("2017-03-10")', '2017-03-10'],
  ['time("11:45:30")', '11:45:30'],
  ['time("11:45:30+02:00")', '11:45:30+02:00'],
  ['date and time("2017-03-10T11:45:30")', '2017-03-10T11:45:30'],
  ['date and time("2017-03-10T11:45:30+02:00")', '2017-03-10T11:45:30+02:00'],
  ['duration("P4D")', 'P4D'],
  ['duration("PT2H30M")', 'PT2H30M'],
  ['duration("P1Y6M")', 'P1Y6M'],
  ['function(x) x + 1', null],
  ['(function(x) x + 1)(2)', 3],
]);
