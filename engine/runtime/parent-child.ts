import type pg from 'pg';
import type { InstanceContext, ParentChildSession, ParentChildWork } from './context.js';
import type { RuntimeServices } from './runtime-services.js';
import type { ProcessDefinitionRow } from '../store/rows.js';
import type { ProcessModel } from '../model/types.js';
import { lockAndLoadInstance, latestForms } from '../store/instance-state.js';
import { InstanceContext as Ctx } from './context.js';

/**
 * Work that reaches beyond one process instance (call activities: start the child, tell the parent
 * the child ended, cancel the child, pass an uncaught BPMN error up). Behaviours are synchronous and
 * see one instance, so they queue such work on their context; the runtime settles it inside the same
 * transaction, before the flush, so parent and child change together or not at all. (The session and
 * work types are declared in context.ts, which holds them, so that it does not import this file.)
 */
export type { ParentChildSession, ParentChildWork } from './context.js';

/** Queues cross-instance work from a behaviour or hook; it runs after the context's steps. */
export function queueParentChild(ctx: InstanceContext, work: ParentChildWork): void {
  ctx.parentChildWork.push(work);
}

/** The other contexts a command touched (flushed and notified together with it). */
export function otherContextsOf(ctx: InstanceContext): InstanceContext[] {
  const session = ctx.parentChildSession;
  return session ? [...session.contexts.values()].filter((c) => c !== ctx) : [];
}

/**
 * One transaction's set of loaded instances. An instance is loaded (and row-locked) at most once,
 * so later work sees the unflushed changes of earlier work.
 */
class Session implements ParentChildSession {
  readonly contexts = new Map<string, InstanceContext>();

  constructor(
    readonly rt: RuntimeServices,
    readonly client: pg.PoolClient,
    root: InstanceContext,
  ) {
    this.contexts.set(root.pi.key, root);
  }

  /** The instance's context in this transaction: already loaded, or locked and loaded now. */
  async load(piKey: string): Promise<InstanceContext | null> {
    const known = this.contexts.get(piKey);
    if (known) return known;
    // lockAndLoadInstance starts with BEGIN; inside an open transaction PostgreSQL only warns.
    const state = await lockAndLoadInstance(this.client, piKey);
    if (!state) return null;
    const { model } = await this.rt.modelByKey(this.client, state.pi.process_definition_key);
    state.forms = await latestForms(this.client, formIdsOf(model), state.pi.tenant_id);
    const root = [...this.contexts.values()][0];
    const ctx = new Ctx(
      state,
      model,
      this.rt.keys,
      root.now,
      root.actor,
      this.rt.hooks,
      this.rt.behaviors,
      this.rt.stepLimits,
    );
    this.contexts.set(piKey, ctx);
    // Steps a continuation left there were queued before this work: they run first.
    await ctx.runCarried();
    return ctx;
  }

  model(def: ProcessDefinitionRow): Promise<ProcessModel> {
    return this.rt.model(def);
  }

  /** Creates a process instance (a call activity's child) in this transaction and runs it. */
  async start(
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: {
      variables: Record<string, unknown>;
      actor: string | null;
      parent: { processInstanceKey: string; elementInstanceKey: string };
    },
  ): Promise<InstanceContext> {
    const ctx = await this.rt.newInstanceContext(this.client, def, model, opts);
    this.contexts.set(ctx.pi.key, ctx);
    await ctx.run();
    return ctx;
  }

  /** Child instances of an element instance: the ones started in this transaction, else the stored ones. */
  async childInstanceKeys(elementInstanceKey: string): Promise<string[]> {
    const keys = new Set<string>();
    for (const c of this.contexts.values())
      if (c.pi.parent_element_instance_key === elementInstanceKey) keys.add(c.pi.key);
    const { rows } = await this.client.query(
      `SELECT key FROM engine.process_instance WHERE parent_element_instance_key = $1 AND state = 'ACTIVE'`,
      [elementInstanceKey],
    );
    for (const r of rows) keys.add(String(r.key));
    return [...keys];
  }

  /** Runs queued work and the steps it causes until every instance of the transaction waits. */
  async settle(): Promise<void> {
    for (;;) {
      let progressed = false;
      for (const ctx of [...this.contexts.values()]) {
        // A context whose step budget is spent keeps its queue for a continuation (continuation.ts).
        if (ctx.runnable) {
          await ctx.run();
          progressed = true;
        }
        while (ctx.parentChildWork.length) {
          const work = ctx.parentChildWork.shift()!;
          await work(this);
          progressed = true;
        }
      }
      if (!progressed) return;
    }
  }
}

/** Settles the parent-child work of a command's context (no-op, and no allocation, when there is none). */
export async function settleParentChild(
  rt: RuntimeServices,
  client: pg.PoolClient,
  ctx: InstanceContext,
): Promise<void> {
  if (!ctx.parentChildWork.length && !ctx.parentChildSession) return;
  ctx.parentChildSession ??= new Session(rt, client, ctx);
  await ctx.parentChildSession.settle();
}

function formIdsOf(model: ProcessModel): string[] {
  const ids = new Set<string>();
  for (const n of model.nodes.values()) if (n.userTask?.formId) ids.add(n.userTask.formId);
  return [...ids];
}
