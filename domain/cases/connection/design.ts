import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, conflict } from '../errors.js';
import { findCase } from '../records.js';
import { DesignInput, parse } from './schemas.js';

export interface RecordedDesign {
  designId: number;
  version: number;
  budgetFen: number;
}

/** 设计: one version per design pass (a re-design keeps the earlier ones); the budget in fen decides the approval. */
export async function recordDesign(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<RecordedDesign> {
  const v = parse(DesignInput, input);
  return inTransaction(knex, 'cases.connection.recordDesign', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.status !== 'open') throw conflict('case_closed', `case ${c.case_no} is ${c.status}`);
    const { max } = (await trx('cis.case_connection_designs').where({ case_id: c.id }).max('version as max').first())!;
    const row = {
      case_id: c.id,
      version: Number(max ?? 0) + 1,
      budget_fen: v.budgetYuan,
      budget_lines: JSON.stringify(v.budgetLines.map((l) => ({ item: l.item, amountFen: l.amountYuan }))),
      materials: JSON.stringify(v.materials),
      drawings_note: v.drawingsNote,
    };
    const [{ id }] = await trx('cis.case_connection_designs').insert(row).returning('id');
    await writeAudit(trx, ctx, [
      { action: 'design_recorded', entity: 'case', entityId: c.case_no as string, after: row },
    ]);
    return { designId: Number(id), version: row.version, budgetFen: row.budget_fen };
  });
}
