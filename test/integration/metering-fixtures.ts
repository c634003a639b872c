import type { Knex } from 'knex';
import { AccountsService } from '../../domain/accounts/service.js';
import { residentIdCheckChar } from '../../domain/accounts/id-number.js';

export const reader = { actor: 'reader.wang' };
export const clerkCtx = { actor: 'clerk.li' };

let n = 0;
function residentId(): string {
  const first17 = `110105198001${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A book with `count` accounts in route order, each with its own meter (serial `${prefix}-<i>`). */
export async function openBook(
  knex: Knex,
  code: string,
  count: number,
  meter: { digits?: number; initialReading?: string; none?: boolean } = {},
): Promise<Array<{ accountNo: string; serial: string | null }>> {
  const accounts = new AccountsService(knex);
  if (!(await knex('cis.meter_books').where({ code }).first('id')))
    await accounts.createBook({ code, name: `抄表本 ${code}`, reader: 'reader' }, { actor: 'test' });
  const out: Array<{ accountNo: string; serial: string | null }> = [];
  for (let i = 1; i <= count; i++) {
    n++;
    const serial = meter.none ? null : `${code}-M${n}`;
    const opened = await accounts.openAccount(
      {
        customer: { name: `用户${n}`, idDocNumber: residentId(), phones: [] },
        premise: { district: '城东区', street: '解放路', community: '幸福小区', building: `${i}栋`, room: '101室' },
        customerClass: 'residential',
        paymentMethod: 'counter',
        book: { code },
        meter: serial
          ? {
              serial,
              digits: meter.digits ?? 5,
              initialReading: meter.initialReading ?? '0',
              installDate: '2025-01-01',
            }
          : undefined,
      },
      { actor: 'test' },
    );
    out.push({ accountNo: opened.accountNo, serial });
  }
  return out;
}
