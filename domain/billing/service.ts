import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { billsOfAccount, getBill, reverseBill } from './bills.js';
import { accrueLateFees } from './late-fees.js';
import { previewRebill, rebill } from './rebill.js';
import { computeRun } from './run-compute.js';
import { finishRun, postRun } from './run-post.js';
import { abandonRun, createRun, getRun, listRuns, openRunForInstance, setRunInstance } from './runs.js';
import { createTariff, endTariff, getTariff, listTariffs } from './tariffs.js';

export type { ChangeContext } from '../audit/audit.js';
export { BillingError } from './errors.js';
export type { BillView } from './bills.js';
export type { ReviewItem } from './run-compute.js';
export type { TariffView } from './tariffs.js';

/**
 * Tariffs and billing (M2/M3): versioned tariffs, bill runs (open, compute, post, notify), bills and their
 * corrections, the day's late fees. One file per operation beside this one; the API and the job workers call
 * billing through this facade. Refusals are BillingError (404/409/422 naming the field).
 */
export class BillingService {
  constructor(private readonly knex: Knex) {}

  listTariffs = (customerClass?: string) => listTariffs(this.knex, customerClass);
  getTariff = (id: number | string) => getTariff(this.knex, id);
  createTariff = (input: unknown, ctx: ChangeContext) => createTariff(this.knex, input, ctx);
  endTariff = (id: number, effectiveTo: string, ctx: ChangeContext) => endTariff(this.knex, id, effectiveTo, ctx);

  listRuns = (limit?: number) => listRuns(this.knex, limit);
  getRun = (runId: number) => getRun(this.knex, runId);
  createRun = (input: unknown, ctx: ChangeContext) => createRun(this.knex, input, ctx);
  setRunInstance = (runId: number, processInstanceKey: string) => setRunInstance(this.knex, runId, processInstanceKey);
  abandonRun = (runId: number) => abandonRun(this.knex, runId);
  openRunForInstance = (period: unknown, ctx: ChangeContext) => openRunForInstance(this.knex, period, ctx);
  computeRun = (runId: number, opts?: Parameters<typeof computeRun>[2]) => computeRun(this.knex, runId, opts);
  postRun = (runId: number, decisions: unknown[], asOf: string, ctx: ChangeContext) =>
    postRun(this.knex, runId, decisions, asOf, ctx);
  finishRun = (runId: number) => finishRun(this.knex, runId);

  getBill = (id: number) => getBill(this.knex, id);
  billsOfAccount = (accountNo: string) => billsOfAccount(this.knex, accountNo);
  reverseBill = (id: number, input: unknown, ctx: ChangeContext) => reverseBill(this.knex, id, input, ctx);
  rebill = (id: number, input: unknown, asOf: string, ctx: ChangeContext) => rebill(this.knex, id, input, asOf, ctx);
  previewRebill = (id: number, input: unknown, asOf: string, ctx: ChangeContext) =>
    previewRebill(this.knex, id, input, asOf, ctx);

  accrueLateFees = (asOf: unknown, ctx?: ChangeContext) => accrueLateFees(this.knex, asOf, ctx);
}
