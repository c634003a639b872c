import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pg from 'pg';
import { createCamundaClientLoose } from '@camunda8/orchestration-cluster-api';
import type { Knex } from 'knex';
import Router from '@koa/router';
import { addQueryRoutes } from '../../engine/http/search/routes.js';
import { authzMiddleware } from '../../engine/http/authorize.js';
import { Authorizer } from '../../engine/authz/authorizer.js';
import { processDefinitionRoutes } from '../../engine/http/routes/process-definitions.js';
import type { Runtime } from '../../engine/runtime/runtime.js';

/**
 * Engine rows written directly (every optional property present somewhere), served by the query
 * routes alone, read through the official client in fanatical validation mode.
 */
export const K = {
  deployment: '2251799813685001',
  formApplication: '2251799813685010',
  formReview: '2251799813685011',
  repairV1: '2251799813685100',
  repairV2: '2251799813685101',
  reading: '2251799813685102',
  pi1: '2251799813686000',
  pi1Start: '2251799813686001',
  pi1Task: '2251799813686002',
  pi1Call: '2251799813686005',
  pi1UserTask: '2251799813686004',
  pi1Subscription: '2251799813686006',
  pi1Job: '2251799813686007',
  pi2: '2251799813687000',
  pi2Service: '2251799813687001',
  pi2Incident: '2251799813687002',
  pi2Job: '2251799813687003',
  pi3: '2251799813688000',
  pi3UserTask: '2251799813688004',
  startSubscription: '2251799813689000',
  varCustomer: '2251799813686100',
  varAmount: '2251799813686101',
  varLocalAmount: '2251799813686102',
  varComment: '2251799813686103',
  varBlob: '2251799813686104',
};

const bpmn = (id: string, startForm?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start">${startForm ? `<bpmn:extensionElements><zeebe:formDefinition formId="${startForm}" /></bpmn:extensionElements>` : ''}</bpmn:startEvent>
  </bpmn:process>
</bpmn:definitions>`;

export const BLOB = 'x'.repeat(9000);
const t = (s: string) => new Date(`2026-03-0${s}Z`);

export async function insertFixture(knex: Knex): Promise<void> {
  const e = (table: string, rows: Record<string, unknown>[]) => knex(`engine.${table}`).insert(rows);
  await e('deployment', [{ key: K.deployment, created_at: t('1T08:00:00') }]);
  const formSchema = (id: string) =>
    JSON.stringify({ id, type: 'default', components: [{ key: 'note', type: 'textfield', label: 'Note' }] });
  await e('form', [
    {
      key: K.formApplication,
      form_id: 'application-form',
      version: 1,
      resource_name: 'application.form',
      schema: formSchema('application-form'),
      checksum: 'a',
      deployment_key: K.deployment,
      created_at: t('1T08:00:00'),
    },
    {
      key: K.formReview,
      form_id: 'review-form',
      version: 1,
      resource_name: 'review.form',
      schema: formSchema('review-form'),
      checksum: 'b',
      deployment_key: K.deployment,
      created_at: t('1T08:00:00'),
    },
  ]);
  const def = (key: string, id: string, version: number, name: string | null, tag: string | null, form?: string) => ({
    key,
    bpmn_process_id: id,
    version,
    version_tag: tag,
    name,
    resource_name: `${id}.bpmn`,
    resource: bpmn(id, form),
    checksum: key,
    deployment_key: K.deployment,
    created_at: t('1T08:00:00'),
  });
  await e('process_definition', [
    def(K.repairV1, 'repair-ticket', 1, 'Repair ticket', null, 'application-form'),
    def(K.repairV2, 'repair-ticket', 2, 'Repair ticket', 'v2', 'application-form'),
    def(K.reading, 'meter-reading', 1, null, null),
  ]);
  await e('process_instance', [
    {
      key: K.pi1,
      process_definition_key: K.repairV2,
      bpmn_process_id: 'repair-ticket',
      version: 2,
      version_tag: 'v2',
      state: 'ACTIVE',
      start_date: t('2T09:00:00'),
      tags: ['vip'],
    },
    {
      key: K.pi2,
      process_definition_key: K.reading,
      bpmn_process_id: 'meter-reading',
      version: 1,
      state: 'ACTIVE',
      start_date: t('2T09:05:00'),
      parent_process_instance_key: K.pi1,
      parent_element_instance_key: K.pi1Call,
      incident_count: 1,
    },
    {
      key: K.pi3,
      process_definition_key: K.repairV1,
      bpmn_process_id: 'repair-ticket',
      version: 1,
      state: 'COMPLETED',
      start_date: t('1T10:00:00'),
      end_date: t('1T11:00:00'),
    },
  ]);
  const el = (
    key: string,
    pi: string,
    pd: string,
    id: string,
    elementId: string,
    type: string,
    state: string,
    scope: string | null,
    extra: Record<string, unknown> = {},
  ) => ({
    key,
    process_instance_key: pi,
    process_definition_key: pd,
    bpmn_process_id: id,
    element_id: elementId,
    element_name: null,
    element_type: type,
    flow_scope_key: scope,
    state,
    start_date: t('2T09:00:00'),
    ...extra,
  });
  await e('element_instance', [
    el(K.pi1, K.pi1, K.repairV2, 'repair-ticket', 'repair-ticket', 'PROCESS', 'ACTIVATED', null, {
      element_name: 'Repair ticket',
    }),
    el(K.pi1Start, K.pi1, K.repairV2, 'repair-ticket', 'start', 'START_EVENT', 'COMPLETED', K.pi1, {
      end_date: t('2T09:00:01'),
    }),
    el(K.pi1Task, K.pi1, K.repairV2, 'repair-ticket', 'review', 'USER_TASK', 'ACTIVATED', K.pi1, {
      element_name: 'Review application',
    }),
    el(K.pi1Call, K.pi1, K.repairV2, 'repair-ticket', 'read-meter', 'CALL_ACTIVITY', 'ACTIVATED', K.pi1),
    el(K.pi2, K.pi2, K.reading, 'meter-reading', 'meter-reading', 'PROCESS', 'ACTIVATED', null),
    el(K.pi2Service, K.pi2, K.reading, 'meter-reading', 'read', 'SERVICE_TASK', 'ACTIVATED', K.pi2, {
      incident_key: K.pi2Incident,
    }),
  ]);
  const v = (key: string, name: string, value: string, scope: string) => ({
    key,
    name,
    value,
    scope_key: scope,
    process_instance_key: K.pi1,
    process_definition_key: K.repairV2,
    bpmn_process_id: 'repair-ticket',
  });
  await e('variable', [
    v(K.varCustomer, 'customer', '"Zhang San"', K.pi1),
    v(K.varAmount, 'amount', '120', K.pi1),
    v(K.varLocalAmount, 'amount', '130', K.pi1Task),
    v(K.varComment, 'comment', '"urgent"', K.pi1Task),
    v(K.varBlob, 'blob', JSON.stringify(BLOB), K.pi1),
  ]);
  const job = (
    key: string,
    pi: string,
    ei: string,
    elementId: string,
    pd: string,
    id: string,
    extra: Record<string, unknown>,
  ) => ({
    key,
    type: 'meter-read',
    state: 'ACTIVATABLE',
    retries: 3,
    process_instance_key: pi,
    element_instance_key: ei,
    element_id: elementId,
    process_definition_key: pd,
    bpmn_process_id: id,
    version: 1,
    created_at: t('2T09:05:00'),
    updated_at: t('2T09:05:00'),
    ...extra,
  });
  await e('job', [
    job(K.pi2Job, K.pi2, K.pi2Service, 'read', K.reading, 'meter-reading', {
      state: 'FAILED',
      retries: 0,
      worker: 'reader-1',
      error_message: 'meter offline',
      custom_headers: { channel: 'radio' },
    }),
    job(K.pi1Job, K.pi1, K.pi1Start, 'start', K.repairV2, 'repair-ticket', {
      state: 'COMPLETED',
      worker: 'w',
      end_date: t('2T09:00:01'),
      deadline: t('2T09:10:00'),
    }),
  ]);
  await e('incident', [
    {
      key: K.pi2Incident,
      error_type: 'JOB_NO_RETRIES',
      error_message: 'meter offline',
      state: 'ACTIVE',
      process_instance_key: K.pi2,
      element_instance_key: K.pi2Service,
      element_id: 'read',
      job_key: K.pi2Job,
      process_definition_key: K.reading,
      bpmn_process_id: 'meter-reading',
      created_at: t('2T09:06:00'),
    },
  ]);
  await e('user_task', [
    {
      key: K.pi1UserTask,
      state: 'CREATED',
      element_instance_key: K.pi1Task,
      process_instance_key: K.pi1,
      process_definition_key: K.repairV2,
      bpmn_process_id: 'repair-ticket',
      version: 2,
      element_id: 'review',
      name: 'Review application',
      candidate_groups: ['clerk', 'engineer'],
      candidate_users: ['bob'],
      due_date: t('5T17:00:00'),
      follow_up_date: t('4T09:00:00'),
      priority: 60,
      form_key: K.formReview,
      custom_headers: { module: 'M8' },
      creation_date: t('2T09:00:01'),
    },
    {
      key: K.pi3UserTask,
      state: 'COMPLETED',
      element_instance_key: '2251799813688002',
      process_instance_key: K.pi3,
      process_definition_key: K.repairV1,
      bpmn_process_id: 'repair-ticket',
      version: 1,
      element_id: 'review',
      assignee: 'alice',
      external_form_reference: 'https://forms.example/review',
      creation_date: t('1T10:00:01'),
      completion_date: t('1T10:30:00'),
    },
  ]);
  const sub = (
    key: string,
    pi: string | null,
    ei: string | null,
    elementId: string,
    extra: Record<string, unknown> = {},
  ) => ({
    key,
    state: 'CREATED',
    message_name: 'payment-received',
    correlation_key: 'ACC-1',
    element_id: elementId,
    element_instance_key: ei,
    process_instance_key: pi,
    process_definition_key: K.repairV2,
    bpmn_process_id: 'repair-ticket',
    created_at: t('2T09:00:01'),
    updated_at: t('2T09:00:01'),
    ...extra,
  });
  await e('message_subscription', [
    sub(K.pi1Subscription, K.pi1, K.pi1Task, 'paid'),
    sub(K.startSubscription, null, null, 'start', { correlation_key: null }),
  ]);
  const rec = (position: number, intent: string, elementId: string) => ({
    position,
    key: K.pi1,
    value_type: 'PROCESS_INSTANCE',
    intent,
    process_instance_key: K.pi1,
    element_id: elementId,
    process_definition_key: K.repairV2,
    bpmn_process_id: 'repair-ticket',
    timestamp: t('2T09:00:01'),
  });
  await e('record', [
    rec(1, 'SEQUENCE_FLOW_TAKEN', 'flow-to-review'),
    rec(2, 'SEQUENCE_FLOW_TAKEN', 'flow-to-call'),
    rec(3, 'SEQUENCE_FLOW_TAKEN', 'flow-to-review'),
  ]);
}

/** The query routes alone on a Koa server, with a pool on the given database. */
export async function serveQueries(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const app = new Koa();
  const router = new Router({ prefix: '/v2' });
  // No principal: an engine without authentication, where every read is allowed.
  router.use(authzMiddleware(new Authorizer(pool), pool as never));
  addQueryRoutes(router, pool);
  // The XML endpoint belongs to the engine core's routes; it only needs the pool.
  processDefinitionRoutes(router, { store: { pool } } as unknown as Runtime, { auth: 'none' });
  app.use(router.routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createCamundaClientLoose({
    config: {
      CAMUNDA_REST_ADDRESS: base,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
  return {
    base,
    client,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
