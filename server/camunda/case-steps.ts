import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { modelFacts, type ElementFacts } from '../../domain/cases/record/model-facts.js';
import {
  stepsOf,
  type ElementRow,
  type EngineStep,
  type InstanceSpan,
  type UserTaskRow,
} from '../../domain/cases/record/steps.js';
import { problem } from '../http/problem.js';
import { READ } from './consistency.js';

const PAGE = 1000;

// A case's process tree is small; a statistics period is read in pages, up to this many elements per case type.
const MAX_PAGES = 200;

/**
 * The case record's engine half, through the official client only (so it reads a Camunda 8 cluster the same):
 * element instances and user tasks of a case's process instance and of the instances its call activities started,
 * and the deployed models' names and targets (parsed once per process definition key: a deployed definition never
 * changes).
 */
export class CaseSteps {
  private readonly models = new Map<string, Promise<Map<string, ElementFacts>>>();

  constructor(private readonly client: CamundaClient) {}

  private factsOf(processDefinitionKey: string): Promise<Map<string, ElementFacts>> {
    let facts = this.models.get(processDefinitionKey);
    if (!facts) {
      facts = this.client
        .getProcessDefinitionXml({ processDefinitionKey: processDefinitionKey as never }, READ)
        .then((xml) => modelFacts(String(xml)));
      facts.catch(() => this.models.delete(processDefinitionKey));
      this.models.set(processDefinitionKey, facts);
    }
    return facts;
  }

  /** Every page of a search (cursor paging), capped. */
  private async all<T>(search: (after?: string) => Promise<{ items?: T[]; page?: { endCursor?: string } }>) {
    const items: T[] = [];
    let after: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const found = await search(after);
      items.push(...(found.items ?? []));
      if ((found.items?.length ?? 0) < PAGE || !found.page?.endCursor) return items;
      after = found.page.endCursor;
    }
    // figures from a cut-off read would be wrong without a word: refuse instead
    throw problem(
      413,
      'Content Too Large',
      'the period holds too many steps to count at once: choose a shorter period',
      {
        code: 'period_too_large',
        field: 'from',
      },
    );
  }

  private elements(filter: Record<string, unknown>) {
    return this.all<ElementRow>(
      (after) =>
        this.client.searchElementInstances(
          {
            filter,
            sort: [{ field: 'startDate', order: 'ASC' }],
            page: { limit: PAGE, ...(after ? { after } : {}) },
          } as never,
          READ,
        ) as never,
    );
  }

  private tasks(filter: Record<string, unknown>) {
    return this.all<UserTaskRow>(
      (after) =>
        this.client.searchUserTasks(
          { filter, page: { limit: PAGE, ...(after ? { after } : {}) } } as never,
          READ,
        ) as never,
    );
  }

  /** The case's instance and those below it through call activities (depth-limited), with their definitions. */
  private async tree(
    root: string,
  ): Promise<{ span: InstanceSpan | null; tree: Array<{ key: string; definition: string }> }> {
    const first = await this.client.getProcessInstance({ processInstanceKey: root as never }, READ).catch(() => null);
    if (!first) return { span: null, tree: [] };
    const found = [{ key: root, definition: String(first.processDefinitionKey) }];
    let level = [root];
    for (let depth = 0; depth < 4 && level.length; depth++) {
      const next: string[] = [];
      for (const parent of level) {
        const children = await this.client.searchProcessInstances(
          { filter: { parentProcessInstanceKey: parent }, page: { limit: 100 } } as never,
          READ,
        );
        for (const c of children.items ?? []) {
          found.push({ key: String(c.processInstanceKey), definition: String(c.processDefinitionKey) });
          next.push(String(c.processInstanceKey));
        }
      }
      level = next;
    }
    return { span: { startedAt: first.startDate, endedAt: first.endDate ?? null }, tree: found };
  }

  /** The steps of one case, in the order it moved (called processes' steps among them), and its instance's span. */
  async ofCase(processInstanceKey: string): Promise<{ steps: EngineStep[]; span: InstanceSpan | null }> {
    const { span, tree } = await this.tree(processInstanceKey);
    const facts = new Map<string, Map<string, ElementFacts>>();
    const elements: ElementRow[] = [];
    const tasks: UserTaskRow[] = [];
    for (const inst of tree) {
      facts.set(inst.key, await this.factsOf(inst.definition));
      elements.push(...(await this.elements({ processInstanceKey: inst.key })));
      tasks.push(...(await this.tasks({ processInstanceKey: inst.key })));
    }
    return { steps: stepsOf(elements, tasks, (pi) => facts.get(pi)), span };
  }

  /**
   * The steps of every instance of a case type that started since `from` (one paged search of element instances
   * and one of user tasks, not one per case), grouped by process instance. Steps of called processes are not in
   * it: the call activity is the case type's step that covers them.
   */
  async ofType(
    caseType: string,
    from: string | undefined,
  ): Promise<{ steps: Map<string, EngineStep[]>; spans: Map<string, InstanceSpan> }> {
    const since = from ? { startDate: { $gte: from } } : {};
    const instances = await this.all<{ processInstanceKey: string; startDate: string; endDate?: string }>(
      (after) =>
        this.client.searchProcessInstances(
          {
            filter: { processDefinitionId: caseType, ...since },
            page: { limit: PAGE, ...(after ? { after } : {}) },
          } as never,
          READ,
        ) as never,
    );
    const spans = new Map(
      instances.map((i) => [String(i.processInstanceKey), { startedAt: i.startDate, endedAt: i.endDate ?? null }]),
    );
    const elements = await this.elements({ processDefinitionId: caseType, ...since });
    const tasks = await this.tasks({
      processDefinitionId: caseType,
      ...(from ? { creationDate: { $gte: from } } : {}),
    });
    const definitions = new Map<string, string>();
    for (const e of elements as Array<ElementRow & { processDefinitionKey?: string }>)
      if (e.processDefinitionKey) definitions.set(String(e.processInstanceKey), String(e.processDefinitionKey));
    const facts = new Map<string, Map<string, ElementFacts>>();
    for (const [pi, def] of definitions) facts.set(pi, await this.factsOf(def));
    const steps = stepsOf(elements, tasks, (pi) => facts.get(pi));
    const byInstance = new Map<string, EngineStep[]>();
    for (const s of steps) {
      const list = byInstance.get(s.processInstanceKey) ?? [];
      list.push(s);
      byInstance.set(s.processInstanceKey, list);
    }
    return { steps: byInstance, spans };
  }
}
