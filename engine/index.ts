import type Koa from 'koa';
import { createStore } from './store/pool.js';
import { Runtime } from './runtime/runtime.js';
import { createHttp } from './http/router.js';
import { behaviorTable } from './elements/behaviors.js';
import { installFeatures, featureRoutes, type EngineFeature } from './runtime/feature.js';
import { callActivityFeature } from './elements/containers/call-activity.js';
import { eventsFeature } from './runtime/events/index.js';
import { adHocSubProcessFeature } from './runtime/ad-hoc-feature.js';
import { batchOperationsFeature } from './runtime/batch-operations-feature.js';
import type { Logger } from './runtime/logger.js';
import type { Principal } from './authz/principal.js';
import type { IdentityDirectory } from './authz/directory.js';
import type { DocumentStore } from './document-store/store.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './document-store/documents.js';

export type { Logger } from './runtime/logger.js';
export type { Principal } from './authz/principal.js';
// Which permission types each resource type takes: the identity API validates with it, the admin screen offers it.
export { PERMISSIONS_BY_RESOURCE } from './authz/permissions.js';
export {
  DirectoryError,
  type DirectoryErrorKind,
  type DirectoryPage,
  type DirectoryQuery,
  type DirectoryRole,
  type DirectoryUser,
  type IdentityDirectory,
  type NewDirectoryUser,
  type RoleField,
  type TextCondition,
  type UserField,
} from './authz/directory.js';
// Query side: the auditors' timeline, read from the append-only record log (usable without /v2).
export {
  createTimelineReader,
  readTimeline,
  type Timeline,
  type TimelineEntry,
  type ElementSpan,
} from './store/timeline/timeline.js';

// The document stores (Camunda's document handling): the interface, the local one under a data directory, S3.
export type { DocumentStore, StoredContent } from './document-store/store.js';
export { FilesystemDocumentStore } from './document-store/filesystem-store.js';
export { S3DocumentStore, type S3DocumentStoreOptions } from './document-store/s3-store.js';

export interface EngineOptions {
  /** PostgreSQL URL; the `engine` schema must be migrated (db/migrations/0002_engine.ts). */
  databaseUrl: string;
  /** pino-like logger; silent if absent. */
  logger?: Logger;
  /**
   * 'basic': every /v2 request needs HTTP Basic credentials that `authenticate` turns into a principal, whose
   * permissions come from the engine's authorization rows. 'none': local development only, everything allowed.
   */
  auth: 'basic' | 'none';
  authenticate?: (user: string, password: string) => Promise<Principal | null>;
  /** Lets PUT /v2/clock and POST /v2/clock/reset move the clock (Camunda's ZEEBE_CLOCK_CONTROLLED); default off. */
  clockControlled?: boolean;
  /** The host's users and roles behind /v2/users and /v2/roles (absent: those endpoints answer 404). */
  identity?: IdentityDirectory;
  /** Runaway-loop guard: steps an instance may take without reaching a wait state (default 100,000; Infinity: none). */
  maxStepsWithoutWait?: number;
  /** Steps of an instance one transaction runs before the rest continues in a follow-up (default 1,000). */
  stepsPerTransaction?: number;
  /**
   * Where /v2/documents keeps contents, and the largest upload in bytes (default 10 MiB); absent: no documents API.
   * Metadata is in engine.document.
   */
  documents?: { store: DocumentStore; maxBytes?: number };
  /** Connection pool size (default 10). */
  poolSize?: number;
}

export interface Engine {
  /** Serves /v2/* (Camunda 8.8 Orchestration Cluster REST API subset); calls next() for anything else. */
  middleware: Koa.Middleware;
  /** Starts schedulers (job deadlines, back-offs, timers) and the cross-process notification listener. */
  start(): Promise<void>;
  /** Stops schedulers, answers open long polls, closes the pool. */
  stop(): Promise<void>;
}

/**
 * What the engine installs beyond its core, in this order (runtime/feature.ts): each adds element kinds to the
 * behaviour table, hooks (a call activity's catch hook runs before the events'), per-runtime parts and routes.
 */
const FEATURES: readonly EngineFeature[] = [
  callActivityFeature,
  eventsFeature,
  adHocSubProcessFeature,
  batchOperationsFeature,
];

/** The one public entry point of the embedded engine. */
export function createEngine(options: EngineOptions): Engine {
  if (options.auth === 'basic' && !options.authenticate)
    throw new Error("createEngine: auth 'basic' needs an authenticate callback");
  const store = createStore(options.databaseUrl, options.poolSize ?? 10);
  const runtime = new Runtime(store, behaviorTable(FEATURES), options.logger, {
    maxStepsWithoutWait: options.maxStepsWithoutWait,
    stepsPerTransaction: options.stepsPerTransaction,
  });
  installFeatures(runtime, FEATURES);
  const middleware = createHttp(
    runtime,
    {
      auth: options.auth,
      authenticate: options.authenticate,
      clockControlled: options.clockControlled ?? false,
      identity: options.identity,
      documents: options.documents && {
        store: options.documents.store,
        maxBytes: options.documents.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
      },
    },
    featureRoutes(FEATURES),
  );
  return {
    middleware,
    start: () => runtime.start(),
    stop: () => runtime.stop(),
  };
}
