import { conformance } from './conformance-support.js';

// Camunda 8.8 docs, FEEL › Boolean expressions (comparison, null check, conjunction, instance of) and
// Built-in functions › Boolean functions.
conformance('comparisons', [
  ['5 = 5', true],
  ['5 != 5', false],
  ['date("2020-04-05") < date("2020-04-06")', true],
  ['time("08:00:00") <= time("08:00:00")', true],
  ['duration("P1D") > duration("P5D")', false],
  ['duration("P1Y") >= duration("P6M")', true],
  ['5 between 3 and 7', true],
  ['date("2020-04-06") between date("2020-04-05") and date("2020-04-09")', true],
  // Both values must be of the same type, otherwise null.
  ['5 = "5"', null],
  ['5 != "5"', null],
  ['"a" = 1', null],
  ['[1] = 1', null],
  ['0.1 + 0.2 = 0.3', true],
  ['1 = 1.0', true],
]);

conformance('null check', [
  ['null = null', true],
  ['"foo" = null', false],
  ['true != null', true],
  ['{x: null}.x = null', true],
  ['{}.y = null', true],
  ['missing = null', true],
]);

// Lists and contexts are equal when they have the same size / keys and equal items / entries; otherwise false,
// never null (feelin read a list of fewer than two items as that item).
conformance('equality of lists and contexts', [
  ['[1,2] = [1,2]', true],
  ['[1,2] = [2,1]', false],
  ['[1,2] = [1,2,3]', false],
  ['[1,2,3] = [1,2]', false],
  ['[1,2] = [1]', false],
  ['[1,2] != [1]', true],
  ['[null] = []', false],
  ['[] = [null]', false],
  ['[] = []', true],
  ['[[1],[2]] = [[1],[2,3]]', false],
  ['[1, "a"] = [1, 2]', false],
  ['{a:1} = {a:1}', true],
  ['{a:1} = {a:1,b:2}', false],
  ['{a:1,b:2} = {a:1}', false],
  ['{a:1} = {a:1, b:null}', false],
  ['{a:1} = {b:1}', false],
  ['{a:1} != {a:1,b:2}', true],
  ['{a:{b:1}} = {a:{b:1,c:2}}', false],
  ['[{a:[1,2]}] = [{a:[1,2]}]', true],
  ['(1 = 1) = true', true],
  ['{a: 1 = 1, b: 2 != 3}', { a: true, b: true }],
]);

conformance('equality of temporal values and ranges', [
  ['date("2020-01-01") = date("2020-01-01")', true],
  ['duration("P1D") = duration("PT24H")', true],
  ['date and time("2020-01-01T10:00:00Z") = date and time("2020-01-01T11:00:00+01:00")', true],
  ['[1..10] = [1..10]', true],
]);

conformance('conjunction, disjunction, negation, instance of', [
  ['true and false', false],
  ['true and null', null],
  ['false and null', false],
  ['true or null', true],
  ['not(true)', false],
  ['not(null)', null],
  ['5 instance of number', true],
  ['"5" instance of string', true],
  ['5 instance of string', false],
  ['null instance of Null', true],
  ['[1] instance of list', true],
  ['{} instance of context', true],
  ['date("2020-01-01") instance of date', true],
  ['@"P1D" instance of days and time duration', true],
  ['@"P1Y" instance of years and months duration', true],
  ['is defined(1)', true],
  ['is defined(null)', false],
]);

conformance('membership (in)', [
  ['5 in (3..7)', true],
  ['5 in [3..7]', true],
  ['5 in (3,5,7)', true],
  ['5 in (< 6)', true],
  ['5 in (>= 5)', true],
]);

// FEEL › Conditional expressions: only `true` selects the then branch.
conformance('conditional expressions', [
  ['if true then 1 else 2', 1],
  ['if 5 then 1 else 2', 2],
  ['if "yes" then 1 else 2', 2],
  ['if null then 1 else 2', 2],
  ['if missing then 1 else 2', 2],
  ['if 1 > 0 then "a" else "b"', 'a'],
  ['if 1 = 2 then "a" else if 2 = 2 then "b" else "c"', 'b'],
  ['if [1] = [1] then duration("PT1H") * 2 else null', 'PT2H'],
  ['{iffy: 1}.iffy', 1],
]);
