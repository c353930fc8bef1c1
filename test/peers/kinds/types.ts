/**
 * A peer kind: something real a test needs (a Kafka cluster, a Flink cluster, the AWS emulator).
 * Each kind lives in test/peers/kinds/<kind>.ts and default-exports a PeerKind. The peer service
 * starts each (kind, params) once per test run and shares its `info` (plain JSON) with every test
 * file that asks; tests that break a peer on purpose start their own with `start` directly.
 */
export interface StartedPeer<Info> {
  /** Plain JSON describing how to reach the peer (ports, URLs, PIDs). */
  info: Info;
  /** Stops every process of the peer by PID. */
  stop(): Promise<void>;
}

export interface PeerKind<Params, Info> {
  start(params: Params): Promise<StartedPeer<Info>>;
}
