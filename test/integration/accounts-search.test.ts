import { freshDatabase, type TestDatabase } from '../support/db.js';
import { AccountsService, AccountsError } from '../../domain/accounts/service.js';
import { seedDemoAccounts } from '../../db/seeds/accounts/generate.js';
import { clerk, openInput, residentId } from './accounts-fixtures.js';

let db: TestDatabase;
let svc: AccountsService;
let seq = 0;

async function open(accountNo: string, name: string, phone: string, premise: Record<string, string>, serial: string) {
  seq++;
  return svc.openAccount(
    openInput({
      accountNo,
      customer: { idDocNumber: residentId('19700101', seq), name, phones: [phone] },
      premise: { district: '东城区', street: '和平街道', ...premise },
      meter: { serial },
    }),
    clerk,
  );
}

beforeAll(async () => {
  db = await freshDatabase();
  svc = new AccountsService(db.knex);
  await seedDemoAccounts(db.knex, { count: 300, seed: 1 });
  await svc.createBook({ code: 'B001', name: '测试本' }, clerk);
  await open(
    '90000001',
    '张三',
    '13812345678',
    { community: '幸福小区', building: '3栋', unit: '2单元', room: '501室' },
    'ZZ-7001',
  );
  await open(
    '900000012',
    '张三丰',
    '0571-90000001',
    { community: '幸福小区', building: '3栋', unit: '2单元', room: '502室' },
    'ZZ-7002',
  );
  await open('90000002', '周帅', '13900001111', { community: '光明花园', addressText: 'A_B座' }, 'ZZ-70021');
  await open('90000003', '李四', '13900002222', { community: '光明花园', addressText: 'AXB座 100%' }, 'ZZ-8000');
  await open('90000004', '赵六', '13900003333', { community: '光明花园' }, 'ZZ-9000');
  await svc.closeAccount('90000004', { reason: 'demolition' }, clerk);
});
afterAll(async () => {
  await db.drop();
});

const search = async (q: string, limit = 20) =>
  (await svc.search(q, limit)).map((h) => `${h.accountNo}:${h.matchedBy}`);

test('an exact account number comes first, then number prefixes, then phones ending in the digits', async () => {
  expect(await search('90000001')).toEqual(['90000001:account_no_exact', '900000012:account_no_prefix']);
  // within a tier, by account number as text
  expect(await search('9000000')).toEqual([
    '90000001:account_no_prefix',
    '900000012:account_no_prefix',
    '90000002:account_no_prefix',
    '90000003:account_no_prefix',
    '90000004:account_no_prefix',
  ]);
  // 90000002's customer's phone ends in 1111, so "1111" is only a phone suffix; a number prefix outranks it.
  expect(await search('1111')).toEqual(['90000002:phone_suffix']);
});

test('meter serials, exact and by prefix, case-insensitive', async () => {
  expect(await search('zz-7002')).toEqual(['900000012:meter_serial_exact', '90000002:meter_serial_prefix']);
  expect(await search('ZZ-8')).toEqual(['90000003:meter_serial_prefix']);
  // a closed account's removed meter still finds it
  expect(await search('ZZ-9000')).toEqual(['90000004:meter_serial_exact']);
  expect((await svc.search('ZZ-9000'))[0].status).toBe('closed');
});

test('phones by full number or by their last digits', async () => {
  expect(await search('13812345678')).toEqual(['90000001:phone_exact']);
  expect(await search('2345678')).toEqual(['90000001:phone_suffix']);
  expect(await search('0571-90000001')).toEqual(['900000012:phone_exact']);
});

test('names by Chinese fragment: exact name before names starting with it before names containing it', async () => {
  expect(await search('张三')).toEqual(['90000001:name_exact', '900000012:name_prefix']);
  expect(await search('三丰')).toEqual(['900000012:name_fragment']);
});

test('pinyin initials and full pinyin find the Chinese names: zs finds 张三', async () => {
  const zs = await search('zs');
  expect(zs.slice(0, 2).sort()).toEqual(['90000001:pinyin_exact', '90000002:pinyin_exact']);
  expect(zs).toContain('900000012:pinyin_prefix');
  expect(zs.indexOf('900000012:pinyin_prefix')).toBeGreaterThan(1);
  expect(await search('ZhangSan')).toEqual(['90000001:pinyin_exact', '900000012:pinyin_prefix']);
});

test('any part of the address, spaces ignored', async () => {
  expect(await search('幸福小区3栋')).toEqual(['90000001:address_fragment', '900000012:address_fragment']);
  expect(await search('3栋 2单元 502')).toEqual(['900000012:address_fragment']);
  expect(await search('和平街道幸福')).toHaveLength(2);
});

test('LIKE and regex metacharacters are plain text', async () => {
  expect(await search('A_B')).toEqual(['90000002:address_fragment']);
  expect(await search('100%')).toEqual(['90000003:address_fragment']);
  expect(await search('%')).toEqual([]);
  expect(await search('_')).toEqual([]);
  for (const q of ['.*', '(', '[a-z]+', '\\', "'; DROP TABLE cis.accounts; --", '$1', '?']) {
    await expect(svc.search(q)).resolves.toEqual(expect.any(Array));
  }
  expect(Number((await db.knex('cis.accounts').count('* as n').first())!.n)).toBe(305);
});

test('seeded demo accounts are found by their own number, serial, name and address', async () => {
  const row = await db
    .knex('cis.accounts as a')
    .join('cis.customers as c', 'c.id', 'a.customer_id')
    .join('cis.premises as p', 'p.id', 'a.premise_id')
    .join('cis.meters as m', 'm.account_id', 'a.id')
    .where('a.status', 'active')
    .orderBy('a.id')
    .first('a.account_no', 'c.name', 'c.name_initials', 'p.community', 'p.building', 'm.serial');
  expect((await svc.search(row.account_no))[0]).toMatchObject({
    accountNo: row.account_no,
    matchedBy: 'account_no_exact',
  });
  expect((await svc.search(row.serial))[0]).toMatchObject({
    accountNo: row.account_no,
    matchedBy: 'meter_serial_exact',
  });
  expect((await svc.search(row.name, 100)).map((h) => h.accountNo)).toContain(row.account_no);
  expect((await svc.search(row.name_initials, 100)).map((h) => h.accountNo)).toContain(row.account_no);
  expect((await svc.search(row.community + row.building, 100)).map((h) => h.accountNo)).toContain(row.account_no);
});

test('hits carry what the agent needs to pick the right one', async () => {
  const [hit] = await svc.search('90000001');
  expect(hit).toMatchObject({
    accountNo: '90000001',
    status: 'active',
    commodity: 'water',
    customerName: '张三',
    address: '东城区和平街道幸福小区3栋2单元501室',
    meterSerials: ['ZZ-7001'],
    phones: ['13812345678'],
  });
});

test('empty, overlong text and a bad limit are 422 naming the field', async () => {
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as AccountsError,
    );
  expect(await fail(svc.search('   '))).toMatchObject({ status: 422, field: 'q' });
  expect(await fail(svc.search('x'.repeat(101)))).toMatchObject({ status: 422, field: 'q' });
  expect(await fail(svc.search('abc', 0))).toMatchObject({ status: 422, field: 'limit' });
  expect(await fail(svc.search('abc', 101))).toMatchObject({ status: 422, field: 'limit' });
});
