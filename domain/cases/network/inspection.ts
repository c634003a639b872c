import type { Knex } from 'knex';
import { normalisePhone } from '../../accounts/phone.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { CasesError, casesRefusals, conflict, invalid } from '../errors.js';
import { findCase } from '../records.js';
import { InspectionInput, PenaltyRate, parse } from './schemas.js';

type Row = Record<string, unknown>;

export interface InspectionRecord {
  finding: InspectionInput['finding'];
  accountNo: string | null;
  penaltyFen: number;
  repairNeeded: boolean;
  classChange: boolean;
  currentClass: string | null;
  newClass: string | null;
  contactName: string;
  contactPhone: string | null;
}

export async function inspectionCase(db: Knex, caseNo: string, lock = false): Promise<Row> {
  const c = await findCase(db, caseNo, lock);
  if (c.case_type !== 'water-use-inspection')
    throw new CasesError(409, 'wrong_case_type', `case ${c.case_no} is not a water-use inspection`, 'caseNo');
  return c;
}

/** fen = litres × fen per m³ / 1000, half-up (integers throughout: at most 10⁷ m³ × 10⁶ fen stays exact). */
export const penaltyFen = (litres: number, fenPerM3: number) => Math.floor((litres * fenPerM3 + 500) / 1000);

/**
 * 监察结果: the finding, kept for the case, and what follows from it — a penalty (illegal connection, tampering)
 * at the model's rate per m³ of the estimated unbilled volume; a repair ticket (tampering, or when the inspector
 * asks for one), which needs a phone to reach the customer; a class change (wrong class, to a different class).
 * The case takes the account, so it shows among the account's cases. Recording again replaces the finding.
 */
export async function recordInspection(
  knex: Knex,
  caseNo: string,
  input: unknown,
  rate: unknown,
  ctxIn: ChangeContext,
): Promise<InspectionRecord> {
  const v = parse(InspectionInput, input);
  const fenPerM3 = parse(PenaltyRate, rate, 'penaltyFenPerM3');
  return inTransaction(knex, 'cases.recordInspection', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await inspectionCase(trx, caseNo, true);
    let account: Row | undefined;
    if (v.accountNo) {
      account = await trx('cis.accounts as a')
        .join('cis.customers as cu', 'cu.id', 'a.customer_id')
        .where('a.account_no', v.accountNo.toUpperCase())
        .first('a.*', 'cu.name as customer_name');
      if (!account) throw invalid('accountNo', `account ${v.accountNo} does not exist`);
      if (account.status === 'closed' && v.finding !== 'none')
        throw conflict('account_closed', `account ${account.account_no} is closed`, 'accountNo');
    }
    const penalty = v.finding === 'illegal_connection' || v.finding === 'meter_tampering';
    const fen = penalty ? penaltyFen(v.estimatedVolume, fenPerM3) : 0;
    const repairNeeded = v.finding === 'meter_tampering' || (v.repairNeeded && v.finding !== 'none');
    const classChange = v.finding === 'wrong_class' && v.newClass !== account?.customer_class;
    let phone: string | null = null;
    if (repairNeeded) {
      const first = await trx('cis.customer_phones').where({ customer_id: account!.customer_id }).orderBy('id').first();
      phone = (v.contactPhone ? normalisePhone(v.contactPhone) : undefined) ?? first?.phone ?? null;
      if (!phone) throw invalid('contactPhone', 'a phone number to reach the customer is required for a repair');
    }
    const row = {
      case_id: c.id,
      account_id: account?.id ?? null,
      finding: v.finding,
      note: v.note,
      estimated_volume: (v.estimatedVolume / 1000).toFixed(3),
      penalty_fen: fen,
      class_before: classChange ? account!.customer_class : null,
      class_after: classChange ? v.newClass : null,
      inspected_by: ctx.actor,
      recorded_at: trx.fn.now(),
    };
    const before = await trx('cis.case_inspections').where({ case_id: c.id }).first();
    if (before?.penalty_entry_id || before?.repair_ticket_id || before?.class_changed_at)
      throw conflict('inspection_acted_on', `case ${c.case_no}'s finding has already been acted on`, 'finding');
    await trx('cis.case_inspections').insert(row).onConflict('case_id').merge();
    if (account && !c.account_id) await trx('cis.cases').where({ id: c.id }).update({ account_id: account.id });
    await writeAudit(trx, ctx, [
      {
        action: 'inspection_recorded',
        entity: 'case',
        entityId: c.case_no as string,
        accountId: (account?.id as string) ?? null,
        before: before ?? null,
        after: { ...row, recorded_at: undefined, rateFenPerM3: fenPerM3 },
      },
    ]);
    return {
      finding: v.finding,
      accountNo: (account?.account_no as string) ?? null,
      penaltyFen: fen,
      repairNeeded,
      classChange,
      currentClass: (account?.customer_class as string) ?? null,
      newClass: classChange ? v.newClass! : null,
      contactName: (account?.customer_name as string) ?? '',
      contactPhone: phone,
    };
  });
}
