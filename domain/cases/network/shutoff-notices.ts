import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { CUSTOMER_MOBILE } from '../../billing/posting.js';
import { inTransaction } from '../../transaction.js';
import { CasesError, casesRefusals } from '../errors.js';
import { findCase } from '../records.js';
import { NoticeInput, parse } from './schemas.js';

/**
 * 停水/恢复通知: one notification per affected account (SMS to the customer's first mobile number, else a letter),
 * pending in the outbox the SMS/WeChat adapters send from. The shut-off notice carries the window; the restoration
 * notice the time water came back. Unique per case, account and kind: a repeated step adds nothing.
 */
export async function noticeAffected(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ kind: string; noticed: number }> {
  const v = parse(NoticeInput, input);
  return inTransaction(knex, 'cases.shutoffNotices', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    const d = (c.details ?? {}) as Record<string, unknown>;
    if (c.case_type !== 'water-shutoff-approval' || !d.startAt || !d.endAt)
      throw new CasesError(409, 'no_area', `case ${c.case_no} has no shut-off area selected`, 'caseNo');
    const restoredAt = v.restoredAt ?? new Date().toISOString();
    const [start, end] = v.kind === 'water_shutoff' ? [d.startAt, d.endAt] : [d.startAt, restoredAt];
    const { rows } = await trx.raw(
      `INSERT INTO cis.notifications (account_id, case_id, kind, channel, recipient, window_start, window_end, payload)
       SELECT a.id, :caseId, :kind, CASE WHEN ph.phone IS NULL THEN 'letter' ELSE 'sms' END, ph.phone,
              :start, :end,
              jsonb_build_object('caseNo', CAST(:caseNo AS text), 'accountNo', a.account_no, 'shutoffKind', CAST(:shutoffKind AS text),
                                 'startAt', CAST(:start AS text), 'endAt', CAST(:end AS text), 'reason', CAST(:reason AS text))
       FROM cis.shutoff_affected_accounts x
       JOIN cis.accounts a ON a.id = x.account_id
       ${CUSTOMER_MOBILE}
       WHERE x.case_id = :caseId
       ON CONFLICT (case_id, account_id, kind) WHERE case_id IS NOT NULL DO NOTHING
       RETURNING account_id`,
      {
        caseId: c.id,
        caseNo: c.case_no,
        kind: v.kind,
        shutoffKind: String(d.kind ?? ''),
        start: String(start),
        end: String(end),
        reason: String(d.reason ?? ''),
      },
    );
    await writeAudit(trx, ctx, [
      {
        action: v.kind === 'water_shutoff' ? 'shutoff_noticed' : 'restoration_noticed',
        entity: 'case',
        entityId: c.case_no as string,
        after: { kind: v.kind, windowStart: start, windowEnd: end, noticed: rows.length },
      },
    ]);
    return { kind: v.kind, noticed: rows.length };
  });
}
