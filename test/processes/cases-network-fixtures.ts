import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { CASE_STAGES } from '../../contracts/cases.js';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { workerFactories, type WorkerContext } from '../../workers/index.js';
import { addCrew } from '../integration/repair-fixtures.js';
import { openInput, residentId } from '../integration/accounts-fixtures.js';
import { eventually } from '../support/records.js';
import { startCasesHarness, type CasesHarness } from './cases-harness.js';

/**
 * The network cases' scenario harness: the case models with the account, payment and repair processes they call,
 * the case, account, certificate and repair workers (less the job types a test runs itself), demo tariffs (final
 * bills price by them) and a repair crew.
 */
export async function startNetworkHarness(opts: { except?: string[] } = {}) {
  const ctx = {} as WorkerContext; // the factories only build their configuration from it
  const jobTypes = workerFactories
    .map((f) => f(ctx).jobType)
    .filter((type) => ['case-', 'account-', 'certificate-', 'repair-'].some((p) => type.startsWith(p)))
    .filter((type) => !opts.except?.includes(type));
  const h = await startCasesHarness({ folders: ['accounts', 'payments', 'repair', 'cases'], workerPrefixes: jobTypes });
  await seedDemoTariffs(h.knex);
  await addCrew(h.knex, 'crew.wang');
  return h;
}

let serial = 0;
const accounts = (h: CasesHarness) => new AccountsService(h.knex);

/** A meter book (set-up through the accounts domain), once per code. */
export async function book(h: CasesHarness, code: string): Promise<void> {
  if (!(await h.knex('cis.meter_books').where({ code }).first()))
    await accounts(h).createBook({ code, name: `测试本 ${code}` }, { actor: 'test' });
}

/** An account in a book on a street (set-up, not under test); the street joins the book's area if it has none. */
export async function accountAt(
  h: CasesHarness,
  at: { book: string; district: string; street: string; name?: string; phone?: string | null; cls?: string },
): Promise<string> {
  await book(h, at.book);
  const n = ++serial;
  const opened = await accounts(h).openAccount(
    openInput({
      customer: {
        name: at.name ?? `用户${n}`,
        idDocNumber: residentId('19800101', n),
        phones: at.phone === null ? [] : [at.phone ?? '13912345678'],
      },
      premise: { district: at.district, street: at.street, community: '', building: `${n}栋`, unit: '', room: '101' },
      customerClass: at.cls ?? 'residential',
      book: { code: at.book },
      meter: { serial: `NW-${process.pid}-${n}`, installDate: '2024-03-01' },
    }),
    { actor: 'test' },
  );
  const bookId = (await h.knex('cis.meter_books').where({ code: at.book }).first('id')).id;
  await h
    .knex('cis.meter_book_areas')
    .insert({ district: at.district, street: at.street, book_id: bookId })
    .onConflict(['district', 'street'])
    .ignore();
  return opened.accountNo;
}

export const accountRow = (h: CasesHarness, accountNo: string) =>
  h.knex('cis.accounts').where({ account_no: accountNo }).first();

export const caseRow = (h: CasesHarness, caseNo: string) => h.knex('cis.cases').where({ case_no: caseNo }).first();

/** The case once its process has closed it (case-close ran). */
export const closedCase = (h: CasesHarness, caseNo: string) =>
  eventually(async () => {
    const c = await caseRow(h, caseNo);
    return c.status !== 'open' ? c : undefined;
  });

/** The instance's completed elements, in order. */
export const completedElements = async (h: CasesHarness, pi: string): Promise<string[]> =>
  (
    await h
      .knex('engine.record')
      .where({ process_instance_key: pi, intent: 'ELEMENT_COMPLETED' })
      .orderBy('position')
      .select('element_id')
  ).map((r) => r.element_id);

/** The instance has ended. */
export const finished = (h: CasesHarness, pi: string) => eventually(async () => (await h.state(pi)) === 'COMPLETED');

/** The instance a case's call activity started (e.g. account-transfer under transfer-case). */
export const calledInstance = (h: CasesHarness, pi: string, processId: string) =>
  eventually(async () => {
    const found = await h.t.client.searchProcessInstances(
      { filter: { parentProcessInstanceKey: pi as never, processDefinitionId: processId as never } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    return found.items[0] ? String(found.items[0].processInstanceKey) : undefined;
  });

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');
const CASES_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes/cases');

/**
 * What a case model must keep (listed as problems, none expected): every user task, call activity and service task
 * but the escalations carries a `stage` of the vocabulary; every user task's overdue timer is non-interrupting, has a
 * literal ISO duration (its target, read by the case record) and leads to `case-escalate` with header `step` = the
 * task; every end is reached through `case-close`.
 */
export async function modelProblems(file: string): Promise<string[]> {
  const xml = readFileSync(path.join(CASES_DIR, file), 'utf8');
  const { rootElement } = await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
  const elements: any[] = rootElement.rootElements.find((e: any) => e.$type === 'bpmn:Process').flowElements;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const ext = (el: any, type: string) => (el.extensionElements?.values ?? []).find((v: any) => v.$type === type);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const jobType = (el: any) => ext(el, 'zeebe:TaskDefinition')?.type;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const header = (el: any, key: string) => ext(el, 'zeebe:TaskHeaders')?.values.find((v: any) => v.key === key)?.value;
  const problems: string[] = [];
  for (const el of elements) {
    const stage = ext(el, 'zeebe:Properties')?.properties.find((p: { name: string }) => p.name === 'stage')?.value;
    const needsStage =
      ['bpmn:UserTask', 'bpmn:CallActivity'].includes(el.$type) ||
      (el.$type === 'bpmn:ServiceTask' && jobType(el) !== 'case-escalate');
    if (needsStage && !(CASE_STAGES as readonly string[]).includes(stage)) problems.push(`${el.id}: no stage`);
    if (el.$type === 'bpmn:UserTask') {
      const timer = elements.find(
        (b) => b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === el && b.eventDefinitions?.[0]?.timeDuration,
      );
      const duration = timer?.eventDefinitions[0].timeDuration.body;
      if (!timer || timer.cancelActivity !== false || !/^P(\d+D)?(T(\d+H)?(\d+M)?)?$/.test(duration ?? ''))
        problems.push(`${el.id}: no non-interrupting overdue timer with a literal duration`);
      else {
        const next = timer.outgoing[0].targetRef;
        if (jobType(next) !== 'case-escalate' || header(next, 'step') !== el.id)
          problems.push(`${el.id}: overdue timer does not lead to case-escalate for the step`);
      }
    }
    if (el.$type === 'bpmn:EndEvent' && !el.id.startsWith('escalated-')) {
      const before = el.incoming.map((f: { sourceRef: unknown }) => f.sourceRef);
      if (!before.every((s: unknown) => jobType(s) === 'case-close')) problems.push(`${el.id}: not after case-close`);
    }
  }
  return problems;
}

/**
 * Claims the open task of `elementId` for `assignee` (as the inbox does before completing) and completes it: the
 * approvals' listener (case-connection-approver-check) refuses an unclaimed completion and the case's opener.
 */
export async function work(
  h: CasesHarness,
  pi: string,
  elementId: string,
  assignee: string,
  variables: Record<string, unknown> = {},
): Promise<void> {
  const { userTaskKey } = await h.task(pi, elementId);
  await h.t.client.assignUserTask({ userTaskKey: userTaskKey as never, assignee });
  await eventually(async () => (await h.openTasks(pi, elementId))[0]?.assignee === assignee);
  await h.t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables });
}

/** Whether an element of the instance is active now (a task open, a timer or a message waited for). */
export async function activeAt(h: CasesHarness, pi: string, elementId: string): Promise<boolean> {
  const found = await h.t.client.searchElementInstances(
    { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'ACTIVE' } } as never,
    { consistency: { waitUpToMs: 0 } } as never,
  );
  return (found.items ?? []).length > 0;
}

/**
 * The approvals' refusals of one user task, in order (ASSIGNMENT_DENIED, COMPLETION_DENIED), from the engine's
 * record log: what the listener denied.
 */
export const denials = async (h: CasesHarness, userTaskKey: string): Promise<string[]> =>
  (
    await h
      .knex('engine.record')
      .where({ key: String(userTaskKey), value_type: 'USER_TASK' })
      .whereLike('intent', '%DENIED')
      .orderBy('position')
      .select('intent')
  ).map((r) => r.intent);
