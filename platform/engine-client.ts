import { createCamundaClient as createClient, type CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Config } from './config.js';

export interface EngineConnection {
  restAddress: string;
  auth:
    | { strategy: 'NONE' }
    | { strategy: 'BASIC'; username: string; password: string }
    | { strategy: 'OAUTH'; clientId: string; clientSecret: string; oauthUrl: string };
}

/**
 * The official Orchestration Cluster API client (the one @camunda8/sdk 8.8 carries), configured explicitly: it
 * reads its environment once at creation, so passing everything here keeps a worker process independent of
 * whatever else is in its environment. `extra` takes further client settings (e.g. CAMUNDA_SDK_VALIDATION in tests).
 */
export function createCamundaClient(conn: EngineConnection, extra: Record<string, string> = {}): CamundaClient {
  const auth = conn.auth;
  const config = {
    CAMUNDA_REST_ADDRESS: conn.restAddress,
    CAMUNDA_AUTH_STRATEGY: auth.strategy,
    ...(auth.strategy === 'BASIC'
      ? { CAMUNDA_BASIC_AUTH_USERNAME: auth.username, CAMUNDA_BASIC_AUTH_PASSWORD: auth.password }
      : {}),
    ...(auth.strategy === 'OAUTH'
      ? { CAMUNDA_CLIENT_ID: auth.clientId, CAMUNDA_CLIENT_SECRET: auth.clientSecret, CAMUNDA_OAUTH_URL: auth.oauthUrl }
      : {}),
  };
  // The client's default (BALANCED) backpressure gives 16 permits shared by every request, and a job
  // worker's long poll holds one for its whole wait: with more job types than permits, the workers
  // beyond the 16th never poll and their jobs wait forever. LEGACY observes backpressure without gating.
  const gating = { CAMUNDA_SDK_BACKPRESSURE_PROFILE: 'LEGACY' };
  // `config` is typed by the client's own settings schema; every key set here is one of its documented variables.
  return createClient({ config: { ...config, ...gating, ...extra } as never });
}

/** The connection the configuration describes (CAMUNDA_* variables), to `restAddress`. */
export function engineConnection(config: Config, restAddress: string): EngineConnection {
  switch (config.CAMUNDA_AUTH_STRATEGY) {
    case 'BASIC':
      return {
        restAddress,
        auth: {
          strategy: 'BASIC',
          username: config.CAMUNDA_BASIC_AUTH_USERNAME ?? '',
          password: config.CAMUNDA_BASIC_AUTH_PASSWORD ?? '',
        },
      };
    case 'OAUTH':
      return {
        restAddress,
        auth: {
          strategy: 'OAUTH',
          clientId: config.CAMUNDA_CLIENT_ID ?? '',
          clientSecret: config.CAMUNDA_CLIENT_SECRET ?? '',
          oauthUrl: config.CAMUNDA_OAUTH_URL ?? '',
        },
      };
    default:
      return { restAddress, auth: { strategy: 'NONE' } };
  }
}
