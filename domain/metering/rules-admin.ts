import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { notFound } from './errors.js';
import { RULE_CODES, type RuleCode } from './rules.js';

export interface RuleView {
  code: RuleCode;
  enabled: boolean;
  params: Record<string, number | boolean>;
  description: string;
}

export async function listRules(db: Knex): Promise<RuleView[]> {
  return db('cis.reading_rules').orderBy('code').select('code', 'enabled', 'params', 'description');
}

/** Switches a rule or changes its parameters; parameters not named keep their value. */
export async function updateRule(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  code: string,
  input: { enabled?: boolean; params?: Record<string, number | boolean> },
): Promise<RuleView> {
  if (!RULE_CODES.includes(code as RuleCode)) throw notFound('reading rule', code);
  const before = await trx('cis.reading_rules').where({ code }).forUpdate().first('enabled', 'params');
  const after = {
    enabled: input.enabled ?? before.enabled,
    params: { ...before.params, ...(input.params ?? {}) },
  };
  await trx('cis.reading_rules')
    .where({ code })
    .update({ enabled: after.enabled, params: JSON.stringify(after.params), updated_at: trx.fn.now() });
  await writeAudit(trx, ctx, [{ action: 'updated', entity: 'reading_rule', entityId: code, before, after }]);
  return trx('cis.reading_rules').where({ code }).first('code', 'enabled', 'params', 'description');
}
