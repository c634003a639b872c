import pino from 'pino';
import { loadConfig } from '../../platform/config.js';
import { startAquaflow, type RunningAquaflow } from '../../server/lifecycle.js';
import { createCamundaClient } from '../../platform/engine-client.js';
import type { WorkerFactory } from '../../workers/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="in-process-worker-check" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="count">
      <bpmn:extensionElements><zeebe:taskDefinition type="lifecycle-test-count" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="count" />
    <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

// Counts users in the domain database: proves a handler gets the knex handle and acknowledges its job.
const countUsers: WorkerFactory = ({ knex }) => ({
  jobType: 'lifecycle-test-count',
  jobTimeoutMs: 10000,
  maxParallelJobs: 2,
  jobHandler: async (job) => {
    const row = await knex('cis.users').count<{ n: string }>({ n: '*' }).first();
    return job.complete({ users: Number(row?.n), input: job.variables.input });
  },
});

// More job types than the official client's default backpressure permits (16): every one must be served.
const MANY = 24;
const manyTypes = Array.from({ length: MANY }, (_, i) => `lifecycle-test-many-${i}`);
const manyWorkers: WorkerFactory[] = manyTypes.map((type) => () => ({
  jobType: type,
  jobTimeoutMs: 10000,
  maxParallelJobs: 1,
  jobHandler: (job) => job.complete({ [type.replaceAll('-', '_')]: true }),
}));
const MANY_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs-many" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="many-job-types" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f-start" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f-end" sourceRef="join" targetRef="end" />
    ${manyTypes
      .map(
        (
          type,
          i,
        ) => `<bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="a${i}" sourceRef="fork" targetRef="t${i}" /><bpmn:sequenceFlow id="b${i}" sourceRef="t${i}" targetRef="join" />`,
      )
      .join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;

describe('in-process job workers on the embedded engine', () => {
  let db: TestDatabase;
  let aquaflow: RunningAquaflow;

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    aquaflow = await startAquaflow(config, {
      logger: pino({ level: 'silent' }),
      buildWeb: false,
      workers: [countUsers, ...manyWorkers],
    });
  });
  afterAll(async () => {
    await aquaflow?.stop(); // must end the workers' long polls, or Jest would not exit
    await db?.drop();
  });

  test('a job is done by the registered worker; clients sign in to /v2 as Aquaflow users', async () => {
    const client = createCamundaClient(
      { restAddress: aquaflow.url, auth: { strategy: 'BASIC', username: 'admin', password: 'demo' } },
      { CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical', CAMUNDA_SDK_LOG_LEVEL: 'silent' },
    );
    await client.createDeployment({ resources: [new File([BPMN], 'in-process-worker-check.bpmn')] });
    const result = await client.createProcessInstance({
      processDefinitionId: 'in-process-worker-check' as never,
      variables: { input: 'hello' },
      awaitCompletion: true,
      requestTimeout: 20000,
    });
    // Nine demo people, one per role, and the demo service identity `worker`.
    expect(result.variables).toMatchObject({ users: 10, input: 'hello' });
  });

  test("every job type is served, also beyond the client's 16 default backpressure permits", async () => {
    const client = createCamundaClient(
      { restAddress: aquaflow.url, auth: { strategy: 'BASIC', username: 'admin', password: 'demo' } },
      { CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical', CAMUNDA_SDK_LOG_LEVEL: 'silent' },
    );
    await client.createDeployment({ resources: [new File([MANY_BPMN], 'many-job-types.bpmn')] });
    const result = await client.createProcessInstance({
      processDefinitionId: 'many-job-types' as never,
      awaitCompletion: true,
      requestTimeout: 30000,
    });
    expect(Object.keys(result.variables).sort()).toEqual(manyTypes.map((t) => t.replaceAll('-', '_')).sort());
  });

  test('a wrong password is refused by /v2', async () => {
    const res = await fetch(`${aquaflow.url}/v2/topology`, {
      headers: { Authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });
});
