import { conformance } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Built-in functions › Context functions (Camunda extensions included) and
// FEEL › Context expressions.
conformance('context functions', [
  ['get value({foo: 123}, "foo")', 123],
  ['get value({a: {b: 1}}, ["a", "b"])', 1],
  ['get value({a: {b: 1}}, ["a", "c"])', null],
  ['get entries({foo: 123})', [{ key: 'foo', value: 123 }]],
  [
    'get entries({a: 1, b: 2})',
    [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
    ],
  ],
  ['context put({x:1}, "y", 2)', { x: 1, y: 2 }],
  ['context put({x:1}, "x", 2)', { x: 2 }],
  ['context put({x:1, y: {z:0}}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
  ['context put({x:1}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
  ['context put({}, "a", null)', { a: null }],
  ['put({x:1}, "y", 2)', { x: 1, y: 2 }],
  ['context merge({x:1}, {y:2})', { x: 1, y: 2 }],
  ['context merge([{x:1}, {y:2}])', { x: 1, y: 2 }],
  ['context merge([{x:1}, {x:2}])', { x: 2 }],
  ['put all({x:1}, {y:2})', { x: 1, y: 2 }],
  ['context([{key:"a", value:1}, {key:"b", value:2}])', { a: 1, b: 2 }],
]);

conformance('context expressions', [
  ['{a: 1, b: a + 1}', { a: 1, b: 2 }],
  ['{a: {b: 2}}.a.b', 2],
  ['{"x y": 1}', { 'x y': 1 }],
  ['{a: 1}.b', null],
  ['{f: function(x) x * 2, r: f(3)}.r', 6],
  ['[{a: 1}, {a: 2}][1].a', 1],
]);
