import type { EngineFeature } from '../feature.js';
import { eventBehaviors } from '../../elements/events/index.js';
import { eventRoutes } from '../../http/routes/events.js';
import { openAttachedSubscriptions, closeAttachedSubscriptions } from './hooks.js';
import { catchError } from './catch-error.js';
import { compensationHooks } from './compensation.js';
import { EventScheduler } from './scheduler.js';

/**
 * The event side of the engine as one feature (runtime/feature.ts), everything it installs in one place:
 * - behaviours: catch, throw, boundary and event start events, receive task, event-based gateway, event
 *   sub-process (elements/events/index.ts), wrapping the core's none start / end / throw events;
 * - hooks: subscriptions of boundary events and event sub-processes opened on activation and closed on
 *   completion (hooks.ts), BPMN errors caught (catch-error.ts), compensation subscriptions (compensation.ts);
 * - per runtime: the scheduler (timers, buffered messages, expiry, the signal outbox) and the after-commit
 *   port behaviours and the clock routes wake it through (`rt.hooks.events`, port.ts);
 * - routes: /v2/clock, /v2/messages/{publication,correlation}, /v2/signals/broadcast.
 */
export const eventsFeature: EngineFeature = {
  name: 'events',
  behaviors: eventBehaviors,
  hooks: {
    onActivating: [openAttachedSubscriptions],
    onCompleting: [closeAttachedSubscriptions, compensationHooks.onCompleting],
    catchError: [catchError],
    onProcessEnd: [compensationHooks.onProcessEnd],
  },
  parts(rt) {
    const scheduler = new EventScheduler(rt);
    const wake = () => scheduler.wake();
    return {
      scheduler,
      events: { timersChanged: wake, subscriptionsOpened: wake, signalsThrown: wake, clockMoved: wake },
    };
  },
  routes: eventRoutes,
};
