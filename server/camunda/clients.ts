import crypto from 'node:crypto';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createCamundaClient, type EngineConnection } from '../../platform/engine-client.js';

/** The password with which the server acts for `username` on the embedded engine: an HMAC under a per-process secret. */
export function delegatedPassword(secret: string, username: string): string {
  return crypto.createHmac('sha256', secret).update(username).digest('base64url');
}

export function isDelegatedPassword(secret: string, username: string, password: string): boolean {
  const a = Buffer.from(delegatedPassword(secret, username));
  const b = Buffer.from(password);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Hands out the official client for the signed-in user's requests to /v2. */
export interface EngineClients {
  forUser(username: string): CamundaClient;
  /** The server's own identity, for reads nobody signed in asks for (the public case status page). */
  service?(): CamundaClient;
}

/**
 * Embedded engine: one client per user, authenticating as that user with a delegated password, so the record log
 * names the clerk who claimed or completed a task. External Camunda cluster: one client with the configured
 * credentials (the cluster's own audit shows the service identity; the task's assignee names the person).
 */
export function engineClients(
  conn: EngineConnection,
  delegation?: { secret: string },
  extra: Record<string, string> = {},
): EngineClients {
  const shared = createCamundaClient(conn, { CAMUNDA_SDK_LOG_LEVEL: 'silent', ...extra });
  if (!delegation) return { forUser: () => shared, service: () => shared };
  const clients = new Map<string, CamundaClient>();
  return {
    service: () => shared,
    forUser(username) {
      let client = clients.get(username);
      if (!client) {
        client = createCamundaClient(
          {
            restAddress: conn.restAddress,
            auth: { strategy: 'BASIC', username, password: delegatedPassword(delegation.secret, username) },
          },
          { CAMUNDA_SDK_LOG_LEVEL: 'silent', ...extra },
        );
        clients.set(username, client);
      }
      return client;
    },
  };
}
