import { createRequire } from 'node:module';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { BpmnModdle } from 'bpmn-moddle';
import { CASE_STAGES, type CaseStage, type CaseStatus, type CaseType } from '../../contracts/cases.js';
import { READ } from './consistency.js';

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

const CLOSED: Record<Exclude<CaseStatus, 'open'>, CaseStage> = {
  completed: 'done',
  rejected: 'rejected',
  cancelled: 'cancelled',
};
const FINAL = new Set<CaseStage>(['done', 'rejected', 'cancelled']);
const isStage = (s: unknown): s is CaseStage => typeof s === 'string' && (CASE_STAGES as readonly string[]).includes(s);
/** Stages by their place in a case's flow; a stage outside it after those inside, in the vocabulary's order. */
const byOrder = (order: CaseStage[]) => (a: CaseStage, b: CaseStage) => {
  const rank = (s: CaseStage) => (order.includes(s) ? order.indexOf(s) : order.length + CASE_STAGES.indexOf(s));
  return rank(a) - rank(b);
};

/** The stages a type passes through when its model cannot be read (no engine, nothing deployed yet). */
export const DEFAULT_STAGES: Record<CaseType, CaseStage[]> = {
  'new-connection': ['intake', 'survey', 'design', 'approval', 'fees', 'construction', 'contract', 'connection'],
  relocation: ['intake', 'survey', 'fees', 'works', 'account-change'],
  'water-shutoff-approval': ['intake', 'approval', 'notice', 'works', 'restoration'],
  'water-use-inspection': ['intake', 'inspection'],
  'transfer-case': ['intake', 'account-change'],
  'suspension-case': ['intake', 'account-change'],
};

/**
 * The `stage` property of every element of a diagram by id, in the order a case meets them: a walk along the
 * sequence flows from the start events (an activity's boundary events right after it; a sub-process entered where
 * it stands), so a model's stages come out in its own flow order, whatever their place in the vocabulary. An
 * element without its own stage inherits its enclosing sub-process's, so a modeller tags a whole sub-process once.
 */
export async function stageMap(xml: string): Promise<Map<string, CaseStage>> {
  const stages = new Map<string, CaseStage>();
  const { rootElement } = await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
  type El = any;
  const own = (el: El): CaseStage | undefined => {
    for (const ext of el?.extensionElements?.values ?? [])
      if (ext.$type === 'zeebe:Properties')
        for (const p of ext.properties ?? []) if (p.name === 'stage' && isStage(p.value)) return p.value;
    return undefined;
  };
  const walkScope = (scope: El, inherited: CaseStage | undefined) => {
    const elements: El[] = scope?.flowElements ?? [];
    const boundaries = new Map<string, El[]>();
    for (const el of elements)
      if (el.$type === 'bpmn:BoundaryEvent' && el.attachedToRef)
        boundaries.set(el.attachedToRef.id, [...(boundaries.get(el.attachedToRef.id) ?? []), el]);
    const seen = new Set<string>();
    const queue: El[] = elements.filter((e) => e.$type === 'bpmn:StartEvent');
    const visit = (el: El) => {
      if (!el?.id || seen.has(el.id) || el.$type === 'bpmn:SequenceFlow') return;
      seen.add(el.id);
      const stage = own(el) ?? inherited;
      if (stage) stages.set(el.id, stage);
      if (el.flowElements) walkScope(el, stage); // a sub-process: its inside where it stands in the flow
      for (const flow of el.outgoing ?? []) queue.push(flow.targetRef);
      queue.push(...(boundaries.get(el.id) ?? []));
    };
    while (queue.length) visit(queue.shift());
    for (const el of elements) visit(el); // what no flow reaches (event sub-processes …) comes last
  };
  for (const root of rootElement?.rootElements ?? []) if (root.$type === 'bpmn:Process') walkScope(root, undefined);
  return stages;
}

export interface OpenTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  candidateGroups: string[];
  assignee: string | null;
  creationDate: string;
  dueDate: string | null;
}

export interface CaseStageInfo {
  /** Where the case stands now (the furthest of its active stages; the closing stage once closed). */
  stage: CaseStage;
  /** Every stage active at once (parallel branches). */
  activeStages: CaseStage[];
  /** The type's stages in order, ending in the closing stage. */
  stages: Array<{ stage: CaseStage; done: boolean }>;
}

interface CaseRef {
  caseType: CaseType;
  status: CaseStatus;
  processInstanceKey: string | null;
}

/**
 * Where a case stands: the active element instances of its process instance and of the instances its call
 * activities started, mapped to stages by the `stage` property of the deployed model (parsed once per process
 * definition key: a deployed definition never changes). Reads through a service client: the public status page
 * has nobody signed in, and a clerk's view of the stage should not depend on their engine grants.
 */
export class CaseStages {
  private readonly maps = new Map<string, Promise<Map<string, CaseStage>>>();

  constructor(private readonly client: () => CamundaClient | undefined) {}

  private stagesOf(client: CamundaClient, processDefinitionKey: string): Promise<Map<string, CaseStage>> {
    let map = this.maps.get(processDefinitionKey);
    if (!map) {
      map = client
        .getProcessDefinitionXml({ processDefinitionKey: processDefinitionKey as never }, READ)
        .then((xml) => stageMap(String(xml)));
      map.catch(() => this.maps.delete(processDefinitionKey)); // a failed read is retried next time
      if (this.maps.size > 500) this.maps.clear();
      this.maps.set(processDefinitionKey, map);
    }
    return map;
  }

  /** The case's process instance and every instance below it through call activities (depth-limited). */
  private async instances(client: CamundaClient, root: string): Promise<Array<{ key: string; definition: string }>> {
    const found: Array<{ key: string; definition: string }> = [];
    let level = [root];
    const first = await client.getProcessInstance({ processInstanceKey: root as never }, READ).catch(() => null);
    if (!first) return found;
    found.push({ key: root, definition: String(first.processDefinitionKey) });
    for (let depth = 0; depth < 4 && level.length; depth++) {
      const next: string[] = [];
      for (const parent of level) {
        const children = await client.searchProcessInstances(
          { filter: { parentProcessInstanceKey: parent }, page: { limit: 100 } } as never,
          READ,
        );
        for (const c of children.items ?? []) {
          found.push({ key: String(c.processInstanceKey), definition: String(c.processDefinitionKey) });
          if (c.state === 'ACTIVE') next.push(String(c.processInstanceKey));
        }
      }
      level = next;
    }
    return found;
  }

  private async elements(client: CamundaClient, processInstanceKey: string, state: 'ACTIVE' | 'COMPLETED') {
    const found = await client.searchElementInstances(
      {
        filter: { processInstanceKey, state },
        sort: [{ field: state === 'ACTIVE' ? 'startDate' : 'endDate', order: 'DESC' }],
        page: { limit: 200 },
      } as never,
      READ,
    );
    return (found.items ?? []).filter((e) => e.type !== 'PROCESS');
  }

  /** The stage of a case and its type's stages with which are done. */
  async of(c: CaseRef): Promise<CaseStageInfo> {
    const client = this.client();
    let order = DEFAULT_STAGES[c.caseType];
    let active: CaseStage[] = [];
    if (client && c.processInstanceKey) {
      try {
        const instances = await this.instances(client, c.processInstanceKey);
        // the stages its models tag (a called process's too, once it runs), in the vocabulary's order
        const modelled = new Set<CaseStage>();
        for (const inst of instances)
          for (const s of (await this.stagesOf(client, inst.definition)).values()) if (!FINAL.has(s)) modelled.add(s);
        if (modelled.size) order = [...new Set<CaseStage>(['intake', ...modelled])];
        if (c.status === 'open') active = await this.activeStages(client, instances);
      } catch {
        // the engine is unreachable or the model unreadable: the stage falls back to what the status says
      }
    }
    const stage: CaseStage =
      c.status !== 'open'
        ? CLOSED[c.status]
        : (active.sort(byOrder(order)).at(-1) ?? (c.processInstanceKey ? order.at(0) : 'intake') ?? 'intake');
    const at = order.indexOf(stage);
    const stages = [...order, c.status === 'open' ? 'done' : CLOSED[c.status]].map((s, i) => ({
      stage: s as CaseStage,
      done: c.status === 'completed' || (c.status === 'open' && at >= 0 && i < at),
    }));
    return { stage, activeStages: [...new Set(active)], stages };
  }

  /**
   * The stages of the active elements, deepest instance first (a called process's own tags say more than the
   * call activity's). With no tagged active element (a service task between stages), the last completed tagged
   * element's stage.
   */
  private async activeStages(
    client: CamundaClient,
    instances: Array<{ key: string; definition: string }>,
  ): Promise<CaseStage[]> {
    const byInstance: CaseStage[][] = [];
    for (const inst of instances) {
      const map = await this.stagesOf(client, inst.definition);
      const stages = (await this.elements(client, inst.key, 'ACTIVE'))
        .map((e) => map.get(String(e.elementId)))
        .filter((s): s is CaseStage => !!s);
      byInstance.push(stages);
    }
    const deepest = [...byInstance].reverse().find((s) => s.length);
    if (deepest) return deepest;
    if (!instances.length) return [];
    const map = await this.stagesOf(client, instances[0].definition);
    for (const e of await this.elements(client, instances[0].key, 'COMPLETED')) {
      const s = map.get(String(e.elementId));
      if (s && !FINAL.has(s)) return [s];
    }
    return [];
  }

  /** The open user tasks of the case (and its called processes): name and candidate group, for the front desk. */
  async openTasks(processInstanceKey: string | null): Promise<OpenTask[]> {
    const client = this.client();
    if (!client || !processInstanceKey) return [];
    try {
      const instances = await this.instances(client, processInstanceKey);
      const tasks: OpenTask[] = [];
      for (const inst of instances) {
        const found = await client.searchUserTasks(
          { filter: { processInstanceKey: inst.key, state: 'CREATED' }, page: { limit: 50 } } as never,
          READ,
        );
        for (const t of found.items ?? [])
          tasks.push({
            userTaskKey: String(t.userTaskKey),
            name: t.name ?? String(t.elementId),
            elementId: String(t.elementId),
            candidateGroups: t.candidateGroups ?? [],
            assignee: t.assignee ?? null,
            creationDate: t.creationDate ?? '',
            dueDate: t.dueDate ?? null,
          });
      }
      return tasks;
    } catch {
      return [];
    }
  }
}
