import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { residentIdCheckChar } from '../domain/accounts/id-number.js';
import { CasesService } from '../domain/cases/service.js';

type StartProcess = (processId: string, variables: Record<string, unknown>) => Promise<string>;

/**
 * A few business cases on a new demo database, opened as the front desk opens them (case row, then its process),
 * so a newcomer finds cases in the front desk's list, tasks in the engineers' and managers' inboxes and a stage on
 * the status page: a new connection waiting for its survey, a planned shut-off of one book waiting for approval,
 * and an inspection of an account. Nothing is opened when the database already has cases.
 */
export async function seedDemoCases(knex: Knex, start: StartProcess, logger: Logger): Promise<void> {
  if (await knex('cis.cases').first('id')) return;
  const area = await knex('cis.meter_book_areas as a')
    .join('cis.meter_books as b', 'b.id', 'a.book_id')
    .orderBy(['a.district', 'a.street'])
    .first('a.district', 'a.street', 'b.code');
  const account = await knex('cis.accounts').where({ status: 'active' }).orderBy('id').first('account_no');
  if (!area || !account) return;
  const cases = new CasesService(knex);
  const id17 = '11010519850307123';
  const day = (days: number, hour: number) => {
    const d = new Date(Date.now() + days * 86_400_000);
    d.setUTCHours(hour - 8, 0, 0, 0); // China time
    return d.toISOString();
  };
  const applications = [
    {
      caseType: 'new-connection',
      applicantName: '王建国',
      applicantPhone: '13800138000',
      premise: { district: area.district, street: area.street, community: '新建小区', building: '1栋', room: '101室' },
      details: {
        useClass: 'residential',
        caliberMm: 20,
        customerKind: 'person',
        idDocType: 'resident_id',
        idDocNumber: id17 + residentIdCheckChar(id17),
        householdSize: 3,
      },
    },
    {
      caseType: 'water-shutoff-approval',
      applicantName: '管网所',
      details: {
        kind: 'planned',
        startAt: day(3, 9),
        endAt: day(3, 17),
        reason: '主管道阀门更换',
        bookCodes: [area.code],
      },
    },
    { caseType: 'water-use-inspection', accountNo: account.account_no, details: { reason: '用水量异常，现场核查' } },
  ];
  for (const input of applications) {
    try {
      const opened = await cases.openCase(input, { actor: 'clerk' });
      const pik = await start(opened.caseType, await cases.processVariables(opened.caseNo));
      await cases.attachProcess(opened.caseNo, pik, { actor: 'clerk' });
    } catch (err) {
      // a demo case that cannot open (a model changed by hand) must not stop the start
      logger.warn({ err, caseType: input.caseType }, 'demo case not opened');
    }
  }
  logger.info({ cases: applications.length }, 'opened demo business cases');
}
