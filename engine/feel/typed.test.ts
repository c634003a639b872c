import {
  evaluateAny,
  evaluateCondition,
  evaluateCorrelationKey,
  evaluateDateTime,
  evaluateInteger,
  evaluateInterval,
  evaluateList,
  evaluateString,
  evaluateStringList,
  parseZonedDateTime,
} from './index.js';

const now = new Date('2026-03-15T10:30:00Z');

describe('conditions', () => {
  test('boolean results pass', () => {
    expect(evaluateCondition('=amount > 100', { amount: 150 })).toEqual({ ok: true, value: true });
    expect(evaluateCondition('=amount > 100', { amount: 50 })).toEqual({ ok: true, value: false });
  });

  test('null from a missing variable is an incident with the warnings, worded like Zeebe', () => {
    expect(evaluateCondition('=amount > 100', {})).toEqual({
      ok: false,
      message:
        "Expected result of the expression 'amount > 100' to be 'BOOLEAN', but was 'NULL'. The evaluation reported the following warnings:\n[NO_VARIABLE_FOUND] No variable found with name 'amount'",
    });
  });

  test('a non-boolean result is an incident', () => {
    expect(evaluateCondition('=amount', { amount: 3 })).toEqual({
      ok: false,
      message: "Expected result of the expression 'amount' to be 'BOOLEAN', but was 'NUMBER'.",
    });
    expect(evaluateCondition('true', {}).ok).toBe(false);
  });

  test('a failing evaluation is reported, not thrown', () => {
    const r = evaluateCondition('=x >', {});
    expect(!r.ok && r.message).toMatch(/^failed to parse expression/);
  });
});

describe('strings: job type, message name, called element', () => {
  test('static text is used as is', () => {
    expect(evaluateString('payment-service', {})).toEqual({ ok: true, value: 'payment-service' });
  });
  test('expressions must yield a string', () => {
    expect(evaluateString('="svc-" + kind', { kind: 'a' })).toEqual({ ok: true, value: 'svc-a' });
    const r = evaluateString('=kind', { kind: 5 });
    expect(!r.ok && r.message).toBe("Expected result of the expression 'kind' to be 'STRING', but was 'NUMBER'.");
    expect(evaluateString('=processId', {}).ok).toBe(false);
  });
});

describe('integers: job retries', () => {
  test.each<[string, Record<string, unknown>, number]>([
    ['3', {}, 3],
    [' 5 ', {}, 5],
    ['=retries', { retries: 4 }, 4],
    ['=1 + 2', {}, 3],
  ])('%s → %d', (attr, vars, expected) => expect(evaluateInteger(attr, vars)).toEqual({ ok: true, value: expected }));

  test('decimals, text and null are rejected', () => {
    const decimal = evaluateInteger('=2.5', {});
    expect(!decimal.ok && decimal.message).toBe(
      "Expected result of the expression '2.5' to be an integer, but was a decimal.",
    );
    expect(evaluateInteger('three', {}).ok).toBe(false);
    expect(evaluateInteger('=retries', {}).ok).toBe(false);
  });
});

describe('correlation keys', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['=orderId', { orderId: 'o-1' }, 'o-1'],
    ['=orderId', { orderId: 42 }, '42'],
    ['=orderId', { orderId: 42.9 }, '42'],
    ['=order.id', { order: { id: 7 } }, '7'],
  ])('%s with %j → %s', (attr, vars, expected) =>
    expect(evaluateCorrelationKey(attr, vars)).toEqual({ ok: true, value: expected }),
  );

  test('other types are an incident', () => {
    const r = evaluateCorrelationKey('=orderId', {});
    expect(!r.ok && r.message).toMatch(
      /^Failed to extract the correlation key for 'orderId': The value must be either a string or a number, but was 'NULL'\./,
    );
    expect(evaluateCorrelationKey('=flag', { flag: true }).ok).toBe(false);
  });
});

describe('lists: multi-instance input collection, candidate groups', () => {
  test('input collection must be a list', () => {
    expect(evaluateList('=items', { items: [1, { a: 2 }] })).toEqual({ ok: true, value: [1, { a: 2 }] });
    expect(evaluateList('=for i in 1..3 return i', {})).toEqual({ ok: true, value: [1, 2, 3] });
    expect(evaluateList('=[date("2026-01-01")]', {})).toEqual({ ok: true, value: ['2026-01-01'] });
    const r = evaluateList('=items', { items: 'x' });
    expect(!r.ok && r.message).toBe("Expected result of the expression 'items' to be 'ARRAY', but was 'STRING'.");
  });

  test('candidate groups: static comma-separated text, list expression, string expression', () => {
    expect(evaluateStringList('sales, billing ,', {})).toEqual({ ok: true, value: ['sales', 'billing'] });
    expect(evaluateStringList('=groups', { groups: ['a', 'b'] })).toEqual({ ok: true, value: ['a', 'b'] });
    expect(evaluateStringList('=groups', { groups: 'a,b' })).toEqual({ ok: true, value: ['a', 'b'] });
    const r = evaluateStringList('=[1, "a"]', {});
    expect(!r.ok && r.message).toMatch(/containing at least one non-'STRING' item/);
    expect(evaluateStringList('=groups', {}).ok).toBe(false);
  });
});

describe('date-times: due dates, timer dates', () => {
  test('ISO strings with offset or zone, and FEEL date-times', () => {
    expect(evaluateDateTime('2026-05-01T12:00:00Z', {})).toEqual({ ok: true, value: new Date('2026-05-01T12:00:00Z') });
    expect(evaluateDateTime('=due', { due: '2026-05-01T12:00:00+02:00' })).toEqual({
      ok: true,
      value: new Date('2026-05-01T10:00:00Z'),
    });
    expect(evaluateDateTime('=now() + duration("P1D")', {}, { now })).toEqual({
      ok: true,
      value: new Date('2026-03-16T10:30:00Z'),
    });
    expect(evaluateDateTime('=date and time("2026-07-01T12:00:00@Europe/Berlin")', {})).toEqual({
      ok: true,
      value: new Date('2026-07-01T10:00:00Z'),
    });
  });

  test('null and empty are "no date" only when nullable', () => {
    expect(evaluateDateTime('=due', {}, { nullable: true })).toEqual({ ok: true, value: null });
    expect(evaluateDateTime('=""', {}, { nullable: true })).toEqual({ ok: true, value: null });
    const r = evaluateDateTime('=due', {});
    expect(!r.ok && r.message).toMatch(/to be one of '\[DATE_TIME, STRING\]', but was 'NULL'/);
  });

  test('a zone-less or malformed date-time is an incident', () => {
    const r = evaluateDateTime('2026-05-01T12:00:00', {});
    expect(!r.ok && r.message).toBe(
      "Invalid date-time format '2026-05-01T12:00:00' for expression '2026-05-01T12:00:00'.",
    );
    expect(evaluateDateTime('=due', { due: 'tomorrow' }).ok).toBe(false);
  });

  test.each<[string, string | null]>([
    ['2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00:00.250Z', '2026-01-01T10:00:00.250Z'],
    ['2026-01-01T10:00:00-05:00', '2026-01-01T15:00:00.000Z'],
    ['2026-01-01T10:00:00+01:00[Europe/Berlin]', '2026-01-01T09:00:00.000Z'],
    ['2026-07-01T10:00:00@Europe/Berlin', '2026-07-01T08:00:00.000Z'],
    ['2026-01-01T10:00:00', null],
    ['2026-01-01', null],
    ['nonsense', null],
  ])('parseZonedDateTime(%s)', (text, iso) => expect(parseZonedDateTime(text)?.toISOString() ?? null).toBe(iso));
});

describe('intervals and any', () => {
  test('timer durations accept durations, periods and strings', () => {
    expect(evaluateInterval('PT5M', {})).toEqual({ ok: true, value: 'PT5M' });
    expect(evaluateInterval('=duration("PT" + string(n) + "M")', { n: 3 })).toEqual({ ok: true, value: 'PT3M' });
    expect(evaluateInterval('=duration("P1M")', {})).toEqual({ ok: true, value: 'P1M' });
    const r = evaluateInterval('=wait', {});
    expect(!r.ok && r.message).toMatch(/to be one of '\[DURATION, PERIOD, STRING\]', but was 'NULL'/);
  });

  test('any value converts to JSON', () => {
    expect(evaluateAny('={total: sum(xs)}', { xs: [1, 2] })).toEqual({ ok: true, value: { total: 3 } });
    expect(evaluateAny('=x', {})).toEqual({ ok: true, value: null });
  });
});
