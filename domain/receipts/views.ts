import type { Knex } from 'knex';
import type { CashierStock, FormCount, FormEvent, FormHistory, FormListItem } from '../../contracts/receipts.js';
import { findForm, PENDING_VOID_SQL, toForm, VOID_REQUESTED } from './forms.js';
import { CountFormsInput, ListFormsInput, parse } from './schemas.js';
import { FORM_STATES, pad, type FormState } from './states.js';

export type { CashierStock, FormCount, FormEvent, FormHistory, FormListItem };

type Db = Knex | Knex.Transaction;

const iso = (d: Date | string) => new Date(d).toISOString();

/** A form's whole life: every event, oldest first, and the receipts printed on it. */
export async function formHistory(db: Db, formRef: unknown): Promise<FormHistory> {
  const form = await findForm(db, formRef);
  const key = { form_type: form.formType, series: form.series, form_no: form.formNo };
  const row = await db('cis.receipt_forms').where(key).first('updated_at');
  const events = await db('cis.receipt_form_events').where(key).orderBy('id');
  const receipts = await db('cis.receipts').where(key).orderBy('id');
  const block = await db('cis.receipt_blocks').where({ id: form.blockId }).first('received_at');
  const { rows } = await db.raw(
    `SELECT e.reason, e.actor FROM cis.receipt_form_events e
     WHERE e.id = (SELECT ${PENDING_VOID_SQL} FROM cis.receipt_forms f
                   WHERE f.form_type = :form_type AND f.series = :series AND f.form_no = :form_no)`,
    key,
  );
  return {
    form: {
      formType: form.formType,
      series: form.series,
      formNo: pad(form.formNo, form.digits),
      state: form.state,
      cashier: form.cashier,
      blockId: form.blockId,
      updatedAt: iso(row.updated_at),
      digits: form.digits,
      label: form.label,
      formNoText: pad(form.formNo, form.digits),
      receivedAt: iso(block.received_at),
      pendingVoid: rows[0]
        ? { reason: String(rows[0].reason).slice(VOID_REQUESTED.length), requestedBy: rows[0].actor }
        : null,
    },
    events: events.map((e) => ({
      id: Number(e.id),
      fromState: e.from_state,
      toState: e.to_state,
      cashier: e.cashier,
      actor: e.actor,
      reason: e.reason,
      receiptId: e.receipt_id === null ? null : Number(e.receipt_id),
      processInstanceKey: e.process_instance_key,
      at: iso(e.at),
    })),
    receipts: receipts.map((r) => ({
      receiptId: Number(r.id),
      batch: r.batch,
      cashier: r.cashier,
      createdAt: iso(r.created_at),
      reprintOf: r.reprint_of === null ? null : Number(r.reprint_of),
    })),
  };
}

/** Forms by cashier, state, type, series and number range, in number order, a page at a time. */
export async function listForms(db: Db, filter: unknown): Promise<{ total: number; forms: FormListItem[] }> {
  const v = parse(ListFormsInput, filter);
  const q = db('cis.receipt_forms as f').join('cis.receipt_blocks as b', 'b.id', 'f.block_id');
  if (v.cashier) q.where('f.cashier', v.cashier);
  if (v.state) q.where('f.state', v.state);
  if (v.formType) q.where('f.form_type', v.formType);
  if (v.series !== undefined) q.where('f.series', v.series);
  if (v.from) q.where('f.form_no', '>=', Number(v.from));
  if (v.to) q.where('f.form_no', '<=', Number(v.to));
  const [{ n }] = await q.clone().count({ n: '*' });
  const rows = await q
    .orderBy(['f.form_type', 'f.series', 'f.form_no'])
    .limit(v.limit)
    .offset(v.offset)
    .select('f.form_type', 'f.series', 'f.form_no', 'f.state', 'f.cashier', 'f.block_id', 'f.updated_at', 'b.digits');
  return {
    total: Number(n),
    forms: rows.map((r) => {
      const f = toForm(r);
      return {
        formType: f.formType,
        series: f.series,
        formNo: pad(f.formNo, f.digits),
        state: f.state,
        cashier: f.cashier,
        blockId: f.blockId,
        updatedAt: iso(r.updated_at),
      };
    }),
  };
}

/** The stock counted by cashier or by state; every number received is in exactly one state. */
export async function countForms(db: Db, input: unknown): Promise<FormCount[]> {
  const v = parse(CountFormsInput, input);
  const column = v.groupBy === 'cashier' ? 'cashier' : 'state';
  const { rows } = await db.raw(
    `SELECT ${column} AS key, state, count(*)::int AS n FROM cis.receipt_forms
     WHERE (:formType::text IS NULL OR form_type = :formType::text)
     GROUP BY ${column}, state ORDER BY ${column} NULLS FIRST, state`,
    { formType: v.formType ?? null },
  );
  const out = new Map<string | null, FormCount>();
  for (const r of rows as Array<{ key: string | null; state: FormState; n: number }>) {
    let c = out.get(r.key);
    if (!c) {
      c = { key: r.key, count: 0, byState: Object.fromEntries(FORM_STATES.map((s) => [s, 0])) as FormCount['byState'] };
      out.set(r.key, c);
    }
    c.count += r.n;
    c.byState[r.state] += r.n;
  }
  return [...out.values()];
}

/** What a cashier holds: the blank ranges and the next number of each type and series. */
export async function cashierStock(db: Db, cashierIn: string): Promise<CashierStock> {
  const cashier = cashierIn.normalize('NFKC').trim();
  const { rows: ranges } = await db.raw(
    `WITH held AS (
       SELECT f.form_type, f.series, f.form_no, b.digits,
              f.form_no - row_number() OVER (PARTITION BY f.form_type, f.series ORDER BY f.form_no) AS grp
       FROM cis.receipt_forms f JOIN cis.receipt_blocks b ON b.id = f.block_id
       WHERE f.cashier = ? AND f.state = 'issued'
     )
     SELECT form_type, series, min(form_no) AS lo, max(form_no) AS hi, count(*)::int AS n, max(digits) AS digits
     FROM held GROUP BY form_type, series, grp ORDER BY form_type, series, lo`,
    [cashier],
  );
  const { rows: next } = await db.raw(
    `SELECT f.form_type, f.series, min(f.form_no) FILTER (WHERE ${PENDING_VOID_SQL} IS NULL) AS next,
            count(*)::int AS n, max(b.digits) AS digits
     FROM cis.receipt_forms f JOIN cis.receipt_blocks b ON b.id = f.block_id
     WHERE f.cashier = ? AND f.state = 'issued'
     GROUP BY f.form_type, f.series ORDER BY f.form_type, f.series`,
    [cashier],
  );
  return {
    cashier,
    ranges: ranges.map((r: Record<string, string>) => ({
      formType: r.form_type,
      series: r.series,
      from: pad(r.lo, Number(r.digits)),
      to: pad(r.hi, Number(r.digits)),
      count: Number(r.n),
    })),
    next: next
      .filter((r: Record<string, string | null>) => r.next !== null)
      .map((r: Record<string, string>) => ({
        formType: r.form_type,
        series: r.series,
        formNo: pad(r.next, Number(r.digits)),
        remaining: Number(r.n),
      })),
  };
}
