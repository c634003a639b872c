import type { FlowNode } from '../model/types.js';
import type { ElementInstanceRow, VariableRow } from '../store/rows.js';
import type { UnitOfWork } from './unit-of-work.js';
import { inputMappings, outputMappings } from './expressions.js';

/**
 * The variable scopes of an instance (Zeebe's rules): a scope is the process instance or an element
 * instance; reads see the scope chain up to the root, inner scopes shadowing outer ones; propagation
 * writes each variable to the nearest scope defining it, else to the root.
 */
export class Variables {
  /** Variable rows by scope key, then name. */
  readonly byScope = new Map<string, Map<string, VariableRow>>();
  /** Job / user-task completion variables awaiting the element's output mappings (Zeebe's temporary variables). */
  readonly temporary = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly ctx: UnitOfWork,
    rows: VariableRow[],
  ) {
    for (const v of rows) this.scope(v.scope_key).set(v.name, v);
  }

  private scope(scopeKey: string): Map<string, VariableRow> {
    let m = this.byScope.get(scopeKey);
    if (!m) this.byScope.set(scopeKey, (m = new Map()));
    return m;
  }

  /** Scope chain from the given scope up to the process instance (root last). */
  scopeChain(scopeKey: string): string[] {
    const { pi, elements } = this.ctx;
    const chain: string[] = [];
    let k: string | null = scopeKey;
    while (k) {
      chain.push(k);
      if (k === pi.key) break;
      const el = elements.get(k);
      k = el?.flow_scope_key ?? pi.key;
    }
    return chain;
  }

  /** All variables visible from a scope, inner scopes shadowing outer ones. */
  visible(scopeKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.scopeChain(scopeKey).reverse()) {
      for (const [name, v] of this.byScope.get(k) ?? []) out[name] = JSON.parse(v.value);
    }
    return out;
  }

  local(scopeKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, v] of this.byScope.get(scopeKey) ?? []) out[name] = JSON.parse(v.value);
    return out;
  }

  setLocal(scopeKey: string, name: string, value: unknown, el?: ElementInstanceRow | null): void {
    const ctx = this.ctx;
    const json = JSON.stringify(value === undefined ? null : value);
    const vars = this.scope(scopeKey);
    const existing = vars.get(name);
    const recordEl = el ?? ctx.elements.get(scopeKey) ?? null;
    if (existing) {
      if (existing.value === json) return;
      existing.value = json;
      ctx.save('variable', existing);
      ctx.record('VARIABLE', 'UPDATED', existing.key, { name, value: json, scopeKey }, recordEl);
      return;
    }
    const row: VariableRow = {
      key: ctx.nextKey(),
      name,
      value: json,
      scope_key: scopeKey,
      process_instance_key: ctx.pi.key,
      process_definition_key: ctx.pi.process_definition_key,
      bpmn_process_id: ctx.pi.bpmn_process_id,
      tenant_id: ctx.pi.tenant_id,
    };
    vars.set(name, row);
    ctx.save('variable', row);
    ctx.record('VARIABLE', 'CREATED', row.key, { name, value: json, scopeKey }, recordEl);
  }

  /** Zeebe's propagation: each variable goes to the nearest scope (from scopeKey up) defining it, else the root. */
  propagate(scopeKey: string, doc: Record<string, unknown>): void {
    const chain = this.scopeChain(scopeKey);
    for (const [name, value] of Object.entries(doc)) {
      const target = chain.find((k) => this.byScope.get(k)?.has(name)) ?? this.ctx.pi.key;
      this.setLocal(target, name, value);
    }
  }

  setLocalDocument(scopeKey: string, doc: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(doc)) this.setLocal(scopeKey, name, value);
  }

  /**
   * Where io mappings read (inputs) and write (outputs): the flow scope, except for an inner
   * multi-instance instance, which uses its own scope to reach its input/output element (Zeebe).
   */
  mappingScopeKey(el: ElementInstanceRow): string {
    return this.ctx.isInnerInstance(el) ? el.key : (el.flow_scope_key ?? this.ctx.pi.key);
  }

  /** The element's `zeebe:input` mappings become its local variables. */
  applyInputMappings(el: ElementInstanceRow, node: FlowNode): void {
    const doc = inputMappings(node.inputs, this.visible(this.mappingScopeKey(el)), this.ctx.now);
    for (const [name, value] of Object.entries(doc)) this.setLocal(el.key, name, value, el);
  }

  /** Temporary variables (local with output mappings, else propagated), then the output mappings. */
  applyOutputMappings(el: ElementInstanceRow, node: FlowNode): void {
    if (el.element_type === 'MULTI_INSTANCE_BODY') return; // the inner instances apply the element's mappings
    const temp = this.temporary.get(el.key);
    if (temp) {
      this.temporary.delete(el.key);
      if (node.hasOutputMappings) this.setLocalDocument(el.key, temp);
      else this.propagate(el.key, temp);
    }
    if (node.hasOutputMappings) {
      const scopeKey = this.mappingScopeKey(el);
      const outer = this.visible(scopeKey);
      const doc = outputMappings(node.outputs, this.visible(el.key), (name) => outer[name], this.ctx.now);
      this.propagate(scopeKey, doc);
    }
  }
}
