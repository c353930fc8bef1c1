/**
 * Builds the live ports of the healer from the config and the probes: the FleetObserver, the
 * HealerActions, and the per-application Flink REST ports they share (one presigned transport per
 * MSF application, cached so a presigned URL is reused within its session rather than re-created
 * on every poll).
 */

import { resolveSecret } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { HealerPolicy } from '../../healer/policy.js';
import type { FlinkRestPort } from '../../probes/flink-rest/index.js';
import type { Notifier } from '../../probes/notify/index.js';
import type { AppTarget, FlinkPorts } from '../flink/context.js';
import { pickJob, restPortFor } from '../flink/rest.js';
import { LiveHealerActions } from './actions.js';
import type { FleetMember } from './fleet.js';
import type { DaemonLogger } from './logger.js';
import { LiveFleetObserver } from './observer.js';
import { type SelfManagedFlinkAdmin, selfManagedAdmin } from './self-managed.js';

export interface LivePortsInput {
  config: Config;
  policy: HealerPolicy;
  ports: FlinkPorts;
  clock: Clock;
  notifier: Pick<Notifier, 'notify'>;
  log: Pick<DaemonLogger, 'warn'>;
  /** Tests: a Flink REST port per target instead of the presigned/direct transports. */
  restPort?: (t: AppTarget) => FlinkRestPort;
  admin?: (t: AppTarget) => SelfManagedFlinkAdmin | undefined;
  /** Aborting it aborts every Flink REST call in flight (the daemon's shutdown). */
  signal?: AbortSignal;
  /** A sharded daemon's shard: the applications the observer watches (default: all). */
  inScope?: (app: string) => boolean;
}

export function buildLivePorts(input: LivePortsInput): {
  observer: LiveFleetObserver;
  actions: LiveHealerActions;
} {
  const { config, ports, clock, log } = input;
  const rests = new Map<string, FlinkRestPort>();
  const restPort = (t: AppTarget): FlinkRestPort => {
    let p = rests.get(t.name);
    if (!p) {
      p = input.restPort
        ? input.restPort(t)
        : restPortFor(t, ports, clock, input.signal ? { signal: input.signal } : {});
      rests.set(t.name, p);
    }
    return p;
  };
  const admins = new Map<string, SelfManagedFlinkAdmin | undefined>();
  const admin = (t: AppTarget): SelfManagedFlinkAdmin | undefined => {
    if (admins.has(t.name)) return admins.get(t.name);
    let a: SelfManagedFlinkAdmin | undefined;
    if (input.admin) a = input.admin(t);
    else if (t.kind === 'self-managed' && t.cfg.rest) {
      const token = t.cfg.rest.token
        ? resolveSecret(t.cfg.rest.token, `flink.applications[${t.name}].rest.token`)
        : undefined;
      a = selfManagedAdmin(t.cfg.rest.url, token);
    }
    admins.set(t.name, a);
    return a;
  };
  const observer = new LiveFleetObserver({
    config,
    policy: input.policy,
    ports,
    restPort,
    admin,
    clock,
    warn: (msg, fields) => log.warn(fields, msg),
    ...(input.inScope ? { inScope: input.inScope } : {}),
  });
  const actions = new LiveHealerActions({
    ports,
    member: (name) => observer.member(name),
    admin: (m: FleetMember) => admin(m.target),
    currentJobId: async (m) => pickJob(await restPort(m.target).jobsOverview(), m.target)?.id,
    notifier: input.notifier,
    onNotifyResult: (n, results) => {
      for (const r of results.filter((x) => !x.ok))
        log.warn(
          { channel: r.channel, incident: n.incidentKey, error: r.error },
          'notification not delivered',
        );
    },
  });
  return { observer, actions };
}
