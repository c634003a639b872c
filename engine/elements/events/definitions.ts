import type { Expr, FlowNode, ProcessModel } from '../../model/types.js';
import { expr } from '../../model/parse.js';
import { checkSyntax } from '../../feel/index.js';
import { parseTimer, type TimerKind } from '../../timers/index.js';

/** What the event definitions of a node say, read from the moddle tree (timer, message, signal, error). */

export interface TimerDef {
  kind: TimerKind;
  value: string;
}

export function timerDef(node: FlowNode): TimerDef | undefined {
  const d = node.eventType === 'TIMER' ? node.eventDefinition?.moddle : undefined;
  if (!d) return undefined;
  for (const kind of ['timeDuration', 'timeDate', 'timeCycle'] as const) {
    const body = d[kind]?.body;
    if (typeof body === 'string') return { kind, value: body.trim() };
  }
  return undefined;
}

export interface MessageDef {
  name: Expr;
  correlationKey?: Expr;
}

/** Message catch events and receive tasks: messageRef name + zeebe:subscription correlationKey. */
export function messageDef(node: FlowNode): MessageDef | undefined {
  const ref =
    node.type === 'RECEIVE_TASK'
      ? node.moddle.messageRef
      : node.eventType === 'MESSAGE'
        ? node.eventDefinition?.moddle?.messageRef
        : undefined;
  if (!ref?.name) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle objects are untyped (see model/bpmn-moddle.d.ts)
  const sub = ref.extensionElements?.values?.find((v: any) => v.$type === 'zeebe:Subscription');
  return { name: expr(ref.name)!, correlationKey: expr(sub?.correlationKey) };
}

export function signalName(node: FlowNode): Expr | undefined {
  const ref = node.eventType === 'SIGNAL' ? node.eventDefinition?.moddle?.signalRef : undefined;
  return ref?.name ? expr(ref.name) : undefined;
}

/** The error code of an error event; undefined for a catch-all (no errorRef or no code). */
export function errorCode(node: FlowNode): Expr | undefined {
  const ref = node.eventType === 'ERROR' ? node.eventDefinition?.moddle?.errorRef : undefined;
  return ref?.errorCode ? expr(ref.errorCode) : undefined;
}

/** Is this node an event that waits for a trigger (timer, message, signal)? */
export function isWaitingEvent(node: FlowNode): boolean {
  return (
    node.eventType === 'TIMER' ||
    node.eventType === 'MESSAGE' ||
    node.eventType === 'SIGNAL' ||
    node.type === 'RECEIVE_TASK'
  );
}

function feelErrors(e: Expr | undefined): string[] {
  if (!e || !('feel' in e)) return [];
  const err = checkSyntax(e.feel);
  return err ? [err] : [];
}

/**
 * Deployment checks of a catch event's definition, as Zeebe's validators phrase them. `needsKey`: a
 * correlation key is required (everything but message start events of the process).
 */
export function catchDefinitionErrors(node: FlowNode, needsKey: boolean): string[] {
  if (node.type === 'RECEIVE_TASK' || node.eventType === 'MESSAGE') {
    const m = messageDef(node);
    if (!m) return ['Must reference a message'];
    if (needsKey && (!m.correlationKey || !m.correlationKey.raw.trim())) return ['Must have a message correlation key'];
    return [...feelErrors(m.name), ...feelErrors(m.correlationKey)];
  }
  if (node.eventType === 'TIMER') {
    const t = timerDef(node);
    if (!t || !t.value) return ['Must have a timer definition (timeDuration, timeDate or timeCycle)'];
    if (t.value.startsWith('=')) return feelErrors(expr(t.value));
    const parsed = parseTimer(t.kind, t.value, new Date());
    return parsed.ok ? [] : [parsed.message];
  }
  if (node.eventType === 'SIGNAL') {
    const s = signalName(node);
    return s ? feelErrors(s) : ['Must reference a signal'];
  }
  return [];
}

/** The escalation code of an escalation event; undefined for a catch-all (no escalationRef or no code). */
export function escalationCode(node: FlowNode): Expr | undefined {
  const ref = node.eventType === 'ESCALATION' ? node.eventDefinition?.moddle?.escalationRef : undefined;
  return ref?.escalationCode ? expr(ref.escalationCode) : undefined;
}

/** The link name of a link event (throw and catch pair up by it within one flow scope). */
export function linkName(node: FlowNode): string {
  return node.eventType === 'LINK' ? String(node.eventDefinition?.moddle?.name ?? '').trim() : '';
}

/** The catch link events of the throw's flow scope carrying its name. */
export function linkCatchesOf(node: FlowNode, model: ProcessModel): FlowNode[] {
  const name = linkName(node);
  return [...model.nodes.values()].filter(
    (n) =>
      n.type === 'INTERMEDIATE_CATCH_EVENT' &&
      n.eventType === 'LINK' &&
      n.parentId === node.parentId &&
      linkName(n) === name,
  );
}
