import type { BehaviorTable, ElementBehavior } from '../elements/behavior.js';
import type { RouteModule } from '../http/route-module.js';
import type { RuntimeHooks } from './context.js';
import type { EventsPort } from './events/port.js';
import type { Runtime, Scheduler } from './runtime.js';

/** The runtime hooks a feature adds (appended after those of the features installed before it). */
export type FeatureHooks = Partial<Omit<RuntimeHooks, 'events'>>;

/** What a feature runs per runtime: background work started and stopped with it, its after-commit port. */
export interface FeatureParts {
  scheduler?: Scheduler;
  /** What behaviours reach after their commit (`rt.hooks.events`, events/port.ts). */
  events?: EventsPort;
}

/**
 * A feature of the engine beyond the core lifecycle (events, call activities), declared in one object
 * the way a bpmn-js module declares what it installs: the element kinds it adds to the behaviour table,
 * its runtime hooks, its per-runtime parts and its /v2 routes. `createEngine` (engine/index.ts) builds
 * the behaviour table from the core's and every feature's (`elements/behaviors.ts`), then installs each
 * feature on the runtime (`installFeatures`) and hands their routes to the router — in list order.
 */
export interface EngineFeature {
  readonly name: string;
  /** Element kinds it adds, given the table so far (to wrap a core kind, e.g. an event variant of END_EVENT). */
  readonly behaviors?: (table: BehaviorTable) => Array<[string, ElementBehavior]>;
  readonly hooks?: FeatureHooks;
  /** Its per-runtime parts (a scheduler, the events port), created when it is installed. */
  readonly parts?: (rt: Runtime) => FeatureParts;
  readonly routes?: readonly RouteModule[];
}

/** Installs features on a runtime in list order: hooks appended, schedulers registered, ports set. */
export function installFeatures(rt: Runtime, features: readonly EngineFeature[]): void {
  for (const feature of features) {
    const hooks = feature.hooks ?? {};
    if (hooks.catchError) rt.hooks.catchError.push(...hooks.catchError);
    if (hooks.onTerminate) rt.hooks.onTerminate.push(...hooks.onTerminate);
    if (hooks.onProcessEnd) rt.hooks.onProcessEnd.push(...hooks.onProcessEnd);
    if (hooks.onActivating) (rt.hooks.onActivating ??= []).push(...hooks.onActivating);
    if (hooks.onCompleting) (rt.hooks.onCompleting ??= []).push(...hooks.onCompleting);
    const parts = feature.parts?.(rt) ?? {};
    if (parts.scheduler) rt.schedulers.push(parts.scheduler);
    if (parts.events) rt.hooks.events = parts.events;
  }
}

/** The routes of the features, in list order (for createHttp). */
export function featureRoutes(features: readonly EngineFeature[]): RouteModule[] {
  return features.flatMap((f) => f.routes ?? []);
}
