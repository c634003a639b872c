import { startTestEngine, type TestEngine } from '../support/engine.js';

/**
 * RFC 9457 §3.1.3: a problem document's `status` is the HTTP status of the answer. Every way /v2 refuses a
 * request — the router (unknown path, wrong method), authentication, body reading, validation, rejections, the
 * query side, uncaught errors — must keep the two equal, as Camunda's gateway (Spring's ProblemDetail) does.
 */
let t: TestEngine;
const BASIC = { user: 'demo', password: 'demo-secret' };
const auth = 'Basic ' + Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64');

beforeAll(async () => {
  t = await startTestEngine({ basic: BASIC });
});
afterAll(() => t?.stop());

async function send(method: string, path: string, init: { body?: string; type?: string; noAuth?: boolean } = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(init.noAuth ? {} : { Authorization: auth }),
      ...(init.type ? { 'Content-Type': init.type } : {}),
    },
    body: init.body,
  });
  const text = await res.text();
  return { res, status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
}

test.each([
  // [why, method, path, expected status, expected title]
  ['unknown path', 'GET', '/v2/no-such-thing', 404, 'NOT_FOUND'],
  ['wrong method on a known path', 'GET', '/v2/messages/publication', 405, 'Method Not Allowed'],
  // GET …/search is GET …/{processInstanceKey} with the key 'search', as in Camunda: 400, not 405
  ['a search path read with GET', 'GET', '/v2/process-instances/search', 400, 'INVALID_ARGUMENT'],
  ['wrong method on a path with a key', 'PUT', '/v2/process-instances/123', 405, 'Method Not Allowed'],
  ['a method the router does not know', 'PROPFIND', '/v2/topology', 405, 'Method Not Allowed'],
  ['unknown key', 'GET', '/v2/process-instances/123', 404, 'NOT_FOUND'],
  ['a key that is no number', 'GET', '/v2/process-instances/abc', 400, 'INVALID_ARGUMENT'],
] as const)('%s: %s %s answers %i with the same status inside', async (_why, method, path, status, title) => {
  const r = await send(method, path);
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title, instance: path });
});

test('405 names the allowed methods (Allow header) and the refused one, as Spring does', async () => {
  const r = await send('DELETE', '/v2/topology');
  expect(r.res.headers.get('allow')).toMatch(/GET/);
  expect(r.body).toEqual({
    type: 'about:blank',
    title: 'Method Not Allowed',
    status: 405,
    detail: "Method 'DELETE' is not supported.",
    instance: '/v2/topology',
  });
});

test('authentication, body and validation refusals carry their own status', async () => {
  const unauthenticated = await send('GET', '/v2/topology', { noAuth: true });
  expect([unauthenticated.status, unauthenticated.body.status]).toEqual([401, 401]);

  const notJson = await send('POST', '/v2/process-instances', { body: '{', type: 'application/json' });
  expect([notJson.status, notJson.body.status]).toEqual([400, 400]);

  const wrongType = await send('POST', '/v2/process-instances', { body: 'x', type: 'text/plain' });
  expect([wrongType.status, wrongType.body.status]).toEqual([415, 415]);

  const invalid = await send('POST', '/v2/process-instances', { body: '{"variables": 3}', type: 'application/json' });
  expect([invalid.status, invalid.body.status, invalid.body.title]).toEqual([400, 400, 'INVALID_ARGUMENT']);

  const tooLarge = await send('POST', '/v2/process-instances', {
    body: JSON.stringify({ processDefinitionId: 'x', variables: { big: 'a'.repeat(4 * 1024 * 1024) } }),
    type: 'application/json',
  });
  expect([tooLarge.status, tooLarge.body.status]).toEqual([413, 413]);

  const badSearch = await send('POST', '/v2/process-instances/search', {
    body: '{"filter": {"nope": 1}}',
    type: 'application/json',
  });
  expect([badSearch.status, badSearch.body.status]).toEqual([400, 400]);
});
