import { refuseNul, SearchRequestError } from './request-error.js';

describe('a NUL character anywhere in a search body is refused, naming its place', () => {
  const refused = (body: unknown): string => {
    try {
      refuseNul(body);
    } catch (e) {
      expect(e).toBeInstanceOf(SearchRequestError);
      expect((e as SearchRequestError).message).toBe(
        `${(e as SearchRequestError).field}: must not contain NUL characters`,
      );
      return (e as SearchRequestError).field;
    }
    throw new Error(`accepted: ${JSON.stringify(body)}`);
  };

  it.each<[unknown, string]>([
    [{ filter: { name: 'a\u0000b' } }, 'filter.name'],
    [{ filter: { name: { $in: ['a', 'b\u0000'] } } }, 'filter.name.$in[1]'],
    [{ filter: { name: { $like: 'a*\u0000' } } }, 'filter.name.$like'],
    [{ filter: { state: { $like: '\u0000*' } } }, 'filter.state.$like'],
    [{ filter: { candidateGroups: { $in: ['clerk', '\u0000'] } } }, 'filter.candidateGroups.$in[1]'],
    [
      {
        filter: {
          variables: [
            { name: 'ok', value: '1' },
            { name: 'x\u0000', value: '1' },
          ],
        },
      },
      'filter.variables[1].name',
    ],
    [{ filter: { variables: [{ name: 'x', value: '"\u0000"' }] } }, 'filter.variables[0].value'],
    [{ filter: { tags: ['a', 'b\u0000'] } }, 'filter.tags[1]'],
    [{ filter: { $or: [{ name: 'x' }, { name: { $neq: '\u0000' } }] } }, 'filter.$or[1].name.$neq'],
    [{ filter: { 'na\u0000me': 'x' } }, 'filter.na\\u0000me'],
    [{ sort: [{ field: 'name\u0000' }] }, 'sort[0].field'],
    [{ page: { after: '\u0000' } }, 'page.after'],
    [{ filter: { a: 'first\u0000', b: 'second\u0000' } }, 'filter.a'],
    ['\u0000', ''],
  ])('%j → %s', (body, field) => {
    expect(refused(body)).toBe(field);
  });

  it('anything else passes, however deeply nested', () => {
    expect(() => refuseNul(undefined)).not.toThrow();
    expect(() => refuseNul({ filter: { name: 'a\\u0000b', prio: 1, done: true, none: null } })).not.toThrow();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => refuseNul({ filter: deep })).not.toThrow();
  });
});
