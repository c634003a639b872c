import { evaluateInputMappings, evaluateOutputMappings } from './index.js';

describe('input mappings', () => {
  test('plain, static and missing sources', () => {
    const r = evaluateInputMappings(
      [
        { source: '=order.id', target: 'orderId' },
        { source: 'literal "text"', target: 'label' },
        { source: '=unknown', target: 'missing' },
        { source: null, target: 'empty' },
      ],
      { order: { id: 'o-1' } },
    );
    expect(r).toEqual({ ok: true, value: { orderId: 'o-1', label: 'literal "text"', missing: null, empty: null } });
  });

  test('later mappings see earlier results', () => {
    const r = evaluateInputMappings(
      [
        { source: '=2', target: 'a' },
        { source: '=a * 10', target: 'b' },
      ],
      { a: 1 },
    );
    expect(r).toEqual({ ok: true, value: { a: 2, b: 20 } });
  });

  test('nested targets build a fresh context, merged across mappings but not with the existing variable', () => {
    const r = evaluateInputMappings(
      [
        { source: '=1', target: 'customer.address.zip' },
        { source: '="x"', target: 'customer.name' },
      ],
      { customer: { id: 'c-1' } },
    );
    expect(r).toEqual({ ok: true, value: { customer: { address: { zip: 1 }, name: 'x' } } });
  });

  test('a failing source stops the mapping with the message', () => {
    const r = evaluateInputMappings([{ source: '=assert(x, x != null)', target: 'y' }], {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/Assertion failure/);
  });
});

describe('output mappings', () => {
  test('nested targets merge into the existing object variable at every level', () => {
    const r = evaluateOutputMappings([{ source: '=result', target: 'order.payment.status' }], {
      result: 'PAID',
      order: { id: 'o-1', payment: { method: 'card' } },
    });
    expect(r).toEqual({ ok: true, value: { order: { id: 'o-1', payment: { method: 'card', status: 'PAID' } } } });
  });

  test('existing() supplies the flow-scope value', () => {
    const r = evaluateOutputMappings([{ source: '=1', target: 'a.b' }], {}, { existing: () => ({ c: 2 }) });
    expect(r).toEqual({ ok: true, value: { a: { c: 2, b: 1 } } });
  });

  test('a non-object existing value is replaced', () => {
    const r = evaluateOutputMappings([{ source: '=1', target: 'a.b' }], { a: 'text' });
    expect(r).toEqual({ ok: true, value: { a: { b: 1 } } });
  });

  test('temporal results are stored as ISO strings', () => {
    const r = evaluateOutputMappings(
      [{ source: '=now() + duration("PT1H")', target: 'deadline' }],
      {},
      {
        now: new Date('2026-01-01T00:00:00Z'),
      },
    );
    expect(r).toEqual({ ok: true, value: { deadline: '2026-01-01T01:00:00Z' } });
  });

  test('an invalid target is reported', () => {
    expect(evaluateOutputMappings([{ source: '=1', target: 'a..b' }], {}).ok).toBe(false);
  });
});
