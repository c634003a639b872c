import { NEW_DECISION } from '../../web/src/views/modeler/decision-template.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/decisions, the modeler's DMN side, against the embedded engine through the official client: who may do
// what, refusals naming the field, the check while editing, deployment (versions, rejections in codes) and the list.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'manager', 'auditor', 'admin'];

// The template with the rule's output and the input entry changed, and a second rule (Camunda's FEEL syntax).
const fees = NEW_DECISION.replaceAll('new-decision', 'water-fee-class').replace(
  '</rule>',
  `</rule>
      <rule id="rule2"><inputEntry id="rule2-input1"><text>&lt;= 100</text></inputEntry><outputEntry id="rule2-output1"><text>"normal"</text></outputEntry></rule>`,
);

beforeAll(async () => {
  t = await startTestAquaflow();
  for (const u of ROLES) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('only managers and admins check and deploy; oversight reads; everyone else gets 403', async () => {
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['GET', '/api/decisions', undefined, ['manager', 'admin', 'auditor']],
    ['GET', '/api/decisions/requirements/1/xml', undefined, ['manager', 'admin', 'auditor']],
    ['POST', '/api/decisions/check', { xml: NEW_DECISION }, ['manager', 'admin']],
    ['POST', '/api/decisions/deployments', { name: 'x.dmn', xml: '<x/>' }, ['manager', 'admin']],
  ];
  for (const [method, path, body, allowed] of matrix)
    for (const role of ROLES) {
      const r = await s[role].call(method, path, body);
      if (allowed.includes(role)) expect([role, path, r.status === 403]).toEqual([role, path, false]);
      else expect([role, path, r.status]).toEqual([role, path, 403]);
    }
});

test('a malformed body is 422 naming the field', async () => {
  const badName = await s.manager.call('POST', '/api/decisions/deployments', { name: 'fees.bpmn', xml: NEW_DECISION });
  expect(badName.status).toBe(422);
  expect(badName.body).toMatchObject({ field: 'name', code: 'invalid' });
  const noXml = await s.admin.call('POST', '/api/decisions/check', {});
  expect(noXml.status).toBe(422);
  expect(noXml.body).toMatchObject({ field: 'xml' });
});

test('the template passes the check; a broken table gets its problems by code, on the decision and the rule', async () => {
  expect((await s.manager.call('POST', '/api/decisions/check', { xml: NEW_DECISION })).body).toEqual({ problems: [] });
  const broken = NEW_DECISION.replace('&gt; 100', '&gt; 100)');
  const noRules = NEW_DECISION.replace(/<rule id="rule1">[\s\S]*<\/rule>/, '');
  expect((await s.manager.call('POST', '/api/decisions/check', { xml: broken })).body.problems).toEqual([
    { elementId: 'new-decision', where: 'rule1', category: 'error', code: 'feelSyntax', values: { text: '> 100)' } },
  ]);
  expect((await s.manager.call('POST', '/api/decisions/check', { xml: noRules })).body.problems).toEqual([
    { elementId: 'new-decision', category: 'warn', code: 'noRules', values: {} },
  ]);
  const unreadable = await s.manager.call('POST', '/api/decisions/check', { xml: '<definitions' });
  expect(unreadable.body.problems).toMatchObject([{ code: 'unreadable', category: 'error' }]);
});

test('deploying creates version 1, then 2 for a change; the list and the XML show it; it evaluates', async () => {
  const first = await s.manager.call('POST', '/api/decisions/deployments', { name: 'water-fee-class.dmn', xml: fees });
  expect(first.status).toBe(201);
  expect(first.body.decisions).toMatchObject([{ decisionDefinitionId: 'water-fee-class', version: 1 }]);
  const changed = fees.replace('"normal"', '"low"');
  const second = await s.manager.call('POST', '/api/decisions/deployments', {
    name: 'water-fee-class.dmn',
    xml: changed,
  });
  expect(second.body.decisions).toMatchObject([{ decisionDefinitionId: 'water-fee-class', version: 2 }]);

  const list = (await s.auditor.call('GET', '/api/decisions')).body.items as Array<Record<string, unknown>>;
  const mine = list.filter((d) => d.decisionDefinitionId === 'water-fee-class');
  expect(mine.map((d) => [d.version, d.resourceName])).toEqual([
    [2, 'water-fee-class.dmn'],
    [1, 'water-fee-class.dmn'],
  ]);
  const xml = await fetch(`${t.app.url}/api/decisions/requirements/${String(mine[0].decisionRequirementsKey)}/xml`, {
    headers: { Cookie: s.manager.cookie },
  });
  expect(xml.headers.get('content-type')).toContain('application/xml');
  expect(await xml.text()).toBe(changed);

  const evaluated = await t.client('manager').evaluateDecision({
    decisionDefinitionId: 'water-fee-class' as never,
    variables: { amount: 80 },
  });
  // One output: the decision's result is the output's value itself, as in Camunda.
  expect(JSON.parse(evaluated.output)).toBe('low');
});

test("the engine's rejection keeps its detail and adds the errors as codes on their elements", async () => {
  const cyclic = fees.replace(
    '<decisionTable',
    '<informationRequirement id="req1"><requiredDecision href="#water-fee-class" /></informationRequirement><decisionTable',
  );
  const rejected = await s.manager.call('POST', '/api/decisions/deployments', { name: 'cyclic.dmn', xml: cyclic });
  expect(rejected.status).toBe(400);
  expect(String(rejected.body.detail)).toContain("'cyclic.dmn'");
  expect(rejected.body.problems).toEqual([
    { elementId: 'water-fee-class', category: 'error', code: 'requiredCycle', values: {} },
  ]);
  const unknown = await s.manager.call('GET', '/api/decisions/requirements/999999/xml');
  expect(unknown.status).toBe(404);
});
