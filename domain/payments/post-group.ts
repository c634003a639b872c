import type { Knex } from 'knex';
import type { PaymentResult } from '../../contracts/payments.js';
import { POST_PAYMENT_SQL, POST_PAYMENTS_SQL } from '../../db/sql/post-payment.js';
import { conflict, PaymentsError } from './errors.js';

/** One checked submission, as cis.post_payment takes it. */
export interface Submission {
  channel: string;
  serial: string;
  method: string;
  actor: string;
  tendered: number | null;
  items: Array<{ accountNo: string; amount: number }>;
  fingerprint: string;
  processInstanceKey: string | null;
  taskKey: string | null;
}

interface Waiting {
  submission: Submission;
  resolve(result: PaymentResult): void;
  reject(err: unknown): void;
}

interface PostError {
  code: string;
  message: string;
  hint: string | null;
  detail: string | null;
}

/** Groups in flight at once: one database backend each; two keep both cores of a small server busy. */
const GROUPS_IN_FLIGHT = 2;
/** Submissions in one group at most (one statement, one transaction). */
const GROUP_SIZE = 32;

/**
 * Group posting: submissions that arrive while the database is busy with earlier ones go to it together, in one
 * statement and one commit (cis.post_payments), as a database groups the commits of concurrent transactions. A
 * submission that arrives when fewer than GROUPS_IN_FLIGHT groups are running goes at once, alone: no waiting is
 * added when the counter is quiet. Each submission runs in a subtransaction of its own, so one refusal changes
 * nothing for the others; a group is sorted by account number, so that two groups lock accounts in one order.
 */
export class PostingGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly knex: Knex) {}

  post(submission: Submission): Promise<PaymentResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ submission, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.inFlight < GROUPS_IN_FLIGHT && this.waiting.length > 0) {
      const group = this.waiting.splice(0, GROUP_SIZE);
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.next();
      });
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length === 1) return settle(group[0], () => postOne(this.knex, group[0].submission));
    const sorted = [...group].sort((a, b) => compare(firstAccount(a.submission), firstAccount(b.submission)));
    let outcomes: Array<{ result?: PaymentResult; error?: PostError }>;
    try {
      const { rows } = await this.knex.raw(POST_PAYMENTS_SQL, {
        submissions: JSON.stringify(sorted.map((w) => w.submission)),
      });
      outcomes = rows[0].results;
    } catch (err) {
      for (const w of sorted) w.reject(err);
      return;
    }
    await Promise.all(
      sorted.map(async (w, i) => {
        const { result, error } = outcomes[i];
        if (result) w.resolve(result);
        // a deadlock victim (two groups met on an account) is posted again alone; anything else unknown fails
        // the same way alone, so it is answered as a single submission is
        else if (!error || !refusal(error)) await settle(w, () => postOne(this.knex, w.submission));
        else w.reject(refusal(error));
      }),
    );
  }
}

/** One submission in a statement of its own (cis.post_payment). */
async function postOne(knex: Knex, s: Submission): Promise<PaymentResult> {
  try {
    const { rows } = await knex.raw(POST_PAYMENT_SQL, { ...s, items: JSON.stringify(s.items) });
    return rows[0].result as PaymentResult;
  } catch (err) {
    const e = err as { code?: string; hint?: string; detail?: string; message?: string };
    // knex prefixes the statement (whose text has no ' - ') to the database's message
    const message = String(e.message ?? '')
      .split(' - ')
      .slice(1)
      .join(' - ');
    throw refusal({ code: String(e.code), message, hint: e.hint ?? null, detail: e.detail ?? null }) ?? err;
  }
}

async function settle(w: Waiting, post: () => Promise<PaymentResult>): Promise<void> {
  await post().then(w.resolve, w.reject);
}

/** The function's refusals (SQLSTATE AQ404 / AQ409, see db/sql/post-payment.ts) as the domain's own. */
function refusal(e: PostError): PaymentsError | null {
  if (e.code === 'AQ404') return new PaymentsError(404, 'not_found', e.message);
  if (e.code === 'AQ409') return conflict(e.hint ?? 'conflict', e.message, e.detail || undefined);
  return null;
}

const firstAccount = (s: Submission) => s.items.map((i) => i.accountNo).sort(compare)[0] ?? '';
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
