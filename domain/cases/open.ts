import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { OpenedCase } from '../../contracts/cases.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { CasesError, casesRefusals, conflict, invalid } from './errors.js';
import { checkedArea } from './network/shutoff-area.js';
import { OpenCaseInput, parse } from './schemas.js';

type Row = Record<string, unknown>;

/** YW-YYYYMMDD-NNNN (业务): the day in China time, then the day's running number. */
async function nextCaseNo(trx: Knex.Transaction): Promise<string> {
  const { rows } = await trx.raw(`
    INSERT INTO cis.case_counters AS c (day, last)
    VALUES ((now() AT TIME ZONE 'Asia/Shanghai')::date, 1)
    ON CONFLICT (day) DO UPDATE SET last = c.last + 1
    RETURNING to_char(day, 'YYYYMMDD') AS day, last`);
  return `YW-${rows[0].day}-${String(rows[0].last).padStart(4, '0')}`;
}

async function accountOf(trx: Knex.Transaction, accountNo: string): Promise<Row> {
  const { rows } = await trx.raw(
    `SELECT a.id, a.account_no, a.status, a.customer_id, a.premise_id, a.book_id, c.name AS customer_name,
            p.district, p.street, p.community, p.building, p.unit, p.room
     FROM cis.accounts a JOIN cis.customers c ON c.id = a.customer_id JOIN cis.premises p ON p.id = a.premise_id
     WHERE a.account_no = ?`,
    [accountNo.toUpperCase()],
  );
  if (!rows[0]) throw invalid('accountNo', `account ${accountNo} does not exist`);
  if (rows[0].status === 'closed') throw conflict('account_closed', `account ${accountNo} is closed`, 'accountNo');
  return rows[0];
}

/** The book whose area holds the street: no book, nobody would read the meter, so the intake is refused. */
async function bookOf(trx: Knex.Transaction, district: string, street: string): Promise<Row> {
  const book = await trx('cis.meter_book_areas as a')
    .join('cis.meter_books as b', 'b.id', 'a.book_id')
    .where({ 'a.district': district, 'a.street': street })
    .first('b.id', 'b.code');
  if (!book)
    throw new CasesError(
      422,
      'address_outside_books',
      `premise.street: ${district}${street} lies in no meter book's area`,
      'premise.street',
    );
  return book;
}

/** A 409 on the premises naming what holds them (the account, the open case) as data for the desk's own words. */
const premiseTaken = (code: string, message: string, params: Record<string, string>) =>
  new CasesError(409, code, message, 'premise', params);

/** A new connection where water already flows, or where another application is open, is refused. */
async function guardConnection(trx: Knex.Transaction, p: Row): Promise<void> {
  const parts = ['district', 'street', 'community', 'building', 'unit', 'room'] as const;
  const where = Object.fromEntries(parts.map((k) => [`p.${k}`, p[k] ?? '']));
  const connected = await trx('cis.accounts as a')
    .join('cis.premises as p', 'p.id', 'a.premise_id')
    .where(where)
    .whereNot('a.status', 'closed')
    .first('a.account_no');
  if (connected)
    throw premiseTaken('premise_connected', `the premises already have account ${connected.account_no}`, {
      accountNo: connected.account_no,
    });
  const open = await trx('cis.cases')
    .where({ case_type: 'new-connection', status: 'open' })
    .where(Object.fromEntries(parts.map((k) => [k, p[k] ?? ''])))
    .first('case_no');
  if (open)
    throw premiseTaken('case_open', `new-connection case ${open.case_no} is open for these premises`, {
      caseNo: open.case_no,
    });
}

/** 受理: the case row with its number and its status-page key; the caller starts the case's process. */
export async function openCase(knex: Knex, input: unknown, ctxIn: ChangeContext): Promise<OpenedCase> {
  const v = parse(OpenCaseInput, input);
  return inTransaction(knex, 'cases.openCase', ctxIn, casesRefusals, async (trx, ctx) => {
    const account = v.accountNo ? await accountOf(trx, v.accountNo) : undefined;
    if (v.customerId && !(await trx('cis.customers').where({ id: v.customerId }).first('id')))
      throw invalid('customerId', `customer ${v.customerId} does not exist`);
    const premise: Row = v.premise ?? account ?? {};
    let book: Row | undefined;
    if (v.caseType === 'new-connection') {
      book = await bookOf(trx, v.premise!.district, v.premise!.street);
      await guardConnection(trx, premise);
    } else if (v.caseType === 'relocation' && v.premise) {
      book = await bookOf(trx, v.premise.district, v.premise.street);
    } else if (v.caseType === 'water-shutoff-approval') {
      // an unknown book or street, or a window ending before it starts, is refused before the case exists
      await checkedArea(trx, v.details).catch((err) => {
        if (!(err instanceof CasesError) || !err.field) throw err;
        throw new CasesError(err.status, err.code, `details.${err.message}`, `details.${err.field}`);
      });
    }
    const applicantName = v.applicantName || (account?.customer_name as string | undefined) || '';
    if (!applicantName) throw invalid('applicantName', 'is required');
    const caseNo = await nextCaseNo(trx);
    const row = {
      case_no: caseNo,
      case_type: v.caseType,
      customer_id: v.customerId ?? account?.customer_id ?? null,
      account_id: account?.id ?? null,
      premise_id: v.premise ? null : (account?.premise_id ?? null),
      book_id: book?.id ?? account?.book_id ?? null,
      district: premise.district ?? '',
      street: premise.street ?? '',
      community: premise.community ?? '',
      building: premise.building ?? '',
      unit: premise.unit ?? '',
      room: premise.room ?? '',
      applicant_name: applicantName,
      applicant_phone: v.applicantPhone,
      details: JSON.stringify(v.details),
      public_token: randomBytes(12).toString('base64url'),
      created_by: ctx.actor,
    };
    try {
      await trx('cis.cases').insert(row);
    } catch (err) {
      // two clerks taking the same premises at once: the unique index decides, the loser hears why
      if ((err as { code?: string }).code === '23505')
        throw conflict('case_open', 'a new-connection case is open for these premises', 'premise');
      throw err;
    }
    await writeAudit(trx, ctx, [
      {
        action: 'case_opened',
        entity: 'case',
        entityId: caseNo,
        accountId: (account?.id as string) ?? null,
        after: row,
      },
    ]);
    return {
      caseNo,
      caseType: v.caseType,
      publicToken: row.public_token,
      bookCode: (book?.code as string) ?? null,
      accountNo: (account?.account_no as string) ?? null,
    };
  });
}
