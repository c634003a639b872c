import type { Knex } from 'knex';
import type { ChangeContext } from '../../audit/audit.js';
import { recordDesign } from './design.js';
import { assessFees, caseFees } from './fees.js';
import { payFees } from './pay.js';
import { linkAccount, recordStep } from './steps.js';

export type { CaseFee, CaseFeePayment, CaseFees } from './fees.js';
export type { FeePaymentResult } from './pay.js';

/**
 * New connections (新装, M7): the records of the steps of a `new-connection` case beside the case row — the design
 * versions with their budget, the fees and their payments at the counter, what the other steps established, and
 * the account the case opened. The flow itself is processes/cases/new-connection.bpmn.
 */
export class ConnectionService {
  constructor(private readonly knex: Knex) {}

  recordDesign = (caseNo: string, input: unknown, ctx: ChangeContext) => recordDesign(this.knex, caseNo, input, ctx);
  recordStep = (caseNo: string, input: unknown, ctx: ChangeContext) => recordStep(this.knex, caseNo, input, ctx);
  assessFees = (caseNo: string, ctx: ChangeContext) => assessFees(this.knex, caseNo, ctx);
  payFees = (caseNo: string, input: unknown, ctx: ChangeContext) => payFees(this.knex, caseNo, input, ctx);
  linkAccount = (caseNo: string, accountNo: string, ctx: ChangeContext) =>
    linkAccount(this.knex, caseNo, accountNo, ctx);
  fees = (caseNo: string) => caseFees(this.knex, caseNo);
}
