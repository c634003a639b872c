import type { Knex } from 'knex';
import type { FormTypeView, ReceiptLayout } from '../../contracts/receipts.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { notFound, invalid, refusals } from './errors.js';
import { FormTypeCode, LayoutInput, parse } from './schemas.js';

export type { FormTypeView };

type Db = Knex | Knex.Transaction;

const view = (r: Record<string, never>): FormTypeView => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  layout: r.layout ?? null,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function getFormType(db: Db, codeIn: unknown): Promise<FormTypeView> {
  const code = parse(FormTypeCode, codeIn, 'formType');
  const r = await db('cis.receipt_form_types').where({ code }).first();
  if (!r) throw notFound('form type', code);
  return view(r);
}

export async function listFormTypes(db: Db): Promise<FormTypeView[]> {
  return (await db('cis.receipt_form_types').orderBy('code')).map(view);
}

/**
 * The layout a form type prints with (calibrated on the utility's paper), or null for its kind's default. Every
 * box must lie on the page (422 naming the field) and the layout's kind must be the form type's.
 */
export async function setLayout(knex: Knex, codeIn: unknown, layoutIn: unknown, ctx: ChangeContext) {
  const code = parse(FormTypeCode, codeIn, 'formType');
  const layout = layoutIn === null ? null : (parse(LayoutInput, layoutIn, 'layout') as ReceiptLayout);
  return inTransaction(knex, 'setLayout', ctx, refusals, async (trx, c): Promise<FormTypeView> => {
    const before = await trx('cis.receipt_form_types').where({ code }).forUpdate().first();
    if (!before) throw notFound('form type', code);
    if (layout && layout.kind !== before.kind)
      throw invalid('layout.kind', `${code} is a ${before.kind} form, not ${layout.kind}`);
    const [after] = await trx('cis.receipt_form_types')
      .where({ code })
      .update({ layout: layout === null ? null : JSON.stringify(layout), updated_at: trx.fn.now() })
      .returning('*');
    await writeAudit(trx, c, [
      { action: 'layout_set', entity: 'receipt_form_type', entityId: code, before: before.layout, after: layout },
    ]);
    return view(after);
  });
}
