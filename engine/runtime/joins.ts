import type { FlowNode, SequenceFlow } from '../model/types.js';
import type { RecordRow, TakenFlowRow } from '../store/rows.js';
import type { UnitOfWork } from './unit-of-work.js';

export function takenKey(scope: string, gateway: string, flow: string): string {
  return `${scope}|${gateway}|${flow}`;
}

/**
 * Sequence flows and the tokens waiting at joining gateways of an instance (`engine.taken_flow`).
 * A parallel join fires when every incoming flow was taken at least once in the flow-scope instance
 * (surplus tokens wait for the next round: Zeebe's rule); an inclusive join when each incoming flow
 * was taken or can no longer be reached from an active element of the scope.
 */
export class Joins {
  /** Tokens waiting at joins, by takenKey(flow scope, gateway, flow). */
  readonly taken = new Map<string, TakenFlowRow>();

  constructor(
    private readonly ctx: UnitOfWork,
    rows: TakenFlowRow[],
  ) {
    for (const t of rows) this.taken.set(takenKey(t.flow_scope_key, t.gateway_id, t.flow_id), t);
  }

  /** Takes flows out of a completed element: records them and activates their targets (or joins). */
  takeFlows(scopeKey: string, flows: SequenceFlow[]): void {
    const ctx = this.ctx;
    for (const flow of flows) {
      ctx.records.push(this.flowRecord(flow, ctx.nextKey(), scopeKey));
      const target = ctx.node(flow.targetId);
      if ((target.type === 'PARALLEL_GATEWAY' || target.type === 'INCLUSIVE_GATEWAY') && target.incoming.length > 1) {
        this.arrive(target, flow, scopeKey);
      } else {
        ctx.activate(target, scopeKey);
      }
    }
  }

  /** Tokens waiting at joining gateways of a flow scope (Zeebe keeps the scope open for them). */
  waitingTokens(scopeKey: string): number {
    let n = 0;
    for (const t of this.taken.values()) if (t.flow_scope_key === scopeKey) n += t.count;
    return n;
  }

  /** Fires a joining gateway once, consuming one token per incoming flow, if its rule is satisfied. */
  tryFire(gateway: FlowNode, scopeKey: string): boolean {
    const taken = gateway.incoming.filter(
      (f) => (this.taken.get(takenKey(scopeKey, gateway.id, f.id))?.count ?? 0) > 0,
    );
    if (!taken.length) return false;
    let ready: boolean;
    if (gateway.type === 'PARALLEL_GATEWAY') ready = taken.length === gateway.incoming.length;
    else ready = gateway.incoming.every((f) => taken.includes(f) || !this.canStillReach(f, scopeKey, gateway.id));
    if (!ready) return false;
    for (const f of taken) {
      const k = takenKey(scopeKey, gateway.id, f.id);
      const t = this.taken.get(k)!;
      t.count -= 1;
      if (t.count === 0) {
        this.taken.delete(k);
        this.ctx.remove('taken_flow', t);
      } else this.ctx.save('taken_flow', t);
    }
    this.ctx.activate(gateway, scopeKey);
    return true;
  }

  /** Drops the tokens waiting at joins of a scope (terminate end event, terminated scope). */
  clear(scopeKey: string): void {
    for (const [k, t] of this.taken)
      if (t.flow_scope_key === scopeKey) {
        this.taken.delete(k);
        this.ctx.remove('taken_flow', t);
      }
  }

  /** Re-checks inclusive joins of a scope after a path ended (a token that can no longer arrive). */
  recheckInclusive(scopeKey: string): void {
    const gateways = new Set<string>();
    for (const t of this.taken.values()) if (t.flow_scope_key === scopeKey && t.count > 0) gateways.add(t.gateway_id);
    for (const g of gateways) {
      const node = this.ctx.node(g);
      if (node.type === 'INCLUSIVE_GATEWAY') this.tryFire(node, scopeKey);
    }
  }

  private arrive(gateway: FlowNode, flow: SequenceFlow, scopeKey: string): void {
    const k = takenKey(scopeKey, gateway.id, flow.id);
    let t = this.taken.get(k);
    if (!t) {
      t = {
        process_instance_key: this.ctx.pi.key,
        flow_scope_key: scopeKey,
        gateway_id: gateway.id,
        flow_id: flow.id,
        count: 0,
      };
      this.taken.set(k, t);
    }
    t.count += 1;
    this.ctx.save('taken_flow', t);
    // Inclusive joins may become ready later, when other paths end: re-checked in recheckInclusive.
    this.ctx.queue.push({ kind: 'join', el: this.ctx.elements.get(scopeKey)!, gatewayId: gateway.id });
  }

  /** Inclusive join: can any active element (or waiting token) of the scope still reach this flow? */
  private canStillReach(flow: SequenceFlow, scopeKey: string, gatewayId: string): boolean {
    const starts: string[] = this.ctx.activeChildren(scopeKey).map((e) => e.element_id);
    for (const t of this.taken.values())
      if (t.flow_scope_key === scopeKey && t.gateway_id !== gatewayId && t.count > 0) starts.push(t.gateway_id);
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === flow.sourceId) return true;
      if (seen.has(id) || id === gatewayId) continue;
      seen.add(id);
      const n = this.ctx.model.nodes.get(id);
      if (!n) continue;
      for (const o of n.outgoing) stack.push(o.targetId);
      for (const b of n.boundaryEventIds) stack.push(b);
    }
    return false;
  }

  private flowRecord(flow: SequenceFlow, key: string, scopeKey: string): RecordRow {
    const { pi } = this.ctx;
    return {
      key,
      value_type: 'PROCESS_INSTANCE',
      intent: 'SEQUENCE_FLOW_TAKEN',
      process_instance_key: pi.key,
      element_instance_key: key,
      flow_scope_key: scopeKey,
      element_id: flow.id,
      element_type: 'SEQUENCE_FLOW',
      process_definition_key: pi.process_definition_key,
      bpmn_process_id: pi.bpmn_process_id,
      version: pi.version,
      tenant_id: pi.tenant_id,
      actor: this.ctx.actor,
      timestamp: this.ctx.now,
      value: {
        bpmnElementType: 'SEQUENCE_FLOW',
        elementId: flow.id,
        flowScopeKey: scopeKey,
        sourceElementId: flow.sourceId,
        targetElementId: flow.targetId,
      },
    };
  }
}
