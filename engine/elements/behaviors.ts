import type { BehaviorTable, ElementBehavior } from './behavior.js';
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
 * The engine's one behaviour table: element kind → behaviour (`MULTI_INSTANCE_BODY` for an activity
 * with loop characteristics). The event side adds its kinds and event variants (events/index.ts). A kind
 * without a behaviour is rejected at deployment. The runtime hands it to every InstanceContext and to
 * deployment validation, so neither the core nor the model imports the behaviours.
 */
export const elementBehaviors: BehaviorTable = withEventBehaviors(
  new Map<string, ElementBehavior>([
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
  ]),
);

function withEventBehaviors(table: Map<string, ElementBehavior>): Map<string, ElementBehavior> {
  for (const [type, behavior] of eventBehaviors(table)) table.set(type, behavior);
  return table;
}
