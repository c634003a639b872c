import { accountRow, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const start = async (accountNo: string) =>
  (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'account-demolition' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;

describe('account-demolition (拆迁)', () => {
  test('final reading, final bill placeholder, meter removed, account closed', async () => {
    const accountNo = await h.openDemo();
    const account = await accountRow(h, accountNo);
    const [meter] = await h.t.db.knex('cis.meters').where({ account_id: account.id });
    const pi = await start(accountNo);
    expect((await h.task(pi, 'final-reading')).candidateGroups).toEqual(['reader']);
    await h.complete(pi, 'final-reading', { finalReading: 1234.567, readingDate: '2026-11-30' });
    expect((await h.task(pi, 'meter-removal')).candidateGroups).toEqual(['crew']);
    // The placeholder is on the ledger before the meter comes off: 0 fen, named as such.
    const [placeholder] = await h.t.db
      .knex('cis.ledger_entries')
      .where({ account_id: account.id, kind: 'final_bill_placeholder' });
    expect(Number(placeholder.amount_fen)).toBe(0);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    await h.finished(pi);

    expect((await accountRow(h, accountNo)).status).toBe('closed');
    expect(await h.t.db.knex('cis.meters').where({ id: meter.id }).first()).toMatchObject({
      status: 'removed',
      account_id: null,
    });
    const [replacement] = await h.t.db.knex('cis.meter_replacements').where({ old_meter_id: meter.id });
    expect(replacement.final_reading).toBe('1234.567');
    expect((await h.variables(pi)).finalReading).toBe(1234.567);
    const audit = await h.audit(pi);
    expect(audit.map((a) => `${a.action}:${a.entity}`)).toEqual([
      'charged:ledger_entry',
      'removed:meter',
      'closed:account',
    ]);
    expect(audit[0].after.note).toContain('billing will compute');
    expect(audit[2].after).toMatchObject({ status: 'closed', finalReading: '1234.567' });
  });

  test('an account already closed: the process ends at "already closed" with the reason, changing nothing', async () => {
    const accountNo = await h.openDemo();
    await h.service.closeAccount(accountNo, { reason: 'earlier closure' }, { actor: 'test' });
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 10 });
    await h.finished(pi);
    const ended = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, element_id: 'already-closed', intent: 'ELEMENT_COMPLETED' });
    expect(ended).toHaveLength(1);
    expect((await h.variables(pi)).problem).toContain('is closed');
    expect(await h.audit(pi)).toHaveLength(0);
    const account = await accountRow(h, accountNo);
    expect(await h.t.db.knex('cis.ledger_entries').where({ account_id: account.id })).toHaveLength(0);
    const incidents = await h.t.client.searchIncidents(
      { filter: { processInstanceKey: pi as never } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(incidents.items).toHaveLength(0);
  });

  test('closed by someone else while the meter was being removed: the closing step ends at "already closed" too', async () => {
    const accountNo = await h.openDemo();
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 5 });
    await h.task(pi, 'meter-removal');
    await h.service.closeAccount(accountNo, { reason: 'closed at the counter' }, { actor: 'test' });
    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    await h.finished(pi);
    const ended = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, element_id: 'already-closed', intent: 'ELEMENT_COMPLETED' });
    expect(ended).toHaveLength(1);
    expect((await h.variables(pi)).problem).toContain('already closed');
    expect((await h.audit(pi)).map((a) => a.action)).toEqual(['charged']);
  });
});
