import { eventually } from '../support/records.js';
import { accountRow, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

let h: AccountsHarness;
let now = Date.parse('2030-01-10T02:00:00Z');
const pin = (at: number) => h.t.client.pinClock({ timestamp: at } as never);
beforeAll(async () => {
  h = await startAccountsHarness();
  await pin(now);
});
afterAll(async () => {
  await h?.t.client.resetClock();
  await h?.stop();
});

async function suspend(accountNo: string, resumeDate: string) {
  const pi = (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'account-suspension' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;
  await h.complete(pi, 'application', { resumeDate, reason: '外出务工' });
  expect((await h.task(pi, 'final-reading')).candidateGroups).toEqual(['reader']);
  await h.complete(pi, 'final-reading', { finalReading: 88.5 });
  await eventually(async () => (await accountRow(h, accountNo)).status === 'suspended');
  return pi;
}

const timerOf = async (pi: string) =>
  eventually(() =>
    h.t.db.knex('engine.record').where({ process_instance_key: pi, value_type: 'TIMER', intent: 'CREATED' }).first(),
  );

describe('account-suspension (报停/恢复)', () => {
  test('suspended with the final reading audited; resumed on request before the agreed date', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-06-01');
    await timerOf(pi);
    const audit = await h.audit(pi);
    expect(audit.map((a) => a.action)).toEqual(['suspended']);
    expect(audit[0].after).toMatchObject({ until: '2030-06-01', finalReading: '88.5' });
    expect((await accountRow(h, accountNo)).status).toBe('suspended');

    await h.t.client.publishMessage({ name: 'account-resume-requested', correlationKey: accountNo, timeToLive: 0 });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    expect((await h.audit(pi)).map((a) => a.action)).toEqual(['suspended', 'resumed']);
    const timerDone = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, value_type: 'TIMER', intent: 'TRIGGERED' });
    expect(timerDone).toHaveLength(0);
  });

  test('resumed by the timer at the agreed date (midnight, China time)', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-02-01');
    const timer = await timerOf(pi);
    expect(new Date(Number(timer.value.dueDate)).toISOString()).toBe('2030-01-31T16:00:00.000Z');

    now = Date.parse('2030-01-31T15:00:00Z');
    await pin(now);
    await new Promise((r) => setTimeout(r, 300));
    expect((await accountRow(h, accountNo)).status).toBe('suspended');

    now = Date.parse('2030-01-31T16:00:01Z');
    await pin(now);
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    const resumed = (await h.audit(pi)).find((a) => a.action === 'resumed');
    expect(resumed?.actor).toBe('worker:account-resume');
  });

  test('an account that is not active is not suspended: the refusal ends the process with the reason', async () => {
    const accountNo = await h.openDemo();
    await h.service.closeAccount(accountNo, {}, { actor: 'test' });
    const pi = (
      await h.t.client.createProcessInstance({
        processDefinitionId: 'account-suspension' as never,
        variables: { accountNo },
      })
    ).processInstanceKey;
    await h.complete(pi, 'application', { resumeDate: '2030-06-01' });
    await h.complete(pi, 'final-reading', { finalReading: 1 });
    await h.finished(pi);
    expect((await h.variables(pi)).problem).toContain('is closed');
    expect(await h.audit(pi)).toHaveLength(0);
  });

  test('a refusal the model does not catch is an incident a clerk sees with the reason, not a silent skip', async () => {
    const accountNo = await h.openDemo();
    const pi = await suspend(accountNo, '2030-06-01');
    await timerOf(pi);
    await h.service.closeAccount(accountNo, {}, { actor: 'test' }); // closed meanwhile (demolition)
    await h.t.client.publishMessage({ name: 'account-resume-requested', correlationKey: accountNo, timeToLive: 0 });
    const incident = await eventually(async () => {
      const found = await h.t.client.searchIncidents(
        { filter: { processInstanceKey: pi as never } } as never,
        { consistency: { waitUpToMs: 0 } } as never,
      );
      return found.items?.[0];
    });
    expect(incident).toMatchObject({ elementId: 'resume', errorType: 'UNHANDLED_ERROR_EVENT' });
    expect(incident.errorMessage).toContain('is closed');
    expect(await h.state(pi)).toBe('ACTIVE');
    expect((await accountRow(h, accountNo)).status).toBe('closed');
  });
});
