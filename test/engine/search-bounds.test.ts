import { startTestEngine, type TestEngine } from '../support/engine.js';

// Issue #14, "no input may stall the server", on the search side: a `$like` pattern of many `*` was matched with a
// backtracking regex (28 stars took 6 s and froze health checks), and a NUL character in a filter string reached
// PostgreSQL, which answered with an error (a 500). Now `$like` matches in polynomial time, and a NUL anywhere in
// a search body is a 400 problem naming the field.

const bpmn = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="bounds-work" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

let t: TestEngine;
let processDefinitionKey: string;
const started: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestEngine();
  const deployment = await t.client.createDeployment({
    resources: ['search-bounds-alpha', 'search-bounds-beta'].map(
      (id) => new File([bpmn(id)], `${id}.bpmn`, { type: 'application/xml' }),
    ),
  });
  processDefinitionKey = deployment.processes[0].processDefinitionKey;
  for (const id of ['search-bounds-alpha', 'search-bounds-beta']) {
    const pi = await t.client.createProcessInstance({ processDefinitionId: id as never, variables: { order: 'A-1' } });
    started[id] = pi.processInstanceKey;
  }
});
afterAll(async () => {
  await t?.stop();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${t.url}/v2${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('$like with many wildcards', () => {
  const stars = '*'.repeat(28);
  const ids = async (filter: Record<string, unknown>) =>
    (await t.client.searchProcessInstances({ filter } as never, { consistency: { waitUpToMs: 0 } })).items
      .map((i) => i.processDefinitionId)
      .sort();

  test('matches the same instances as a plain pattern, for text and for states', async () => {
    expect(await ids({ processDefinitionId: { $like: `${stars}bounds${stars}` } })).toEqual([
      'search-bounds-alpha',
      'search-bounds-beta',
    ]);
    expect(await ids({ processDefinitionId: { $like: `${stars}a${stars}l${stars}` } })).toEqual([
      'search-bounds-alpha',
    ]);
    expect(await ids({ processDefinitionId: { $like: `${stars}x` } })).toEqual([]);
    expect(await ids({ state: { $like: `${stars}IVE` } })).toEqual(['search-bounds-alpha', 'search-bounds-beta']);
    expect(await ids({ state: { $like: `${stars}ED` } })).toEqual([]);
  });
});

describe('a NUL character in a search body', () => {
  const instances = () => '/process-instances/search';
  test.each<[string, string, () => string, unknown]>([
    [
      'process instances',
      'filter.variables[0].name',
      instances,
      { filter: { variables: [{ name: 'or\u0000der', value: '1' }] } },
    ],
    [
      'process instances',
      'filter.processDefinitionId.$like',
      instances,
      { filter: { processDefinitionId: { $like: 'x\u0000*' } } },
    ],
    ['process instances', 'filter.tags[0]', instances, { filter: { tags: ['\u0000'] } }],
    [
      'user tasks',
      'filter.candidateGroups.$in[1]',
      () => '/user-tasks/search',
      { filter: { candidateGroups: { $in: ['a', 'x\u0000'] } } },
    ],
    ['variables', 'filter.name', () => '/variables/search', { filter: { name: 'or\u0000der' } }],
    ['jobs', 'filter.type', () => '/jobs/search', { filter: { type: 'bounds\u0000work' } }],
    [
      'element statistics',
      'filter.variables[0].value',
      () => `/process-definitions/${processDefinitionKey}/statistics/element-instances`,
      { filter: { variables: [{ name: 'order', value: '\u0000' }] } },
    ],
  ])('%s: 400 naming %s', async (_what, field, path, body) => {
    const res = await post(path(), body);
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('INVALID_ARGUMENT');
    expect(res.body.detail).toBe(`${field}: must not contain NUL characters`);
  });

  test('the same searches without it work', async () => {
    const res = await post('/process-instances/search', { filter: { variables: [{ name: 'order', value: '"A-1"' }] } });
    expect(res.status).toBe(200);
    expect((res.body.items as unknown[]).length).toBe(2);
  });
});
