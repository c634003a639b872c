import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, invalid } from '../errors.js';
import { findCase } from '../records.js';

export interface EscalationInput {
  /** The element id of the overdue step (the task header `step`). */
  step: string;
  /** Who held the task when its timer fired, as far as the job knows (the record fills in the rest). */
  assignee?: string;
  candidateGroup?: string;
}

/**
 * An overdue step handed to the managers: one row per timer job (the job key in the change context), so a job
 * delivered twice escalates once, and a timer that fires again (a cycle, or the step redone) escalates again.
 */
export async function recordEscalation(knex: Knex, caseNo: string, input: EscalationInput, ctxIn: ChangeContext) {
  const step = input.step.trim();
  if (!step || step.length > 200) throw invalid('step', 'is required (the overdue element id)');
  const jobKey = ctxIn.taskKey ?? ctxIn.idempotencyKey;
  if (!jobKey) throw invalid('context.taskKey', 'an escalation is keyed by its job');
  return inTransaction(knex, 'cases.escalate', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    const row = {
      case_id: c.id,
      step,
      assignee: input.assignee?.trim() || null,
      candidate_group: input.candidateGroup?.trim() || null,
      process_instance_key: ctx.processInstanceKey ?? null,
      job_key: jobKey,
    };
    const inserted = await trx('cis.case_escalations').insert(row).onConflict('job_key').ignore().returning('id');
    if (inserted.length)
      await writeAudit(trx, ctx, [
        {
          action: 'case_escalated',
          entity: 'case',
          entityId: c.case_no as string,
          accountId: (c.account_id as string) ?? null,
          after: { step, assignee: row.assignee, candidateGroup: row.candidate_group },
        },
      ]);
    return { caseNo: c.case_no as string, step, escalated: true };
  });
}

export interface EscalationRow {
  step: string;
  processInstanceKey: string | null;
  assignee: string | null;
  candidateGroup: string | null;
  escalatedAt: string;
}

/** A case's escalations, oldest first. */
export async function escalationsOf(knex: Knex, caseId: string | number): Promise<EscalationRow[]> {
  const rows = await knex('cis.case_escalations')
    .where({ case_id: caseId })
    .orderBy([{ column: 'escalated_at' }, { column: 'id' }])
    .select('step', 'process_instance_key', 'assignee', 'candidate_group', 'escalated_at');
  return rows.map((r) => ({
    step: r.step as string,
    processInstanceKey: (r.process_instance_key as string) ?? null,
    assignee: (r.assignee as string) ?? null,
    candidateGroup: (r.candidate_group as string) ?? null,
    escalatedAt: new Date(r.escalated_at as string).toISOString(),
  }));
}
