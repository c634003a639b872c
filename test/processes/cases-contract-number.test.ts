import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine, FilesystemDocumentStore } from '../../engine/index.js';
import casePrepareContract from '../../workers/case-prepare-contract.js';
import type { WorkerContext } from '../../workers/index.js';
import { insertCase } from '../integration/case-documents-fixtures.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { pdfText } from '../support/pdf-text.js';
import { eventually } from '../support/records.js';
import { testWorkerClient } from '../support/workers.js';

/**
 * new-connection's signing form shows the contract number read-only (`contractNo`): case-prepare-contract answers
 * the number its PDF prints, one per version. The step runs alone here (a one-task model), with a document store.
 */
const CASE = 'YW-20261207-0077';
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.test">
  <bpmn:process id="contract-number" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="prepare-contract"><bpmn:extensionElements><zeebe:taskDefinition type="case-prepare-contract" retries="1" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:userTask id="sign-contract"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare-contract" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare-contract" targetRef="sign-contract" />
    <bpmn:sequenceFlow id="f3" sourceRef="sign-contract" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

let t: TestEngine;
let dir: string;
let worker: { stop(): void };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-contract-no-'));
  t = await startTestEngine({
    createEngine: (o) =>
      createEngine({ ...o, documents: { store: new FilesystemDocumentStore(dir), maxBytes: 10 * 1024 * 1024 } }),
  });
  await insertCase(t.db.knex, CASE, '王小明');
  await t.client.createDeployment({
    resources: [new File([MODEL], 'contract-number.bpmn', { type: 'application/xml' })],
  });
  const { workerClient } = testWorkerClient(t);
  const engine = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'req:none,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
  const ctx = { knex: t.db.knex, logger: pino({ level: 'silent' }), engine } as WorkerContext;
  worker = workerClient.createJobWorker({ workerName: 'test', ...casePrepareContract(ctx) });
}, 120000);
afterAll(async () => {
  worker?.stop();
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the contract number the signing form shows is the one the PDF prints', async () => {
  const { processInstanceKey } = await t.client.createProcessInstance({
    processDefinitionId: 'contract-number' as never,
    variables: { caseNo: CASE },
  });
  const pi = String(processInstanceKey);
  const value = async (name: string) => {
    const found = await t.client.searchVariables(
      { filter: { processInstanceKey: pi as never, name } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    return found.items[0] ? JSON.parse(found.items[0].value as string) : undefined;
  };
  const contractNo = await eventually(() => value('contractNo'));
  expect(contractNo).toBe(`${CASE}-HT01`);
  const row = await t.db
    .knex('cis.case_document_versions as v')
    .join('cis.case_documents as d', 'd.id', 'v.case_document_id')
    .where('v.version', 1)
    .first('v.*');
  const bytes = new Uint8Array(
    await (await fetch(`${t.url}/v2/documents/${row.store_document_id}?contentHash=${row.content_hash}`)).arrayBuffer(),
  );
  expect((await pdfText(bytes)).join('')).toContain(`合同编号 ${contractNo}`);
});
