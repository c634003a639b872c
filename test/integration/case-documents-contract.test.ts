import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine, FilesystemDocumentStore } from '../../engine/index.js';
import casePrepareContract from '../../workers/case-prepare-contract.js';
import type { WorkerContext } from '../../workers/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { pdfText } from '../support/pdf-text.js';
import { eventually } from '../support/records.js';
import { testWorkerClient } from '../support/workers.js';
import { insertCase } from './case-documents-fixtures.js';

/**
 * case-prepare-contract: the supply contract rendered from the case and kept as the case's `contract` document in
 * the engine's document store — a new version each time the step runs, one effect per job however often the job
 * is delivered.
 */
const CASE = 'YW-20261207-0042';
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.test">
  <bpmn:process id="contract-step" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="prepare-contract" name="生成供水合同"><bpmn:extensionElements><zeebe:taskDefinition type="case-prepare-contract" retries="1" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:userTask id="sign-contract" name="签订供水合同"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare-contract" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare-contract" targetRef="sign-contract" />
    <bpmn:sequenceFlow id="f3" sourceRef="sign-contract" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

let t: TestEngine;
let dir: string;
let worker: { stop(): void };
let ctx: WorkerContext;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-case-contract-'));
  t = await startTestEngine({
    createEngine: (o) =>
      createEngine({ ...o, documents: { store: new FilesystemDocumentStore(dir), maxBytes: 10 * 1024 * 1024 } }),
  });
  await insertCase(t.db.knex, CASE, '王小明');
  // the case's own process (as attachProcess records it): the store's record links the contract to it
  await t.db.knex('cis.cases').where({ case_no: CASE }).update({ process_instance_key: '2251799813699999' });
  await t.client.createDeployment({
    resources: [new File([MODEL], 'contract-step.bpmn', { type: 'application/xml' })],
  });
  const { workerClient } = testWorkerClient(t);
  // The worker takes jobs with the strict client; its documents go through a client as production's (8.8.4's
  // request schema types an upload's file as a string, so strict request validation refuses every real File).
  const engine = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'req:none,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
  ctx = { knex: t.db.knex, logger: pino({ level: 'silent' }), engine } as WorkerContext;
  worker = workerClient.createJobWorker({ workerName: 'test', ...casePrepareContract(ctx) });
}, 120000);
afterAll(async () => {
  worker?.stop();
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const versions = () =>
  t.db
    .knex('cis.case_document_versions as v')
    .join('cis.case_documents as d', 'd.id', 'v.case_document_id')
    .orderBy('v.version')
    .select('d.kind', 'd.title', 'v.*');
const contentOf = async (documentId: string, hash: string) =>
  new Uint8Array(await (await fetch(`${t.url}/v2/documents/${documentId}?contentHash=${hash}`)).arrayBuffer());

test('the step renders the contract with the case number and the applicant, keeps it as version 1, answers its ids', async () => {
  const { processInstanceKey } = await t.client.createProcessInstance({
    processDefinitionId: 'contract-step' as never,
    variables: { caseNo: CASE },
  });
  const pi = String(processInstanceKey);
  const vars = await eventually(async () => {
    const found = await t.client.searchVariables(
      { filter: { processInstanceKey: pi as never, name: 'contractDocumentId' } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    return found.items.length ? found : undefined;
  });
  const [row] = await versions();
  expect(JSON.parse(vars.items[0].value as string)).toBe(row.store_document_id);
  expect(row).toMatchObject({
    kind: 'contract',
    title: '供用水合同',
    version: 1,
    content_type: 'application/pdf',
    step: 'prepare-contract',
    uploaded_by: 'worker:case-prepare-contract',
    file_name: `${CASE}-供用水合同-第1版.pdf`,
  });
  const stored = await t.db.knex('engine.document').where({ document_id: row.store_document_id }).first();
  expect(stored).toMatchObject({
    process_instance_key: '2251799813699999',
    content_type: 'application/pdf',
    custom_properties: { caseNo: CASE, kind: 'contract' },
  });
  const text = (await pdfText(await contentOf(row.store_document_id, row.content_hash))).join('');
  expect(text).toContain(CASE);
  expect(text).toContain('王小明');
  expect(text).toContain('示范自来水公司');
  expect(text).toContain('110101********0011'); // the ID number masked on paper
  expect(text).not.toContain('110101199003070011');
});

test('a job delivered twice adds one version; the step run again adds the next, every old version stays', async () => {
  const completed: unknown[] = [];
  const job = (jobKey: string) =>
    ({
      jobKey,
      processInstanceKey: '2251799813685249',
      elementId: 'prepare-contract',
      variables: { caseNo: CASE.toLowerCase() },
      customHeaders: {},
      complete: async (v: unknown) => {
        completed.push(v);
        return 'JOB_ACTION_RECEIPT';
      },
      error: async (e: unknown) => {
        throw new Error(`unexpected BPMN error ${JSON.stringify(e)}`);
      },
    }) as never;
  const handler = casePrepareContract(ctx).jobHandler;
  const before = Number((await t.db.knex('engine.document').count('* as n').first())!.n);
  await handler(job('9000000000000001'));
  await handler(job('9000000000000001'));
  expect(completed[0]).toEqual(completed[1]);
  expect(completed[0]).toMatchObject({ contractVersion: 2 });
  expect(Number((await t.db.knex('engine.document').count('* as n').first())!.n)).toBe(before + 1);

  await handler(job('9000000000000002'));
  expect(completed[2]).toMatchObject({ contractVersion: 3 });
  const rows = await versions();
  expect(rows.map((r) => [r.version, r.file_name])).toEqual([
    [1, `${CASE}-供用水合同-第1版.pdf`],
    [2, `${CASE}-供用水合同-第2版.pdf`],
    [3, `${CASE}-供用水合同-第3版.pdf`],
  ]);
  expect(new Set(rows.map((r) => r.case_document_id)).size).toBe(1);
  const latest = rows[2];
  expect((await pdfText(await contentOf(latest.store_document_id, latest.content_hash))).join('')).toContain('第 3 版');
});

test('an unknown case is a BPMN error the model can catch, nothing stored', async () => {
  const errors: Array<Record<string, unknown>> = [];
  const before = Number((await t.db.knex('engine.document').count('* as n').first())!.n);
  await casePrepareContract(ctx).jobHandler({
    jobKey: '9000000000000003',
    processInstanceKey: '2251799813685249',
    elementId: 'prepare-contract',
    variables: { caseNo: 'YW-20990101-0001' },
    customHeaders: {},
    complete: async () => {
      throw new Error('unexpected completion');
    },
    error: async (e: Record<string, unknown>) => {
      errors.push(e);
      return 'JOB_ACTION_RECEIPT';
    },
  } as never);
  expect(errors).toEqual([expect.objectContaining({ errorCode: 'not_found' })]);
  expect(Number((await t.db.knex('engine.document').count('* as n').first())!.n)).toBe(before);
});
