import type { Knex } from 'knex';
import type { ChangeContext } from '../../audit/audit.js';
import { chargePenalty, changeClass, raiseRepair } from './inspection-actions.js';
import { recordInspection } from './inspection.js';
import { chargeRelocation, relocateAccount } from './relocation.js';
import { noticeAffected } from './shutoff-notices.js';
import { checkedArea, selectAffected } from './shutoff-area.js';

export type { ChangeContext } from '../../audit/audit.js';
export { CasesError } from '../errors.js';

/**
 * Cases on the existing network (M7): relocation (搬迁), water shut-off (停水) and water-use inspection (用水监察).
 * Each operation is one transaction with its audit rows, or one call of another module's (the ledger's charge, the
 * repair ticket) whose refusal is the cases' refusal; workers pass the job key, so a repeated job acts once.
 */
export class NetworkCasesService {
  constructor(private readonly knex: Knex) {}

  chargeRelocation = (caseNo: string, input: unknown, ctx: ChangeContext) =>
    chargeRelocation(this.knex, caseNo, input, ctx);
  relocateAccount = (caseNo: string, premise: unknown, ctx: ChangeContext) =>
    relocateAccount(this.knex, caseNo, premise, ctx);

  /** The shut-off area checked against the network, read-only: for the intake to refuse a bad one (422) up front. */
  checkShutoffArea = (details: unknown, now?: Date) => checkedArea(this.knex, details, now);
  /** `now`: the clock the planned notice period is counted from (the area step passes the engine's). */
  selectAffected = (caseNo: string, area: unknown, ctx: ChangeContext, now?: Date) =>
    selectAffected(this.knex, caseNo, area, ctx, now);
  noticeAffected = (caseNo: string, input: unknown, ctx: ChangeContext) =>
    noticeAffected(this.knex, caseNo, input, ctx);

  recordInspection = (caseNo: string, input: unknown, rateFenPerM3: unknown, ctx: ChangeContext) =>
    recordInspection(this.knex, caseNo, input, rateFenPerM3, ctx);
  chargePenalty = (caseNo: string, ctx: ChangeContext) => chargePenalty(this.knex, caseNo, ctx);
  raiseRepair = (caseNo: string, contact: { name: string; phone: string }, ctx: ChangeContext) =>
    raiseRepair(this.knex, caseNo, contact, ctx);
  changeClass = (caseNo: string, ctx: ChangeContext) => changeClass(this.knex, caseNo, ctx);
}
