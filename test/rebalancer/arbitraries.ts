import fc from 'fast-check';
import type { ClusterSnapshot, SnapshotBroker, SnapshotPartition } from '../../src/domain/snapshot.js';

/**
 * Random small clusters for property tests: 3–20 brokers, with 2–4 racks or none, capacities
 * known or not, RF 1–3, skewed placement (some topics only on a subset of brokers) and sizes from
 * tiny to large. Shrinks to small counter-examples.
 */
export const snapshotArb: fc.Arbitrary<ClusterSnapshot> = fc
  .record({
    brokers: fc.integer({ min: 3, max: 20 }),
    racks: fc.constantFrom(0, 2, 3, 4),
    capacity: fc.boolean(),
    rf: fc.integer({ min: 1, max: 3 }),
    skew: fc.integer({ min: 1, max: 20 }),
  })
  .chain(({ brokers, racks, capacity, rf, skew }) => {
    const ids = Array.from({ length: brokers }, (_, i) => i + 1);
    // Skew: partitions are placed on the first `hot` brokers only, so most plans have work to do.
    const hot = Math.max(rf, Math.min(brokers, skew));
    const partition = fc.record({
      replicas: fc.shuffledSubarray(ids.slice(0, hot), { minLength: rf, maxLength: rf }),
      sizeBytes: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 1_000, max: 5_000_000 })),
    });
    return fc.array(partition, { minLength: 1, maxLength: 80 }).map((ps): ClusterSnapshot => {
      const parts: SnapshotPartition[] = ps.map((p, i) => ({
        topic: `t${i % 5}`,
        partition: Math.floor(i / 5),
        replicas: p.replicas,
        leader: p.replicas[0]!,
        sizeBytes: p.sizeBytes,
      }));
      const total = parts.reduce((s, p) => s + p.sizeBytes * p.replicas.length, 0);
      const bs: SnapshotBroker[] = ids.map((id) => ({
        id,
        ...(racks ? { rack: `r${id % racks}` } : {}),
        ...(capacity ? { capacityBytes: Math.max(1, Math.ceil((4 * total) / brokers)) + 5_000_000 } : {}),
      }));
      return {
        version: 1,
        cluster: 'prop',
        capturedAt: '2026-11-22T00:00:00Z',
        brokers: bs,
        partitions: parts,
      };
    });
  });
