import type { BehaviorTable, ElementBehavior } from '../behavior.js';
import { byEventType } from './dispatch.js';
import { eventStartEventBehavior } from './event-start-event.js';
import { intermediateCatchEventBehavior } from './intermediate-catch-event.js';
import { boundaryEventBehavior } from './boundary-event.js';
import { errorEndEventBehavior } from './error-end-event.js';
import { signalThrowEventBehavior } from './signal-throw-event.js';
import { messageThrowEventBehavior } from './message-throw-event.js';
import { escalationThrowEventBehavior } from './escalation-throw-event.js';
import { linkThrowEventBehavior } from './link-throw-event.js';
import { linkCatchEventBehavior } from './link-catch-event.js';
import { compensationThrowEventBehavior } from './compensation-throw-event.js';
import { compensationBoundaryEventBehavior } from './compensation-boundary-event.js';
import { receiveTaskBehavior } from '../tasks/receive-task.js';
import { eventBasedGatewayBehavior } from '../gateways/event-based-gateway.js';
import { eventSubProcessBehavior } from '../containers/event-sub-process.js';

/**
 * The event side's behaviours (installed by the events feature, runtime/events/index.ts). Kinds the core already handles for their none variant (start, end,
 * intermediate throw) keep the core behaviour for NONE/TERMINATE and get the event variants here.
 */
export function eventBehaviors(core: BehaviorTable): Array<[string, ElementBehavior]> {
  const base = (type: string) => core.get(type)!;
  return [
    [
      'START_EVENT',
      byEventType(base('START_EVENT'), {
        MESSAGE: eventStartEventBehavior,
        TIMER: eventStartEventBehavior,
        SIGNAL: eventStartEventBehavior,
        ERROR: eventStartEventBehavior,
        ESCALATION: eventStartEventBehavior,
      }),
    ],
    [
      'END_EVENT',
      byEventType(base('END_EVENT'), {
        ERROR: errorEndEventBehavior,
        SIGNAL: signalThrowEventBehavior,
        MESSAGE: messageThrowEventBehavior,
        ESCALATION: escalationThrowEventBehavior,
        COMPENSATION: compensationThrowEventBehavior,
      }),
    ],
    [
      'INTERMEDIATE_THROW_EVENT',
      byEventType(base('INTERMEDIATE_THROW_EVENT'), {
        SIGNAL: signalThrowEventBehavior,
        MESSAGE: messageThrowEventBehavior,
        ESCALATION: escalationThrowEventBehavior,
        LINK: linkThrowEventBehavior,
        COMPENSATION: compensationThrowEventBehavior,
      }),
    ],
    ['INTERMEDIATE_CATCH_EVENT', byEventType(intermediateCatchEventBehavior, { LINK: linkCatchEventBehavior })],
    ['BOUNDARY_EVENT', byEventType(boundaryEventBehavior, { COMPENSATION: compensationBoundaryEventBehavior })],
    ['RECEIVE_TASK', receiveTaskBehavior],
    ['EVENT_BASED_GATEWAY', eventBasedGatewayBehavior],
    ['EVENT_SUB_PROCESS', eventSubProcessBehavior],
  ];
}
