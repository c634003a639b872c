import type { Knex } from 'knex';
import { z } from 'zod';

/** Who is changing data, and from which process step, carried into every audit row. */
export interface ChangeContext {
  actor: string;
  processInstanceKey?: string;
  taskKey?: string;
  /** Makes the operation safe to repeat (e.g. the job key): a second call returns the first result. */
  idempotencyKey?: string;
}

const actor = z
  .string()
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(z.string().max(100))
  .pipe(z.string().min(1, 'is required'));

/** A change context as callers send it; every module checks it before its transaction (422 `context.*`). */
export const ChangeContextInput = z.object({
  actor,
  processInstanceKey: z.string().optional(),
  taskKey: z.string().optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | number;
  accountId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends audit rows inside the caller's transaction, so a change and its record commit together. */
export async function writeAudit(trx: Knex.Transaction, ctx: ChangeContext, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await trx('cis.audit_log').insert(
    records.map((r) => ({
      actor: ctx.actor,
      action: r.action,
      entity: r.entity,
      entity_id: String(r.entityId),
      account_id: r.accountId ?? null,
      before: r.before === undefined ? null : JSON.stringify(r.before),
      after: r.after === undefined ? null : JSON.stringify(r.after),
      process_instance_key: ctx.processInstanceKey ?? null,
      task_key: ctx.taskKey ?? null,
    })),
  );
}
