import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { MeteringError } from './errors.js';
import { parse } from './schemas.js';
import type { CycleException } from './cycles.js';
import { recordReading } from './record.js';
import { confirmReading, correctReading, estimateReading } from './review.js';
import { volume } from './schemas.js';
import { readingById, type ReadingView } from './view.js';
import { z } from 'zod';

export const DECISIONS = ['confirm', 'correct', 'estimate'] as const;
const Decision = z.object({
  decision: z.enum(DECISIONS, 'choose confirm, correct or estimate'),
  correctedReading: z.union([volume, z.null()]).optional(),
  note: z.string().max(500).nullish(),
});

/**
 * A clerk's decision on a cycle exception (the review task's form): confirm or correct a pending reading, or
 * estimate; a missed meter can be estimated or given the reading the clerk obtained. A reading someone already
 * dealt with elsewhere is left as it is.
 */
export async function resolveException(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  period: string,
  exception: CycleException,
  input: unknown,
): Promise<ReadingView> {
  const v = parse(Decision, input);
  const note = v.note ?? '';
  if (v.decision === 'correct' && !v.correctedReading)
    throw new MeteringError(422, 'invalid', 'correctedReading: is required to correct', 'correctedReading');
  if (exception.kind === 'pending') {
    const current = await readingById(trx, exception.readingId!);
    if (current && current.status !== 'pending') return current;
    if (v.decision === 'confirm') return confirmReading(trx, ctx, exception.readingId!);
    if (v.decision === 'correct')
      return correctReading(trx, ctx, exception.readingId!, { reading: v.correctedReading!, note });
    return estimateReading(trx, ctx, { accountNo: exception.accountNo, period, note });
  }
  if (v.decision === 'confirm')
    throw new MeteringError(422, 'invalid', 'decision: a missed meter has no reading to confirm', 'decision');
  const live = await trx('cis.readings as r')
    .join('cis.accounts as a', 'a.id', 'r.account_id')
    .where({ 'a.account_no': exception.accountNo, 'r.period': period, 'r.status': 'accepted' })
    .first('r.id');
  if (live) return (await readingById(trx, live.id))!;
  if (v.decision === 'estimate') return estimateReading(trx, ctx, { accountNo: exception.accountNo, period, note });
  const recorded = await recordReading(trx, ctx, {
    accountNo: exception.accountNo,
    reading: v.correctedReading!,
    period,
    source: 'manual',
    note,
  });
  // The clerk's own value settles it, whatever a rule thinks.
  return recorded.status === 'pending' ? confirmReading(trx, ctx, recorded.id) : recorded;
}
