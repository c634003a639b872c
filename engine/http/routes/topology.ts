import type { RouteModule } from '../route-module.js';

export const ENGINE_VERSION = '8.8.0';

/** One broker, one partition: what the client expects from a single-node Camunda 8.8. */
export const topologyRoutes: RouteModule = (router) => {
  router.get('/topology', (ctx) => {
    ctx.body = {
      brokers: [
        {
          nodeId: 0,
          host: '127.0.0.1',
          port: 26501,
          partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
          version: ENGINE_VERSION,
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: ENGINE_VERSION,
      lastCompletedChangeId: '-1',
    };
  });
  router.get('/status', (ctx) => {
    ctx.status = 204;
  });
};
