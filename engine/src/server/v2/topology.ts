/**
 * `GET /v2/topology`: Baton as a cluster of one broker with one partition, its version as the
 * broker's and the gateway's. `GET /v2/status`: `204` while the engine and its database answer.
 * `GET /v2/license`: Baton needs no licence (MIT), so it is always valid and not commercial.
 */
import type { V2Context } from './context.js';

export function topologyRoutes({ router, engine, version }: V2Context): void {
  router.get('/topology', 'viewer', (req, res) => {
    const host = req.hostname || 'localhost';
    const port = Number(req.socket.localPort ?? 0);
    res.json({
      brokers: [
        { nodeId: 0, host, port, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }], version },
      ],
      clusterId: null,
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: version,
      lastCompletedChangeId: '-1',
    });
  });

  // Baton is open source (MIT): no Camunda licence is needed or checked
  router.get('/license', 'viewer', (_req, res) => {
    res.json({ validLicense: true, licenseType: 'baton-mit', isCommercial: false, expiresAt: null });
  });

  router.get('/status', 'public', async (_req, res) => {
    await engine.health();
    res.status(204).end();
  });
}
