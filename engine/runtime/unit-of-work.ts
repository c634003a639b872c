import type { FlowNode, ProcessModel } from '../model/types.js';
import type {
  ElementInstanceRow,
  GenericRow,
  IncidentRow,
  JobRow,
  ProcessInstanceRow,
  RecordRow,
  TableName,
} from '../store/rows.js';

/**
 * A queued step of the element lifecycle. Steps are data, not closures, so that a run split across
 * transactions can leave the rest of its queue in a continuation row (continuation.ts).
 */
export type Step =
  | { kind: 'activate' | 'complete' | 'terminate'; el: ElementInstanceRow }
  /** A token arrived at a joining gateway of the flow scope `el`: fire it if its rule is satisfied. */
  | { kind: 'join'; el: ElementInstanceRow; gatewayId: string };

/**
 * What the helpers of the InstanceContext (rows/*-changes.ts, joins.ts, variables.ts) see of it: the
 * instance's loaded rows, and where changes and records go. A leaf type, so the helpers and the context
 * do not import each other.
 */
export interface UnitOfWork {
  readonly pi: ProcessInstanceRow;
  readonly model: ProcessModel;
  readonly now: Date;
  readonly actor: string | null;
  readonly elements: Map<string, ElementInstanceRow>;
  readonly jobs: Map<string, JobRow>;
  readonly incidents: Map<string, IncidentRow>;
  readonly timers: Map<string, GenericRow>;
  readonly subscriptions: Map<string, GenericRow>;
  readonly jobTypesCreated: Set<string>;
  readonly records: RecordRow[];
  readonly queue: Step[];
  nextKey(): string;
  save(table: TableName, row: object): void;
  remove(table: TableName, row: object): void;
  record(
    valueType: string,
    intent: string,
    key: string,
    value: Record<string, unknown>,
    el?: ElementInstanceRow | null,
  ): void;
  node(elementId: string): FlowNode;
  activate(node: FlowNode, flowScopeKey: string | null, key?: string): ElementInstanceRow;
  activeChildren(scopeKey: string): ElementInstanceRow[];
  isInnerInstance(el: Pick<ElementInstanceRow, 'flow_scope_key'>): boolean;
}
