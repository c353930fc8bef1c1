/** The traffic figures the Express throughput goal balances (read by services/rebalance-traffic.ts). */

/** Bytes in and out per second of one broker (CloudWatch AWS/Kafka, Average). */
export interface BrokerTraffic {
  id: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
}
