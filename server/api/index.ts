import type Router from '@koa/router';
import type { Knex } from 'knex';
import type { EngineApi } from '../camunda/engine-api.js';
import { adminRouter } from './admin.js';
import { billingRouter } from './billing.js';
import { businessCasesRouter } from './business-cases.js';
import { caseDocumentsRouter, type CaseDocumentsRouterOptions } from './case-documents.js';
import { caseRecordRouter } from './case-record.js';
import { caseFeesRouter } from './case-fees.js';
import { caseDeskRouter } from './case-desk.js';
import { publicCasesRouter } from './public-cases.js';
import { casesRouter } from './cases.js';
import { customersRouter } from './customers.js';
import { decisionsRouter } from './decisions.js';
import { instancesRouter } from './instances.js';
import { meteringRouter } from './metering.js';
import { paymentsRouter } from './payments.js';
import { processesRouter } from './processes.js';
import { receiptsRouter } from './receipts.js';
import { receiptVerifyRouter } from '../receipts/verify-page.js';
import { einvoiceProvider } from '../../documents/einvoice/utility.js';
import { repairRouter } from './repair.js';
import { repairFieldRouter } from './repair-field.js';
import { repairDispatchRouter } from './repair-dispatch.js';
import { tasksRouter } from './tasks.js';

export type { EngineApi } from '../camunda/engine-api.js';

/**
 * The /api routers of the domain modules, mounted by app.ts after the session is loaded (so `ctx.state.user`
 * is set) and before the engine and the web app. Add a module's router here. `dataDir` holds files the
 * routers write (e-invoices); `documents` the cases' upload limit and virus scanner (from the configuration).
 */
export function apiRouters(
  knex: Knex,
  engine?: EngineApi,
  dataDir = './data',
  documents: CaseDocumentsRouterOptions = {},
): Router[] {
  // one e-invoice provider for the counter's receipts and its reversals
  const einvoices = einvoiceProvider(knex, dataDir);
  return [
    customersRouter(knex, engine?.clients),
    meteringRouter(knex, engine?.clients),
    billingRouter(knex, engine?.clients),
    paymentsRouter(knex, engine?.clients, einvoices),
    receiptsRouter(knex, engine?.clients, einvoices),
    receiptVerifyRouter(knex),
    repairRouter(knex, engine),
    repairFieldRouter(knex, engine),
    caseRecordRouter(knex, engine?.clients), // before businessCasesRouter: its /:caseNo would take /statistics
    businessCasesRouter(knex, engine?.clients),
    caseFeesRouter(knex, engine?.clients),
    caseDeskRouter(knex, engine?.clients),
    publicCasesRouter(knex, engine?.clients),
    ...(engine
      ? [
          tasksRouter(engine.clients),
          processesRouter(engine.clients),
          decisionsRouter(engine.clients),
          instancesRouter(engine.clients, engine.timeline),
          casesRouter(knex, engine.clients),
          caseDocumentsRouter(knex, engine, documents),
          repairDispatchRouter(knex, engine),
          adminRouter(knex, engine.clients),
        ]
      : []),
  ];
}
