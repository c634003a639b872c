import { VerifiedCredentials } from '../../server/auth/verified-credentials.js';

// The /v2 Basic-auth check remembers successes briefly so that workers do not pay an argon2 hash per
// request; it must never turn a wrong password, or an expired success, into a yes.
describe('VerifiedCredentials', () => {
  const answering = (ok: boolean) => {
    const calls: string[] = [];
    return { calls, verify: (label: string) => async () => (calls.push(label), ok) };
  };

  test('a success is remembered for the TTL, then checked again', async () => {
    const c = new VerifiedCredentials(1000);
    const { calls, verify } = answering(true);
    expect(await c.check('clerk', 'demo', verify('1'), 0)).toBe(true);
    expect(await c.check('clerk', 'demo', verify('2'), 999)).toBe(true);
    expect(calls).toEqual(['1']);
    expect(await c.check('clerk', 'demo', verify('3'), 1000)).toBe(true);
    expect(calls).toEqual(['1', '3']);
  });

  test('failures are not remembered, and a remembered pair does not vouch for another password or user', async () => {
    const c = new VerifiedCredentials(60_000);
    const yes = answering(true);
    const no = answering(false);
    expect(await c.check('clerk', 'demo', yes.verify('ok'), 0)).toBe(true);
    expect(await c.check('clerk', 'wrong', no.verify('wrong'), 1)).toBe(false);
    expect(await c.check('clerk', 'wrong', no.verify('wrong again'), 2)).toBe(false);
    expect(await c.check('clerk2', 'demo', no.verify('other user'), 3)).toBe(false);
    // user "a" + password "bc" and user "ab" + password "c" are different pairs
    expect(await c.check('a', 'bc', yes.verify('a|bc'), 4)).toBe(true);
    expect(await c.check('ab', 'c', no.verify('ab|c'), 5)).toBe(false);
    expect(no.calls).toEqual(['wrong', 'wrong again', 'other user', 'ab|c']);
  });

  test('holds at most `max` pairs, forgetting the oldest', async () => {
    const c = new VerifiedCredentials(60_000, 2);
    const { calls, verify } = answering(true);
    await c.check('u1', 'p', verify('u1'), 0);
    await c.check('u2', 'p', verify('u2'), 0);
    await c.check('u3', 'p', verify('u3'), 0);
    await c.check('u2', 'p', verify('u2 again'), 0);
    await c.check('u1', 'p', verify('u1 again'), 0);
    expect(calls).toEqual(['u1', 'u2', 'u3', 'u1 again']);
  });
});
