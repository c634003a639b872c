import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

// Camunda 8.8 docs, FEEL › Data types › Number: numbers are decimals (BigDecimal semantics), so `0.1 + 0.2 = 0.3`
// is true; FEEL › Language guide › Expressions › Path expression: a path on null is null (null-friendly);
// FEEL built-in string, temporal functions and date/duration arithmetic.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-feel.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('Camunda 8.8 conformance: FEEL numbers, paths, strings, temporals', () => {
  test('= and != compare decimals, in scripts and in gateway conditions', async () => {
    const pi = (
      await t.client.createProcessInstance({ processDefinitionId: 'audit-feel' as never, variables: { price: 0.1 } })
    ).processInstanceKey;
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endExact');
    expect((await rootVariables(t.db.knex, pi)).r).toEqual({
      equal: true,
      notEqual: false,
      inList: true,
      missing: null,
      upper: 'ABC',
      sub: 'ell',
      joined: 'a-b',
      later: '2026-01-01T11:30:00Z',
      days: 'P28D',
      ym: 'P1Y8M',
      digits: ['1', '22'],
      blank: true,
      trimmed: 'x',
    });
  });
});
