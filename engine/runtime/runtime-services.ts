import type pg from 'pg';
import type { BehaviorTable } from '../elements/behavior.js';
import type { ProcessModel } from '../model/types.js';
import type { KeyAllocator } from '../store/keys.js';
import type { Store } from '../store/pool.js';
import type { InstanceRef } from '../store/instance-state.js';
import type { ProcessDefinitionRow } from '../store/rows.js';
import type { InstanceContext, InstanceState, RuntimeHooks } from './context.js';
import type { Logger } from './logger.js';
import type { StepLimits } from './run-loop.js';

/** What a new process instance starts with (API create, message/timer starts, call activity children). */
export interface NewInstanceOptions {
  variables: Record<string, unknown>;
  actor: string | null;
  startElementIds?: string[];
  parent?: { processInstanceKey: string; elementInstanceKey: string };
  tags?: string[];
}

/**
 * What the Runtime's own parts — the command batcher (batch.ts), the continuation runner (continuation.ts)
 * and the parent-child session (parent-child.ts) — call on it. A leaf type, so that they and runtime.ts do
 * not import each other; `Runtime` implements it, and its doc comments are there.
 */
export interface RuntimeServices {
  readonly log: Logger;
  readonly keys: KeyAllocator;
  readonly store: Store;
  readonly hooks: RuntimeHooks;
  readonly behaviors: BehaviorTable;
  readonly stepLimits: StepLimits;
  readonly isStopped: boolean;
  model(def: ProcessDefinitionRow): Promise<ProcessModel>;
  modelByKey(
    db: pg.PoolClient,
    processDefinitionKey: string,
  ): Promise<{ def: ProcessDefinitionRow; model: ProcessModel }>;
  withInstance<T>(
    piKey: InstanceRef,
    actor: string | null,
    fn: (ctx: InstanceContext, client: pg.PoolClient) => T | Promise<T>,
    notFoundDetail?: string,
  ): Promise<T>;
  contextOf(client: pg.PoolClient, state: InstanceState, actor: string | null): Promise<InstanceContext>;
  startInstanceUnbatched(
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext>;
  startInstanceInTransaction(
    client: pg.PoolClient,
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext>;
  newInstanceContext(
    client: pg.PoolClient,
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext>;
  commitSql(roots: InstanceContext | InstanceContext[]): string;
  afterCommit(root: InstanceContext): void;
}
