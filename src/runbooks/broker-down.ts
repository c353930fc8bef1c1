/**
 * Runbook: a Kafka broker is down. Diagnose from the live metadata: brokers named in replica
 * lists but absent from the cluster, offline partitions (no leader), under-replicated and
 * under-min-ISR partitions; then offer: bring the broker back (MSK replaces failed brokers
 * itself; self-managed: restart it), or move its replicas to the live brokers (a reassignment
 * that copies every replica it held — possible only while each partition still has a leader).
 */
import { formatBytes } from '../core/output.js';
import type { Severity } from '../core/severity.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';
import { planAndReport } from '../rebalancer/report.js';
import { partitionsResult } from '../services/kafka-monitors.js';
import { clusterConfig } from '../services/kafka-observe.js';
import { captured, executePlan, observe, type RunbookPlan, verifyReassignment } from './kafka-io.js';
import type { FindingLine, Runbook, RunbookOption } from './types.js';

export interface BrokerDownDiagnosis {
  cluster: string;
  brokerType: string;
  mskArn?: string;
  liveBrokers: number[];
  downBrokers: number[];
  controllerId?: number;
  partitions: number;
  offline: string[];
  offlineCount: number;
  underReplicated: number;
  underMinIsr: number;
  /** Replicas the down brokers held, and their bytes. */
  replicasOnDown: number;
  bytesOnDown: number;
  maxReplicationFactor: number;
  /** Moving the down brokers' replicas to the live ones, when possible. */
  drainPlan?: RunbookPlan & { moves: number; movedBytes: number; estimatedDurationMs: number | null };
}

/** Down brokers, offline partitions and what the down brokers held (pure over a live snapshot). */
export function brokerDownFacts(
  snap: ClusterSnapshot & { brokers: Array<{ id: number; offline?: boolean }> },
) {
  const down = new Set(snap.brokers.filter((b) => b.offline).map((b) => b.id));
  const live = snap.brokers.filter((b) => !b.offline).map((b) => b.id);
  // A replica on a broker absent from the brokers list is also down.
  const known = new Set(snap.brokers.map((b) => b.id));
  let replicasOnDown = 0;
  let bytesOnDown = 0;
  let maxRf = 0;
  const offline: string[] = [];
  for (const p of snap.partitions) {
    maxRf = Math.max(maxRf, p.replicas.length);
    for (const r of p.replicas) {
      if (!known.has(r)) down.add(r);
      if (down.has(r) || !known.has(r)) {
        replicasOnDown++;
        bytesOnDown += p.sizeBytes;
      }
    }
    if (p.leader < 0) offline.push(`${p.topic}-${p.partition}`);
  }
  return {
    down: [...down].sort((a, b) => a - b),
    live: live.sort((a, b) => a - b),
    replicasOnDown,
    bytesOnDown,
    maxRf,
    offline,
  };
}

export const brokerDown: Runbook<BrokerDownDiagnosis> = {
  id: 'broker-down',
  title: 'Kafka broker down',
  target: 'cluster',
  when: 'A broker stopped answering: under-replicated or offline partitions, producers failing with acks=all.',
  steps: {
    diagnose: 'Find the down brokers and the partitions they take with them',
    explain: 'Explain the options: bring the broker back or move its replicas',
    confirm: 'Confirm the chosen action',
    act: 'Move the down broker’s replicas to the live brokers (or print the restart steps)',
    verify: 'Follow the reassignment and check that every partition is in sync',
  },

  async diagnose(ctx, cluster) {
    const c = clusterConfig(ctx.config, cluster);
    const obs = await observe(ctx, cluster);
    const snap = captured(obs);
    const facts = brokerDownFacts(snap);
    const parts = partitionsResult({ ...obs, gaps: [] });
    let drainPlan: BrokerDownDiagnosis['drainPlan'];
    if (facts.down.length && facts.offline.length === 0 && facts.live.length >= facts.maxRf) {
      const { report, plan, rollback } = planAndReport(snap, {
        plan: { removeBrokers: facts.down },
        ...(ctx.throttleBytesPerSec ? { throttleBytesPerSec: ctx.throttleBytesPerSec } : {}),
      });
      if (plan.partitions.length)
        drainPlan = {
          plan,
          rollback,
          moves: report.figures.replicaMoves,
          movedBytes: report.figures.movedBytes,
          estimatedDurationMs: report.figures.estimatedDurationMs,
        };
    }
    return {
      cluster: c.name,
      brokerType: obs.brokerType,
      ...(c.msk ? { mskArn: c.msk.arn } : {}),
      liveBrokers: facts.live,
      downBrokers: facts.down,
      controllerId: snap.controllerId,
      partitions: snap.partitions.length,
      offline: facts.offline.slice(0, 10),
      offlineCount: facts.offline.length,
      underReplicated: parts.totals.underReplicated ?? 0,
      underMinIsr: parts.totals.underMinIsr ?? 0,
      replicasOnDown: facts.replicasOnDown,
      bytesOnDown: facts.bytesOnDown,
      maxReplicationFactor: facts.maxRf,
      ...(drainPlan ? { drainPlan } : {}),
    };
  },

  findings(d): FindingLine[] {
    const out: FindingLine[] = [];
    if (d.downBrokers.length)
      out.push({
        severity: 'CRITICAL',
        text: `broker(s) down: ${d.downBrokers.join(', ')} (live: ${d.liveBrokers.join(', ')}); they held ${d.replicasOnDown} replica(s), ${formatBytes(d.bytesOnDown)}`,
      });
    else
      out.push({
        severity: 'OK',
        text: `every broker is up (${d.liveBrokers.join(', ')}; controller ${d.controllerId ?? '?'})`,
      });
    if (d.offlineCount)
      out.push({
        severity: 'CRITICAL',
        text: `${d.offlineCount} partition(s) OFFLINE (no leader): ${d.offline.join(', ')}${d.offlineCount > d.offline.length ? ', …' : ''} — producers and consumers of these fail`,
      });
    const sev = (n: number, s: Severity): Severity => (n > 0 ? s : 'OK');
    out.push({
      severity: sev(d.underMinIsr, 'CRITICAL'),
      text: `${d.underMinIsr} partition(s) under min.insync.replicas (acks=all producers fail)`,
    });
    out.push({
      severity: sev(d.underReplicated, 'WARNING'),
      text: `${d.underReplicated} of ${d.partitions} partition(s) under-replicated`,
    });
    if (!d.downBrokers.length && d.underReplicated)
      out.push({
        severity: 'WARNING',
        text: 'under-replicated partitions without a down broker: a slow follower, a full disk or the network — check `streamctl kafka brokers` and the broker logs',
      });
    const order: Record<Severity, number> = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, OK: 3 };
    return out.sort((a, b) => order[a.severity] - order[b.severity]);
  },

  options: brokerDownOptions,

  async act(ctx, d, option) {
    if (option.id === 'reassign-off' && d.drainPlan) {
      // Throttles are configs set on every broker of a move, the dead one included: it cannot
      // answer and the executor would wait for it. The drain runs unthrottled.
      const { throttleBytesPerSec: _t, ...unthrottled } = ctx;
      return executePlan(unthrottled, d.cluster, `drain-${d.downBrokers.join('-')}`, d.drainPlan, {
        runbook: 'broker-down',
        cluster: d.cluster,
        down: d.downBrokers,
      });
    }
    return {
      summary: option.mode === 'manual' ? 'nothing changed: follow the steps below' : 'nothing changed',
      lines: option.instructions ?? option.consequences,
    };
  },

  async verify(ctx, d, option, act) {
    if (option.id !== 'reassign-off')
      return {
        outcome: 'not-needed',
        summary: 'nothing was changed by streamctl; run the runbook again once the broker is back',
        lines: [],
      };
    return verifyReassignment(ctx, d.cluster, act);
  },
};

/** The options given the diagnosis (pure). */
export function brokerDownOptions(d: BrokerDownDiagnosis): RunbookOption[] {
  const down = d.downBrokers.length > 0;
  const msk = d.brokerType !== 'self-managed';
  const drainReason = !down
    ? 'no broker is down'
    : d.offlineCount > 0
      ? `${d.offlineCount} partition(s) have no leader: there is no live replica to copy from — bring the broker back first`
      : d.liveBrokers.length < d.maxReplicationFactor
        ? `only ${d.liveBrokers.length} live broker(s) for replication factor ${d.maxReplicationFactor}`
        : 'nothing to move';
  return [
    {
      id: 'restart-broker',
      title: msk
        ? 'Bring the broker back: let MSK replace it (or reboot it)'
        : 'Bring the broker back: restart it',
      mode: 'manual',
      destructive: false,
      available: down,
      ...(down ? {} : { unavailableReason: 'no broker is down' }),
      recommended: down,
      consequences: [
        'Its replicas catch up from the leaders; no data is copied to other brokers.',
        msk
          ? 'MSK detects failed brokers and replaces them itself; a reboot restarts one broker (others stay up).'
          : 'If its disk is lost, it comes back empty and re-replicates everything it held.',
      ],
      instructions: msk
        ? [
            `aws kafka list-cluster-operations-v2 --cluster-arn ${d.mskArn ?? '<arn>'}   # is MSK already healing it?`,
            `aws kafka reboot-broker --cluster-arn ${d.mskArn ?? '<arn>'} --broker-ids ${d.downBrokers.join(',') || '<id>'}`,
          ]
        : [
            `On the host of broker ${d.downBrokers.join(', ') || '<id>'}: check the log (disk full? OOM?), then restart the Kafka service (e.g. systemctl restart kafka).`,
          ],
    },
    {
      id: 'reassign-off',
      title: `Move the replicas of broker(s) ${d.downBrokers.join(', ') || '-'} to the live brokers`,
      mode: 'automatic',
      destructive: true,
      available: d.drainPlan !== undefined,
      ...(d.drainPlan ? {} : { unavailableReason: drainReason }),
      recommended: false,
      consequences: [
        d.drainPlan
          ? `${d.drainPlan.moves} replica move(s), ${formatBytes(d.drainPlan.movedBytes)} copied to the live brokers.`
          : 'Copies every replica the down broker held to the live brokers.',
        'Runs UNTHROTTLED: a throttle is a config on every broker of a move, and the dead broker cannot take one.',
        'Restores the replication factor without the broker; the live brokers need the disk space.',
        'When the broker comes back it holds no replicas: rebalance onto it (`streamctl runbook add-brokers`).',
      ],
    },
    {
      id: 'wait',
      title: down ? 'Wait and watch' : 'Nothing to do now',
      mode: 'none',
      destructive: false,
      available: true,
      recommended: !down,
      consequences: ['Nothing changes; `streamctl watch` shows URP and offline partitions as they recover.'],
    },
  ];
}
