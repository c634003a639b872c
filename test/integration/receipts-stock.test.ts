import { ReceiptsError, ReceiptsService, type FormCount } from '../../domain/receipts/service.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Receipt stock (M4): every number received is a form with one state and a history; drawing, returning and
// losing forms move whole ranges or nothing.
let db: TestDatabase;
let receipts: ReceiptsService;
beforeAll(async () => {
  db = await freshDatabase();
  receipts = new ReceiptsService(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

const keeper = { actor: 'stock.wang' };

async function refusal(p: Promise<unknown>): Promise<ReceiptsError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReceiptsError);
  return e as ReceiptsError;
}

/** The whole stock of a type, as rows, to show that a refusal changed nothing. */
const snapshot = async (formType: string) => ({
  forms: await db.knex('cis.receipt_forms').where({ form_type: formType }).orderBy(['series', 'form_no']),
  events: Number((await db.knex('cis.receipt_form_events').where({ form_type: formType }).count({ n: '*' }))[0].n),
  blocks: Number((await db.knex('cis.receipt_blocks').where({ form_type: formType }).count({ n: '*' }))[0].n),
});

const states = (counts: FormCount[]): Record<string, number> =>
  Object.fromEntries(counts.map((c) => [String(c.key), c.count]));

test('a block received is one unused form per number, each with its first event; the block is audited', async () => {
  const block = await receipts.receiveBlock(
    { formType: 'SF', series: 'A', from: '0000001', to: '0000100', note: '印刷厂 2026-12' },
    keeper,
  );
  expect(block).toMatchObject({ formType: 'SF', series: 'A', from: '0000001', to: '0000100', digits: 7, count: 100 });

  const forms = await db.knex('cis.receipt_forms').where({ form_type: 'SF', series: 'A' });
  expect(forms).toHaveLength(100);
  expect(new Set(forms.map((f) => f.state))).toEqual(new Set(['unused']));
  const events = await db.knex('cis.receipt_form_events').where({ form_type: 'SF', series: 'A' });
  expect(events).toHaveLength(100);
  expect(events[0]).toMatchObject({ from_state: null, to_state: 'unused', actor: 'stock.wang' });
  const audit = await db.knex('cis.audit_log').where({ entity: 'receipt_block', entity_id: String(block.blockId) });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ actor: 'stock.wang', action: 'received' });

  // Fewer digits in `from` than in `to`: the block's digits are those of `to`.
  const short = await receipts.receiveBlock({ formType: 'SF-A5', from: '1', to: '00050' }, keeper);
  expect(short).toMatchObject({ from: '00001', to: '00050', digits: 5, count: 50 });
});

test('a range overlapping the stock is refused naming the numbers, and nothing is written', async () => {
  const before = await snapshot('SF');
  const e = await refusal(
    receipts.receiveBlock({ formType: 'SF', series: 'A', from: '0000098', to: '0000150' }, keeper),
  );
  expect(e).toMatchObject({ status: 409, code: 'range_overlaps' });
  expect(e.message).toContain('0000098, 0000099, 0000100');
  expect(await snapshot('SF')).toEqual(before);

  // Another series of the same type is other numbers.
  await receipts.receiveBlock({ formType: 'SF', series: 'B', from: '0000098', to: '0000099' }, keeper);
});

test('bad ranges are 422 naming the field, an unknown form type 404; nothing is written', async () => {
  const before = await snapshot('SF');
  const cases: Array<[Record<string, unknown>, number, string | undefined]> = [
    [{ formType: 'SF', series: 'C', from: '0000200', to: '0000100' }, 422, 'to'],
    [{ formType: 'SF', series: 'C', from: '12A', to: '0000100' }, 422, 'from'],
    [{ formType: 'SF', series: 'C', from: '-1', to: '0000100' }, 422, 'from'],
    [{ formType: 'SF', series: 'C', from: '0', to: '0000100' }, 422, 'from'],
    [{ formType: 'SF', series: 'C', from: '0000001', to: '0100001' }, 422, 'to'],
    [{ formType: 'SF', series: 'c-1', from: '1', to: '2' }, 422, 'series'],
    [{ formType: 'XX', series: 'C', from: '1', to: '2' }, 404, undefined],
  ];
  for (const [input, status, field] of cases) {
    const e = await refusal(receipts.receiveBlock(input, keeper));
    expect({ input, status: e.status, field: e.field }).toEqual({ input, status, field });
  }
  expect(
    (await refusal(receipts.receiveBlock({ formType: 'SF', series: 'C', from: '1', to: '0100001' }, keeper))).message,
  ).toContain('more than 100000');
  expect(await snapshot('SF')).toEqual(before);
});

test('drawing forms: only unused ones; a form held by anyone refuses the whole range, naming it and its holder', async () => {
  const drawn = await receipts.issueRange(
    { formType: 'SF', series: 'A', from: '0000001', to: '0000020', cashier: 'cashier1' },
    keeper,
  );
  expect(drawn).toMatchObject({ from: '0000001', to: '0000020', count: 20, state: 'issued', cashier: 'cashier1' });

  const before = await snapshot('SF');
  const other = await refusal(
    receipts.issueRange({ formType: 'SF', series: 'A', from: '0000015', to: '0000025', cashier: 'cashier2' }, keeper),
  );
  expect(other).toMatchObject({ status: 409, code: 'illegal_transition' });
  expect(other.message).toContain('SF A 0000015 is issued (cashier1)');
  const twice = await refusal(
    receipts.issueRange({ formType: 'SF', series: 'A', from: '0000020', to: '0000021', cashier: 'cashier1' }, keeper),
  );
  expect(twice.message).toContain('SF A 0000020 is issued (cashier1)');
  const missing = await refusal(
    receipts.issueRange({ formType: 'SF', series: 'A', from: '0000095', to: '0000105', cashier: 'cashier2' }, keeper),
  );
  expect(missing).toMatchObject({ status: 404 });
  expect(missing.message).toContain('5 of 11 numbers not in stock');
  expect(await snapshot('SF')).toEqual(before);

  await receipts.issueRange({ formType: 'SF', series: 'A', from: '21', to: '30', cashier: 'cashier2' }, keeper);
  expect(await receipts.cashierStock('cashier1')).toEqual({
    cashier: 'cashier1',
    ranges: [{ formType: 'SF', series: 'A', from: '0000001', to: '0000020', count: 20 }],
    next: [{ formType: 'SF', series: 'A', formNo: '0000001', remaining: 20 }],
  });
});

test('returning forms: only the cashier’s own issued forms go back to unused', async () => {
  const before = await snapshot('SF');
  const notHers = await refusal(
    receipts.returnRange({ formType: 'SF', series: 'A', from: '0000019', to: '0000022', cashier: 'cashier1' }, keeper),
  );
  expect(notHers).toMatchObject({ status: 409, code: 'not_held' });
  expect(notHers.message).toContain('SF A 0000021 is held by cashier2');
  expect(await snapshot('SF')).toEqual(before);

  const back = await receipts.returnRange(
    { formType: 'SF', series: 'A', from: '16', to: '20', cashier: 'cashier1' },
    keeper,
  );
  expect(back).toMatchObject({ from: '0000016', to: '0000020', count: 5, state: 'unused' });
  const h = await receipts.formHistory({ formType: 'SF', series: 'A', formNo: '0000016' });
  expect(h.form).toMatchObject({ state: 'unused', cashier: null, formNo: '0000016', label: 'SF A 0000016' });
  expect(h.events.map((e) => [e.fromState, e.toState, e.cashier, e.actor])).toEqual([
    [null, 'unused', null, 'stock.wang'],
    ['unused', 'issued', 'cashier1', 'stock.wang'],
    ['issued', 'unused', 'cashier1', 'stock.wang'],
  ]);
  const audit = await db.knex('cis.audit_log').where({ entity: 'receipt_forms', action: 'returnRange' });
  expect(audit.map((a) => a.entity_id)).toEqual(['SF/A/0000016-0000020']);
});

test('lost forms are never used; an illegal move is 409 naming from and to', async () => {
  await receipts.markLost(
    { formType: 'SF', series: 'A', from: '0000096', to: '0000100', reason: '保险柜清点缺失' },
    keeper,
  );
  const lost = await receipts.formHistory({ formType: 'SF', series: 'A', formNo: '100' });
  // Nobody held it: the keeper who reports the loss answers for it.
  expect(lost.form).toMatchObject({ state: 'lost', cashier: 'stock.wang' });
  expect(lost.events.at(-1)).toMatchObject({ fromState: 'unused', toState: 'lost', reason: '保险柜清点缺失' });

  const e = await refusal(
    receipts.issueRange({ formType: 'SF', series: 'A', from: '0000090', to: '0000100', cashier: 'cashier2' }, keeper),
  );
  expect(e).toMatchObject({ status: 409, code: 'illegal_transition' });
  expect(e.message).toContain('SF A 0000096 is lost');
  expect(e.message).toContain('lost → issued is not allowed');
  const none = await refusal(receipts.formHistory({ formType: 'SF', series: 'A', formNo: '0000500' }));
  expect(none.status).toBe(404);
});

test('counts by state and by cashier; every number received is in exactly one state', async () => {
  const byState = states(await receipts.countForms({ groupBy: 'state', formType: 'SF' }));
  // Series A: 100 received, 25 held, 5 lost; series B: 2 received.
  expect(byState).toEqual({ unused: 70 + 2, issued: 20 + 10 - 5, lost: 5 });
  const received = await db
    .knex('cis.receipt_blocks')
    .where({ form_type: 'SF' })
    .sum({ n: db.knex.raw('last_no - first_no + 1') });
  expect(Object.values(byState).reduce((s, n) => s + n, 0)).toBe(Number(received[0].n));

  const byCashier = await receipts.countForms({ groupBy: 'cashier', formType: 'SF' });
  expect(byCashier.map((c) => [c.key, c.count, c.byState.issued, c.byState.lost])).toEqual([
    [null, 72, 0, 0],
    ['cashier1', 15, 15, 0],
    ['cashier2', 10, 10, 0],
    ['stock.wang', 5, 0, 5],
  ]);

  const list = await receipts.listForms({ cashier: 'cashier2', state: 'issued', limit: 3, offset: 1 });
  expect(list.total).toBe(10);
  expect(list.forms.map((f) => f.formNo)).toEqual(['0000022', '0000023', '0000024']);
  const e = await refusal(receipts.listForms({ from: '10', to: '5' }));
  expect(e).toMatchObject({ status: 422, field: 'to' });
});

// 20000 forms: a move that were quadratic in the range (a self-join run as a nested loop) would take minutes here.
test('a large block is received and drawn set-based, one event per form', async () => {
  const block = await receipts.receiveBlock({ formType: 'SF-A5', series: 'Z', from: '100001', to: '120000' }, keeper);
  expect(block.count).toBe(20000);
  const drawn = await receipts.issueRange(
    { formType: 'SF-A5', series: 'Z', from: '100001', to: '120000', cashier: 'cashier3' },
    keeper,
  );
  expect(drawn.count).toBe(20000);
  const counts = await receipts.countForms({ groupBy: 'cashier', formType: 'SF-A5' });
  expect(counts.find((c) => c.key === 'cashier3')?.byState.issued).toBe(20000);
  const events = await db.knex('cis.receipt_form_events').where({ form_type: 'SF-A5', series: 'Z' }).count({ n: '*' });
  expect(Number(events[0].n)).toBe(40000);
});
