import {
  checkSyntax,
  evaluateExpression,
  evaluateRaw,
  expressionBody,
  fromJson,
  isExpression,
  resultType,
  toJson,
} from './index.js';

const clock = new Date('2026-03-15T10:30:00Z');
const value = (expr: string, vars: Record<string, unknown> = {}) => {
  const r = evaluateExpression(expr, vars, { now: clock });
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('expression marker', () => {
  test.each([
    ['=x', true],
    ['  = x', true],
    ['x', false],
    ['', false],
    [null, false],
  ])('isExpression(%p) is %p', (input, expected) => expect(isExpression(input)).toBe(expected));

  test('expressionBody strips the marker and surrounding blanks', () => {
    expect(expressionBody('= a + 1 ')).toBe('a + 1');
    expect(expressionBody('a')).toBe('a');
  });
});

describe('evaluateExpression', () => {
  test.each<[string, Record<string, unknown>, unknown]>([
    ['=1 + 2', {}, 3],
    ['=x > 5', { x: 7 }, true],
    ['=x', { x: { y: [1, { z: 2 }] } }, { y: [1, { z: 2 }] }],
    ['=order.customer.id', { order: { customer: { id: 'c-1' } } }, 'c-1'],
    ['=items.price', { items: [{ price: 1 }, { price: 2 }] }, [1, 2]],
    ['=[1,2,3][item > 1]', {}, [2, 3]],
    ['={a: 1, b: a + 1}', {}, { a: 1, b: 2 }],
    ['="order-" + string(id)', { id: 42 }, 'order-42'],
    ['=if amount > 100 then "big" else "small"', { amount: 150 }, 'big'],
    ['=some x in [1, 2] satisfies x > 1', {}, true],
    ['=every x in [1, 2] satisfies x > 1', {}, false],
    ['=for i in 1..3 return i * 2', {}, [2, 4, 6]],
    ['=x', { x: '2026-01-01' }, '2026-01-01'],
    ['=x', { x: null }, null],
    ['=null', {}, null],
    ['=10 / 4', {}, 2.5],
  ])('%s with %j', (expr, vars, expected) => expect(value(expr, vars)).toEqual(expected));

  test('string built-ins', () => {
    expect(value('=upper case("abc")')).toBe('ABC');
    expect(value('=substring("foobar", 3)')).toBe('obar');
    expect(value('=string length("héllo")')).toBe(5);
    expect(value('=contains("foobar", "ob")')).toBe(true);
    expect(value('=starts with("foobar", "foo")')).toBe(true);
    expect(value('=split("a,b,c", ",")')).toEqual(['a', 'b', 'c']);
    expect(value('=string join(["a", "b"], "-")')).toBe('a-b');
    expect(value('=replace("abc", "b", "x")')).toBe('axc');
    expect(value('=matches("abc", "^a.c$")')).toBe(true);
    expect(value('=substring before("a@b", "@")')).toBe('a');
  });

  test('list and number built-ins', () => {
    expect(value('=count([1, 2, 3])')).toBe(3);
    expect(value('=sum([1, 2, 3])')).toBe(6);
    expect(value('=min([3, 1, 2])')).toBe(1);
    expect(value('=list contains([1, 2], 2)')).toBe(true);
    expect(value('=append([1], 2, 3)')).toEqual([1, 2, 3]);
    expect(value('=distinct values([1, 1, 2])')).toEqual([1, 2]);
    expect(value('=flatten([[1], [2, [3]]])')).toEqual([1, 2, 3]);
    expect(value('=sort([3, 1, 2], function(a, b) a < b)')).toEqual([1, 2, 3]);
    expect(value('=index of([1, 2, 1], 1)')).toEqual([1, 3]);
    expect(value('=floor(1.5)')).toBe(1);
    expect(value('=decimal(1.2345, 2)')).toBe(1.23);
    expect(value('=number("12")')).toBe(12);
  });

  test("numbers come out as Zeebe's decimals, not as binary-float noise", () => {
    expect(value('=40 * 1.13')).toBe(45.2);
    expect(value('=0.1 + 0.2')).toBe(0.3);
    expect(value('=45.2 * 1000')).toBe(45200);
    expect(value('={a: [1.1 * 1.1]}')).toEqual({ a: [1.21] });
    expect(value('=10 / 3')).toBe(10 / 3); // a long decimal stays the nearest double, as Zeebe's JSON has it
    expect(value('=2 / 3')).toBe(2 / 3);
    expect(value('=0.00000000000000000001 * 3')).toBe(3e-20);
    expect(value('=string(0.1 + 0.2)')).toBe('0.3');
    expect(value('="Total: " + string(from: 40 * 1.13)')).toBe('Total: 45.2');
    expect(value('=string(10 / 4)')).toBe('2.5');
    expect(value('=0.1 + 0.2 = 0.3')).toBe(true);
    expect(value('=0.1 + 0.2 != 0.3')).toBe(false);
    expect(value('={a: 0.1 + 0.2} = {a: 0.3} and [1.1 * 3] = [3.3]')).toBe(true);
    expect(value('=(0.1 * 3 = 0.3) = true')).toBe(true);
    expect(value('=[0.1, 0.2, 0.3][item = 0.1 + 0.2]')).toEqual([0.3]);
    expect(value('=10 / 3 = 3.3333333333')).toBe(false);
    expect(value('=string(date("2026-01-02"))')).toBe('2026-01-02');
    expect(value('=string({a: 1})')).toBe('{a: 1}');
    expect(value('=string length("abc")')).toBe(3);
  });

  test('comparisons as in Zeebe: a number against a string is null; numbers compare as decimals', () => {
    expect(value('="500" > 100')).toBeNull();
    expect(value('=amount >= 100', { amount: 'lots' })).toBeNull();
    expect(value('=5 < "10"')).toBeNull();
    expect(value('=date("2026-01-02") > 5')).toBeNull();
    expect(value('=1.1 * 3 <= 3.3')).toBe(true);
    expect(value('=x * 1.1 >= 110', { x: 100 })).toBe(true);
    expect(value('=5 between 1 and 10')).toBe(true);
    expect(value('="b" > "a"')).toBe(true);
    expect(value('=date("2026-01-02") > date("2026-01-01")')).toBe(true);
    expect(value('=duration("PT1H") > duration("PT5M")')).toBe(true);
    expect(value('=[{a: 1}, {a: "x"}, {a: 3}][a > 1]')).toEqual([{ a: 3 }]);
  });

  test('context built-ins and Camunda extensions', () => {
    expect(value('=get value({a: 1}, "a")')).toBe(1);
    expect(value('=context put({a: 1}, "b", 2)')).toEqual({ a: 1, b: 2 });
    expect(value('=context merge([{a: 1}, {b: 2}])')).toEqual({ a: 1, b: 2 });
    expect(value('=get entries({a: 1})')).toEqual([{ key: 'a', value: 1 }]);
    expect(value('=get or else(x, "default")')).toBe('default');
    expect(value('=get or else(x, "default")', { x: 'set' })).toBe('set');
    expect(value('=is defined(x)')).toBe(false);
    expect(value('=is defined(x)', { x: 1 })).toBe(true);
    expect(value('=put all({a: 1}, {b: 2})')).toEqual({ a: 1, b: 2 });
    expect(value('=put({a: 1}, "b", 2)')).toEqual({ a: 1, b: 2 });
    expect(value('=is empty([])')).toBe(true);
    expect(value('=partition([1, 2, 3], 2)')).toEqual([[1, 2], [3]]);
    expect(value('=duplicate values([1, 2, 1])')).toEqual([1]);
    expect(value('=trim("  a ")')).toBe('a');
    expect(value('=is blank("  ")')).toBe(true);
    expect(value('=last day of month(date("2024-02-10"))')).toBe('2024-02-29');
    expect(value('=uuid()')).toMatch(/^[0-9a-f-]{36}$/);
    expect(value('=assert(x, x > 0)', { x: 5 })).toBe(5);
  });

  test('variables shadow extension functions of the same name', () => {
    expect(value('=partition', { partition: 'p-1' })).toBe('p-1');
  });

  test('durations and dates become ISO strings', () => {
    expect(value('=duration("PT5M")')).toBe('PT5M');
    expect(value('=duration("P2DT3H")')).toBe('P2DT3H');
    expect(value('=duration("P1Y2M")')).toBe('P1Y2M');
    expect(value('=years and months duration(date("2020-01-01"), date("2021-03-01"))')).toBe('P1Y2M');
    expect(value('=years and months duration(date("2011-12-22"), date("2013-08-24"))')).toBe('P1Y8M');
    expect(value('=years and months duration(date("2013-08-24"), date("2011-12-22"))')).toBe('-P1Y8M');
    expect(value('=extract("a1b22", "[0-9]+")')).toEqual(['1', '22']);
    expect(value('=extract("abc", "[0-9]+")')).toEqual([]);
    expect(value('=string join(["a", "b"])')).toBe('ab');
    expect(value('=string join(["a", null, "b"], ", ")')).toBe('a, b');
    expect(value('=string join(["a", "b"], ", ", "[", "]")')).toBe('[a, b]');
    expect(value('=string join([1], ",")')).toBeNull();
    expect(value('=get value({a: {b: 1}}, ["a", "b"])')).toBe(1);
    expect(value('=get value({a: 1}, "a")')).toBe(1);
    expect(value('=get value({a: 1}, "x")')).toBeNull();
    expect(value('=get value({a: 1}, [])')).toBeNull();
    expect(value('=get value({a: {b: 3}}, ["b"])')).toBeNull();
    expect(value('=context put({x: 1}, "y", 2)')).toEqual({ x: 1, y: 2 });
    expect(value('=context put({x: 1, y: {z: 0}}, ["y", "z"], 2)')).toEqual({ x: 1, y: { z: 2 } });
    expect(value('=context put({x: 1}, ["y", "z"], 2)')).toEqual({ x: 1, y: { z: 2 } });
    expect(value('=context put({x: 1}, [], 2)')).toBeNull();
    expect(value('=date and time("2018-04-29T09:30:00+02:00[Europe/Berlin]")')).toBe(
      '2018-04-29T09:30:00+02:00[Europe/Berlin]',
    );
    expect(value('=date and time("2018-04-29T09:30:00+02:00")')).toBe('2018-04-29T09:30:00+02:00');
    expect(value('=date and time(date("2012-12-24"), time("T23:59:00"))')).toBe('2012-12-24T23:59:00');
    expect(value('=date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")')).toBe(
      '2020-07-31T05:27:30-07:00[America/Los_Angeles]',
    );
    expect(value('=date and time(@"2020-07-31T14:27:30+02:00", "Z")')).toBe('2020-07-31T12:27:30Z');
    expect(value('=to json({a: 1, b: [true, null]})')).toBe('{"a":1,"b":[true,null]}');
    expect(value('=to json(@"P3Y")')).toBe('"P3Y"');
    expect(value('=from json("{\\"a\\": 1}")')).toEqual({ a: 1 });
    expect(value('=from json("not json")')).toBeNull();
    expect(value('=to base64("FEEL")')).toBe('RkVFTA==');
    expect(value('=round up(5.5)')).toBe(6);
    expect(value('=round down(-5.5)')).toBe(-5);
    expect(value('=round half up(-5.5)')).toBe(-6);
    expect(value('=round half down(5.5)')).toBe(5);
    expect(value('=round half up(1.121, 2)')).toBe(1.12);
    expect(value('=decimal(2.5, 0)')).toBe(2);
    expect(value('=decimal(2.5, 0, "half_up")')).toBe(3);
    expect(value('=decimal(1.25, 1, "FLOOR")')).toBe(1.2);
    expect(value('=decimal(1.25, 1, "unnecessary")')).toBeNull();
    expect(value('=decimal(1.2, 1, "UNNECESSARY")')).toBe(1.2);
    expect(value('=duration("PT10M") * 3')).toBe('PT30M');
    expect(value('=2 * duration("P1DT2H")')).toBe('P2DT4H');
    expect(value('=duration("P1Y") * 2')).toBe('P2Y');
    expect(value('=duration("PT1H") / 4')).toBe('PT15M');
    expect(value('=duration("PT1H") * n + duration("PT1M")', { n: 1.5 })).toBe('PT1H31M');
    expect(value('=duration("PT1H") / 0')).toBeNull();
    expect(value('=if duration("PT1H") * 2 > duration("PT90M") then 6 * 7 / 2 else 0')).toBe(21);
    expect(value('=date("2026-01-01")')).toBe('2026-01-01');
    expect(value('=time("10:15:00")')).toBe('10:15:00');
    expect(value('=date and time("2026-01-01T10:00:00Z") + duration("P1D")')).toBe('2026-01-02T10:00:00Z');
    expect(value('=date and time("2026-01-01T10:00:00+02:00")')).toBe('2026-01-01T10:00:00+02:00');
    expect(value('=date and time("2026-01-01T10:00:00@Europe/Berlin")')).toBe(
      '2026-01-01T10:00:00+01:00[Europe/Berlin]',
    );
    expect(value('=date and time("2026-01-01T10:00:00")')).toBe('2026-01-01T10:00:00');
    expect(value('=date("2026-03-01") - date("2026-02-01")')).toBe('P28D');
    expect(value('={due: duration("PT1H"), on: date("2026-01-01")}')).toEqual({ due: 'PT1H', on: '2026-01-01' });
  });

  test('now() and today() read the pinned clock', () => {
    expect(value('=now()')).toBe('2026-03-15T10:30:00Z');
    expect(value('=today()')).toBe('2026-03-15');
    expect(value('=now() + duration("PT1H")')).toBe('2026-03-15T11:30:00Z');
    expect(value('=day of week(today())')).toBe('Sunday');
    expect(value('=now() > date and time("2026-01-01T00:00:00Z")')).toBe(true);
  });

  test('missing variables are null with a warning, as in Zeebe (FEEL is null-friendly)', () => {
    const r = evaluateExpression('=x > 5', {});
    expect(r).toEqual({
      ok: true,
      value: null,
      warnings: [{ type: 'NO_VARIABLE_FOUND', message: "No variable found with name 'x'" }],
    });
  });

  test('an unknown function is null with a NO_FUNCTION_FOUND warning', () => {
    const r = evaluateExpression('=foo(1)', {});
    expect(r).toEqual({
      ok: true,
      value: null,
      warnings: [{ type: 'NO_FUNCTION_FOUND', message: "No function found with name 'foo'" }],
    });
  });

  test('type errors are null with a warning', () => {
    const r = evaluateExpression('="a" + 1', {});
    expect(r.ok && r.value).toBeNull();
    expect(r.ok && r.warnings[0].type).toBe('INVALID_TYPE');
  });

  test('failures: syntax, assert, recursion', () => {
    const syntax = evaluateExpression('=1 +', {});
    expect(syntax.ok).toBe(false);
    expect(!syntax.ok && syntax.message).toMatch(/^failed to parse expression '1 \+'/);
    const assertion = evaluateExpression('=assert(x, x != null, "x is required")', {});
    expect(!assertion.ok && assertion.message).toBe(
      'failed to evaluate expression \'assert(x, x != null, "x is required")\': Assertion failure: x is required',
    );
    const recursion = evaluateExpression('={f: function(n) f(n + 1)}.f(1)', {});
    expect(!recursion.ok && recursion.message).toMatch(/maximum recursion depth/);
  });

  test('an expression that loops is stopped by the budget and the evaluator keeps working', () => {
    const r = evaluateExpression('=count(for i in 1..100000000000 return i)', {}, { timeoutMs: 100 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/exceeded its budget of 100 ms/);
    // A pattern that backtracks 2^40 times in a backtracking engine is answered at once (regex.ts, bounds.test.ts).
    expect(value('=matches(s, "^(a+)+$")', { s: 'a'.repeat(40) + '!' })).toBe(false);
    expect(value('=1 + 1')).toBe(2);
    expect(value('=for x in [1, 2] return x + 1')).toEqual([2, 3]);
  });

  test('evaluateRaw keeps FEEL values', () => {
    const r = evaluateRaw('duration("PT5M")', {});
    expect(r.ok && resultType(r.value)).toBe('DURATION');
    const p = evaluateRaw('duration("P1M")', {});
    expect(p.ok && resultType(p.value)).toBe('PERIOD');
    const d = evaluateRaw('now()', {}, { now: clock });
    expect(d.ok && resultType(d.value)).toBe('DATE_TIME');
  });
});

describe('JSON conversion', () => {
  test('toJson maps non-JSON values to null', () => {
    expect(toJson(Number.NaN)).toBeNull();
    expect(toJson(undefined)).toBeNull();
    expect(toJson(() => 1)).toBeNull();
    expect(toJson({ a: [1, 'x', true, null] })).toEqual({ a: [1, 'x', true, null] });
  });

  test('fromJson keeps ISO strings as strings', () => {
    expect(fromJson('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
    expect(value('=x instance of string', { x: fromJson('2026-01-01T00:00:00Z') })).toBe(true);
    expect(fromJson(undefined)).toBeNull();
  });

  test.each<[unknown, string]>([
    [null, 'NULL'],
    [true, 'BOOLEAN'],
    [1, 'NUMBER'],
    ['s', 'STRING'],
    [[1], 'ARRAY'],
    [{ a: 1 }, 'OBJECT'],
  ])('resultType(%j) is %s', (input, expected) => expect(resultType(input)).toBe(expected));
});

describe('checkSyntax', () => {
  test.each(['=x > 5', 'a + b', '={a: 1}', '=get or else(x, 1)', '=for i in [1] return i', '=date("2026-01-01")'])(
    '%s is valid',
    (expr) => expect(checkSyntax(expr)).toBeNull(),
  );

  test.each(['=1 +', '=x >', '={a: }', '=(1', '=', '=if x then 1'])('%s is rejected', (expr) => {
    expect(checkSyntax(expr)).toMatch(/^failed to parse expression/);
  });

  test('a string literal may span lines, as Zeebe takes it (an AI agent prompt); positions stay the text’s', () => {
    const prompt = '="You are a billing assistant.\nAnswer in Chinese.\r\nBe brief: " + tone';
    expect(checkSyntax(prompt)).toBeNull();
    expect(value(prompt, { tone: 'friendly' })).toBe(
      'You are a billing assistant.\nAnswer in Chinese.\r\nBe brief: friendly',
    );
    expect(checkSyntax('="two\nlines" +')).toMatch(/incomplete expression at position 14$/);
    // outside a literal a line break is only white space, as before
    expect(value('=1 +\n2', {})).toBe(3);
  });

  test('does not evaluate (a looping expression parses instantly)', () => {
    expect(checkSyntax('=count(for i in 1..100000000000 return i)')).toBeNull();
  });
});

describe('and(list) / or(list), the older names of all() / any() in Camunda FEEL', () => {
  test.each([
    ['and([true, true])', true],
    ['and([true, false])', false],
    ['or([false, true])', true],
    ['or ([false, false])', false],
    ['not(and([a, b]))', true],
    ['if or([a, b]) then "yes" else "no"', 'yes'],
    ['a and (b or c)', false],
    ['a or(b)', true],
    ['string(date and time("2026-01-02T03:04:05Z"))', '2026-01-02T03:04:05Z'],
    ['"and(x)" + " or(y)"', 'and(x) or(y)'],
    ['and([a, c]) = false', true],
  ])('%s', (expr, expected) => {
    expect(value(expr, { a: true, b: false, c: false })).toBe(expected);
  });

  test('deployment-time syntax check accepts them', () => {
    expect(checkSyntax('= and([x, y])')).toBeNull();
    expect(checkSyntax('= or(list)')).toBeNull();
  });
});
