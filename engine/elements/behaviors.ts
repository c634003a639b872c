import type { BehaviorTable, ElementBehavior } from './behavior.js';
import type { EngineFeature } from '../runtime/feature.js';
import { processBehavior } from './containers/process.js';
import { subProcessBehavior } from './containers/sub-process.js';
import { startEventBehavior } from './events/start-event.js';
import { endEventBehavior } from './events/end-event.js';
import { intermediateThrowEventBehavior } from './events/intermediate-throw-event.js';
import { jobTaskBehavior } from './tasks/job-task.js';
import { scriptTaskBehavior } from './tasks/script-task.js';
import { businessRuleTaskBehavior } from './tasks/business-rule-task.js';
import { userTaskBehavior } from './tasks/user-task.js';
import { passThroughTaskBehavior } from './tasks/pass-through-task.js';
import { exclusiveGatewayBehavior } from './gateways/exclusive-gateway.js';
import { parallelGatewayBehavior } from './gateways/parallel-gateway.js';
import { inclusiveGatewayBehavior } from './gateways/inclusive-gateway.js';
import { multiInstanceBodyBehavior } from './containers/multi-instance-body.js';

/**
 * The core's element kinds: element kind → behaviour (`MULTI_INSTANCE_BODY` for an activity with loop
 * characteristics). Features add theirs (the events: runtime/events/index.ts; the call activity).
 */
const coreBehaviors: ReadonlyArray<[string, ElementBehavior]> = [
  ['PROCESS', processBehavior],
  ['SUB_PROCESS', subProcessBehavior],
  ['START_EVENT', startEventBehavior],
  ['END_EVENT', endEventBehavior],
  ['INTERMEDIATE_THROW_EVENT', intermediateThrowEventBehavior],
  ['SERVICE_TASK', jobTaskBehavior],
  ['SEND_TASK', jobTaskBehavior],
  ['BUSINESS_RULE_TASK', businessRuleTaskBehavior],
  ['SCRIPT_TASK', scriptTaskBehavior],
  ['USER_TASK', userTaskBehavior],
  ['TASK', passThroughTaskBehavior],
  ['MANUAL_TASK', passThroughTaskBehavior],
  ['EXCLUSIVE_GATEWAY', exclusiveGatewayBehavior],
  ['PARALLEL_GATEWAY', parallelGatewayBehavior],
  ['INCLUSIVE_GATEWAY', inclusiveGatewayBehavior],
  ['MULTI_INSTANCE_BODY', multiInstanceBodyBehavior],
];

/**
 * The engine's one behaviour table: the core's kinds, then each feature's in list order (a feature may
 * wrap a kind already there, e.g. the events' variants of END_EVENT). A kind without a behaviour is
 * rejected at deployment. The runtime hands it to every InstanceContext and to deployment validation,
 * so neither the core nor the model imports the behaviours.
 */
export function behaviorTable(features: readonly EngineFeature[]): BehaviorTable {
  const table = new Map<string, ElementBehavior>(coreBehaviors);
  for (const feature of features)
    for (const [type, behavior] of feature.behaviors?.(table) ?? []) table.set(type, behavior);
  return table;
}
