import type { Knex } from 'knex';
import { AccountsService } from '../../domain/accounts/service.js';
import { openInput, residentId } from './accounts-fixtures.js';

let serial = 0;

/** A meter book and an account to take repair calls for (set-up through the accounts domain). */
export async function openRepairAccount(knex: Knex, name = '张三', room = '501室'): Promise<string> {
  const accounts = new AccountsService(knex);
  if (!(await knex('cis.meter_books').where({ code: 'R01' }).first()))
    await accounts.createBook({ code: 'R01', name: '维修测试本' }, { actor: 'test' });
  const n = ++serial;
  const opened = await accounts.openAccount(
    openInput({
      customer: { name, idDocNumber: residentId('19850101', n), phones: ['13912345678'] },
      premise: {
        district: '东城区',
        street: '和平街道',
        community: '幸福小区',
        building: `${n}栋`,
        unit: '1单元',
        room,
      },
      book: { code: 'R01' },
      meter: { serial: `RP-${process.pid}-${n}`, installDate: '2024-03-01' },
    }),
    { actor: 'test' },
  );
  return opened.accountNo;
}

/** A user with the crew role, without the cost of hashing a password (these tests never sign in). */
export async function addCrew(knex: Knex, username: string): Promise<void> {
  const [{ id }] = await knex('cis.users')
    .insert({ username, display_name: `班组 ${username}`, password_hash: 'x' })
    .returning('id');
  await knex('cis.user_roles').insert({ user_id: id, role: 'crew' });
}
