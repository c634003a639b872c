import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { openCase } from './open.js';
import { attachProcess, closeCase, findCase, recordDetails } from './records.js';
import { caseView, listCases, processVariables, publicCase } from './views.js';

export type { ChangeContext } from '../audit/audit.js';
export { CasesError } from './errors.js';

/**
 * Business-development cases (M7): the case row every case type shares (number, applicant, premises, outcome).
 * The flow of a case is its process (processes/cases); the steps' own records live beside it in this folder.
 */
export class CasesService {
  constructor(private readonly knex: Knex) {}

  openCase = (input: unknown, ctx: ChangeContext) => openCase(this.knex, input, ctx);
  attachProcess = (caseNo: string, pik: string, ctx: ChangeContext) => attachProcess(this.knex, caseNo, pik, ctx);
  closeCase = (caseNo: string, input: unknown, ctx: ChangeContext) => closeCase(this.knex, caseNo, input, ctx);
  recordDetails = (caseNo: string, details: Record<string, unknown>, ctx: ChangeContext) =>
    recordDetails(this.knex, caseNo, details, ctx);

  find = (caseNo: string) => findCase(this.knex, caseNo);
  view = (caseNo: string) => caseView(this.knex, caseNo);
  list = (filter: unknown) => listCases(this.knex, filter);
  publicStatus = (token: string) => publicCase(this.knex, token);
  processVariables = (caseNo: string) => processVariables(this.knex, caseNo);
}
