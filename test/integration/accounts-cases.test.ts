import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';

let t: TestAquaflow;
beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 5 });
});
afterAll(async () => {
  await t?.stop();
});

test("the customer 360 lists the account's cases (process instances carrying its number), newest first", async () => {
  // accounts without a demo business case (server/demo-cases.ts opens an inspection on one)
  const [one, other] = (await t.db
    .knex('cis.accounts')
    .whereNotIn('id', t.db.knex('cis.cases').whereNotNull('account_id').select('account_id'))
    .orderBy('account_no')
    .limit(2)
    .pluck('account_no')) as string[];
  const client = t.client('clerk');
  const reissue = await client.createProcessInstance({
    processDefinitionId: 'certificate-reissue' as never,
    variables: { accountNo: one },
  });
  await client.createProcessInstance({
    processDefinitionId: 'certificate-reissue' as never,
    variables: { accountNo: other },
  });

  const clerk = await t.signIn('clerk');
  const view = await clerk.call('GET', `/api/customers/accounts/${one}`);
  expect(view.status).toBe(200);
  const cases = view.body.cases as Array<Record<string, unknown>>;
  expect(cases).toEqual([
    expect.objectContaining({
      processInstanceKey: reissue.processInstanceKey,
      processDefinitionId: 'certificate-reissue',
      state: 'ACTIVE',
      endDate: null,
    }),
  ]);
});
