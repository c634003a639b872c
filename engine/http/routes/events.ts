import type { RouteModule } from '../route-module.js';
import { clockRoutes } from './clock.js';
import { messageRoutes } from './messages.js';
import { signalRoutes } from './signals.js';

/** The event side's /v2 routes: clock, messages, signals. */
export const eventRoutes: RouteModule[] = [clockRoutes, messageRoutes, signalRoutes];
