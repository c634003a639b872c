import type { FlowNode } from '../model/types.js';
import type { ElementInstanceRow } from '../store/rows.js';
import type { ElementBehavior } from './behavior.js';
import { processBehavior } from './containers/process.js';
import { subProcessBehavior } from './containers/sub-process.js';
import { startEventBehavior } from './events/start-event.js';
import { endEventBehavior } from './events/end-event.js';
import { intermediateThrowEventBehavior } from './events/intermediate-throw-event.js';
import { jobTaskBehavior } from './tasks/job-task.js';
import { scriptTaskBehavior } from './tasks/script-task.js';
import { userTaskBehavior } from './tasks/user-task.js';
import { passThroughTaskBehavior } from './tasks/pass-through-task.js';
import { exclusiveGatewayBehavior } from './gateways/exclusive-gateway.js';
import { parallelGatewayBehavior } from './gateways/parallel-gateway.js';
import { inclusiveGatewayBehavior } from './gateways/inclusive-gateway.js';
import { eventBehaviors } from './events/index.js';
import { callActivityBehavior } from './containers/call-activity.js';
import { multiInstanceBodyBehavior } from './containers/multi-instance-body.js';

/**
 * Element kind → behaviour. Extensions (timers, messages, boundary events, call activity,
 * multi-instance …) register theirs with registerBehavior() at import time; a kind without a
 * behaviour is rejected at deployment.
 */
const behaviors = new Map<string, ElementBehavior>([
  ['PROCESS', processBehavior],
  ['SUB_PROCESS', subProcessBehavior],
  ['START_EVENT', startEventBehavior],
  ['END_EVENT', endEventBehavior],
  ['INTERMEDIATE_THROW_EVENT', intermediateThrowEventBehavior],
  ['SERVICE_TASK', jobTaskBehavior],
  ['SEND_TASK', jobTaskBehavior],
  ['BUSINESS_RULE_TASK', jobTaskBehavior],
  ['SCRIPT_TASK', scriptTaskBehavior],
  ['USER_TASK', userTaskBehavior],
  ['TASK', passThroughTaskBehavior],
  ['MANUAL_TASK', passThroughTaskBehavior],
  ['EXCLUSIVE_GATEWAY', exclusiveGatewayBehavior],
  ['PARALLEL_GATEWAY', parallelGatewayBehavior],
  ['INCLUSIVE_GATEWAY', inclusiveGatewayBehavior],
  ['CALL_ACTIVITY', callActivityBehavior],
  ['MULTI_INSTANCE_BODY', multiInstanceBodyBehavior],
]);
for (const [type, behavior] of eventBehaviors(behaviors)) behaviors.set(type, behavior);

export function registerBehavior(elementType: string, behavior: ElementBehavior): void {
  behaviors.set(elementType, behavior);
}

export function findBehavior(node: FlowNode): ElementBehavior | undefined {
  return behaviors.get(node.type);
}

/** The behaviour of an element instance: its node's kind, or the multi-instance body that wraps it. */
export function behaviorOf(node: FlowNode, el?: ElementInstanceRow): ElementBehavior {
  const b = behaviors.get(el?.element_type === 'MULTI_INSTANCE_BODY' ? 'MULTI_INSTANCE_BODY' : node.type);
  if (!b) throw new Error(`no behaviour for ${node.type} (${node.id})`);
  return b;
}
