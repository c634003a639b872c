import type { Knex } from 'knex';
import { ReceiptsService } from '../../../domain/receipts/service.js';

/**
 * Demo receipt stock: a block of 1,000 pre-printed forms received, the first 200 drawn by the demo cashier, so a
 * newcomer's first payment at the counter prints a receipt. Skipped when any block exists.
 */
export async function seedDemoReceiptStock(knex: Knex): Promise<boolean> {
  if (await knex('cis.receipt_blocks').first('id')) return false;
  const receipts = new ReceiptsService(knex);
  const ctx = { actor: 'seed' };
  await receipts.receiveBlock({ formType: 'SF', series: 'A', from: '00000001', to: '00001000', note: '演示票据' }, ctx);
  if (await knex('cis.users').where({ username: 'cashier' }).first('username'))
    await receipts.issueRange(
      { formType: 'SF', series: 'A', from: '00000001', to: '00000200', cashier: 'cashier' },
      ctx,
    );
  return true;
}
