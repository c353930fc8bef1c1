/**
 * An MSK Express cluster for the throughput goal's tests: 6 brokers over 3 racks, 36 partitions of
 * 1 GB spread evenly (RF 3), so only traffic can make a broker hot.
 */
import type { ClusterSnapshot } from '../../src/domain/snapshot.js';

export function expressCluster(cluster = 'express-1', capturedAt = '2026-12-07T00:00:00Z'): ClusterSnapshot {
  const brokers = [1, 2, 3, 4, 5, 6].map((id) => ({ id, rack: `use1-az${((id - 1) % 3) + 1}` }));
  const partitions = Array.from({ length: 36 }, (_, i) => {
    const a = i % 6;
    const replicas = [a, (a + 1) % 6, (a + 2) % 6].map((x) => x + 1);
    return {
      topic: `t${i % 4}`,
      partition: Math.floor(i / 4),
      replicas,
      leader: replicas[0]!,
      sizeBytes: 1e9,
    };
  });
  return { version: 1, cluster, capturedAt, brokerType: 'express', brokers, partitions } as ClusterSnapshot;
}
