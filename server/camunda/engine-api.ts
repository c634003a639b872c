import type { EngineClients } from './clients.js';
import type { TimelineSource } from './timeline.js';

/** What the engine-facing routers need: the official client per user, and where timelines come from. */
export interface EngineApi {
  clients: EngineClients;
  timeline: TimelineSource;
}
