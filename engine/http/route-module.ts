import type Router from '@koa/router';
import type { Runtime } from '../runtime/runtime.js';
import type { AuthOptions } from './auth.js';
import type { IdentityDirectory } from '../authz/directory.js';
import type { DocumentStore } from '../document-store/store.js';

export interface HttpOptions extends AuthOptions {
  /** PUT /v2/clock and POST /v2/clock/reset exist only then (Camunda's ZEEBE_CLOCK_CONTROLLED). */
  clockControlled?: boolean;
  /** The host's users and roles for /v2/users and /v2/roles; without it those endpoints do not exist. */
  identity?: IdentityDirectory;
  /** The document store behind /v2/documents and its upload limit; without one those endpoints do not exist. */
  documents?: { store: DocumentStore; maxBytes: number };
}

/**
 * Route modules add their routes to the /v2 router (router.ts lists the core's; the query side and the
 * events feature add theirs). A leaf module, so routes and the router do not import each other.
 */
export type RouteModule = (router: Router, rt: Runtime, opts: HttpOptions) => void;
