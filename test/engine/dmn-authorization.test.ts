import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine } from '../../engine/index.js';
import { rejection, startTestEngine, type CamundaClient, type TestEngine } from '../support/engine.js';
import { dmn, file, literalXml } from './dmn-models.js';

/**
 * Camunda 8.8's authorizations on decisions (resource type DECISION_DEFINITION: CREATE_DECISION_INSTANCE,
 * READ_DECISION_DEFINITION, READ_DECISION_INSTANCE; DECISION_REQUIREMENTS_DEFINITION: READ), with the default
 * grants of migration 0027: the staff read decisions, managers and admins evaluate them; a forbidden call is 403.
 */
let t: TestEngine;
let clerk: CamundaClient;

beforeAll(async () => {
  t = await startTestEngine({
    basic: { user: 'admin', password: 'pw' },
    createEngine: (o) =>
      createEngine({
        ...o,
        authenticate: async (user, password) =>
          password === 'pw' && ['admin', 'clerk'].includes(user)
            ? { username: user, roles: [user], service: false }
            : null,
      }),
  });
  clerk = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'clerk',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'pw',
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });
  await t.client.createDeployment({ resources: [file('auth.dmn', dmn('auth-graph', literalXml('answer', '42')))] });
});
afterAll(async () => {
  await t?.stop();
});

const now = { consistency: { waitUpToMs: 0 } } as never;

test('an admin evaluates a decision; a clerk may not (403 naming CREATE_DECISION_INSTANCE)', async () => {
  const r = await t.client.evaluateDecision({ decisionDefinitionId: 'answer', variables: {} } as never);
  expect(r.output).toBe('42');
  const err = await rejection(clerk.evaluateDecision({ decisionDefinitionId: 'answer', variables: {} } as never));
  expect(err.status).toBe(403);
  expect(err.detail).toContain('CREATE_DECISION_INSTANCE');
});

test('a clerk reads decision definitions, requirements and instances', async () => {
  const defs = await clerk.searchDecisionDefinitions({ filter: { decisionDefinitionId: 'answer' } } as never, now);
  expect(defs.items).toHaveLength(1);
  const drgs = await clerk.searchDecisionRequirements(
    { filter: { decisionRequirementsId: 'auth-graph' } } as never,
    now,
  );
  expect(drgs.items).toHaveLength(1);
  const instances = await clerk.searchDecisionInstances({ filter: { decisionDefinitionId: 'answer' } } as never, now);
  expect(instances.items!.length).toBeGreaterThanOrEqual(1);
});
