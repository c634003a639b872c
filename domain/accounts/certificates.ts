import type { Knex } from 'knex';
import { Certificate } from '../../db/models/index.js';
import type { ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { accountsTransaction, issueCertificate, lockAccount } from './records.js';
import { ReissueInput, parse } from './schemas.js';

/** 补证: voids the valid certificate and issues a new number pointing back to it. */
export async function reissueCertificate(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ certificateNo: string; replaces: string | null }> {
  const v = parse(ReissueInput, input);
  return accountsTransaction(knex, 'reissueCertificate', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const previous = await Certificate.query(trx).findOne({ account_id: account.id, status: 'valid' });
    const certificateNo = await issueCertificate(trx, ctx, account, v.reason);
    return { certificateNo, replaces: previous?.number ?? null };
  });
}
