import type { FlowNode } from '../model/types.js';
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
]);

export function registerBehavior(elementType: string, behavior: ElementBehavior): void {
  behaviors.set(elementType, behavior);
}

export function findBehavior(node: FlowNode): ElementBehavior | undefined {
  return behaviors.get(node.type);
}

export function behaviorOf(node: FlowNode): ElementBehavior {
  const b = behaviors.get(node.type);
  if (!b) throw new Error(`no behaviour for ${node.type} (${node.id})`);
  return b;
}
