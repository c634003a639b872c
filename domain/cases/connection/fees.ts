import type { Knex } from 'knex';
import type { CaseFee, CaseFeePayment, CaseFees } from '../../../contracts/case-fees.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, conflict, invalid } from '../errors.js';
import { findCase } from '../records.js';

type Db = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

export type { CaseFee, CaseFeePayment, CaseFees };

const feeOf = (r: Row): CaseFee => ({
  item: r.item as CaseFee['item'],
  amountFen: Number(r.amount_fen),
  state: r.state as CaseFee['state'],
  basis: r.basis as string,
  paymentId: r.payment_id == null ? null : Number(r.payment_id),
});

/** The fees of a case and what was paid, as the counter shows them. */
export async function caseFees(db: Db, caseNo: string): Promise<CaseFees> {
  const c = await findCase(db as Knex, caseNo);
  const fees = (await db('cis.case_fees').where({ case_id: c.id }).orderBy('id')).map(feeOf);
  const payments = (
    await db('cis.case_fee_payments')
      .where({ case_id: c.id })
      .orderBy('id')
      .select('*', db.raw(`to_char(business_day, 'YYYY-MM-DD') AS day`))
  ).map((p: Row) => ({
    paymentId: Number(p.id),
    serial: p.serial as string,
    method: p.method as string,
    amountFen: Number(p.amount_fen),
    cashier: p.cashier as string,
    businessDay: p.day as string,
    paidAt: new Date(p.paid_at as string).toISOString(),
  }));
  const outstandingFen = fees.filter((f) => f.state === 'due').reduce((s, f) => s + f.amountFen, 0);
  return { caseNo: c.case_no as string, fees, payments, outstandingFen };
}

/**
 * 业务收费: the connection fee (接水费) from the price list by the requested meter size, in force today, and the
 * works fee (工程费) — the approved design's budget, which the applicant pays (the utility builds at the
 * applicant's cost). Assessing again (a job delivered twice, a second approval) updates what is still due and
 * never touches what was paid.
 */
export async function assessFees(knex: Knex, caseNo: string, ctxIn: ChangeContext): Promise<CaseFees> {
  return inTransaction(knex, 'cases.connection.assessFees', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.status !== 'open') throw conflict('case_closed', `case ${c.case_no} is ${c.status}`);
    const caliber = Number((c.details as Row)?.caliberMm);
    if (!Number.isInteger(caliber) || caliber <= 0) throw invalid('caliberMm', 'the requested meter size is missing');
    const price = await trx('cis.connection_fee_prices')
      .where({ caliber_mm: caliber })
      .where('effective_from', '<=', trx.raw('(now() AT TIME ZONE (SELECT time_zone FROM cis.payment_settings))::date'))
      .orderBy('effective_from', 'desc')
      .first('amount_fen', trx.raw(`to_char(effective_from, 'YYYY-MM-DD') AS since`));
    if (!price) throw invalid('caliberMm', `the price list has no connection fee for DN${caliber}`);
    const design = await trx('cis.case_connection_designs')
      .where({ case_id: c.id })
      .orderBy('version', 'desc')
      .first('budget_fen', 'version');
    if (!design) throw conflict('no_design', `case ${c.case_no} has no design yet`);
    const wanted = [
      {
        item: 'connection_fee',
        amount_fen: Number(price.amount_fen),
        basis: `DN${caliber}（${price.since} 起价目表）`,
      },
      { item: 'works_fee', amount_fen: Number(design.budget_fen), basis: `设计第 ${design.version} 版预算` },
    ];
    const audits = [];
    for (const w of wanted) {
      const had = await trx('cis.case_fees').where({ case_id: c.id, item: w.item }).forUpdate().first();
      if (had?.state === 'paid') continue;
      if (had && Number(had.amount_fen) === w.amount_fen && had.basis === w.basis) continue;
      if (had) await trx('cis.case_fees').where({ id: had.id }).update({ amount_fen: w.amount_fen, basis: w.basis });
      else await trx('cis.case_fees').insert({ case_id: c.id, ...w });
      audits.push({
        action: 'case_fee_assessed',
        entity: 'case',
        entityId: c.case_no as string,
        before: had ? { item: had.item, amountFen: Number(had.amount_fen) } : undefined,
        after: { item: w.item, amountFen: w.amount_fen, basis: w.basis },
      });
    }
    if (audits.length) await writeAudit(trx, ctx, audits);
    return caseFees(trx, caseNo);
  });
}
