/**
 * The fleet the daemon watches: the Flink applications of streamctl.yaml, plus every MSF
 * application of the default region when `flink.discoverManaged` is on. Each member carries what
 * the live observer and actions need to reach it (MSF name and region, or the Flink REST config).
 */
import type { Config } from '../../config/schema.js';
import type { FlinkApplication } from '../../config/sections/flink.js';
import { parseDuration } from '../../core/clock.js';
import { regionForFlinkApp } from '../../probes/aws-clients.js';
import type { AppTarget } from '../flink/context.js';

/** One watched application. `target.cfg` is synthetic for discovered applications. */
export interface FleetMember {
  name: string;
  kind: 'managed' | 'self-managed';
  target: AppTarget;
  /** flink.applications[].healing.enabled; true for discovered applications. */
  healingEnabled: boolean;
  /** flink.applications[].healing.checkpointStallAfter, in ms (per-app checkpoint-stall threshold). */
  checkpointStallAfterMs?: number;
  discovered: boolean;
}

/** Region key used to group calls: '' is "the SDK's default region". */
export function regionKey(region: string | undefined): string {
  return region ?? '';
}

/** The configured applications as fleet members (discovered ones are added by the observer). */
export function configuredFleet(config: Config): FleetMember[] {
  return config.flink.applications.map((cfg) => memberOf(cfg, config, false));
}

function memberOf(cfg: FlinkApplication, config: Config, discovered: boolean): FleetMember {
  const stall = cfg.healing.checkpointStallAfter
    ? parseDuration(cfg.healing.checkpointStallAfter)
    : undefined;
  const healing = {
    healingEnabled: cfg.healing.enabled,
    ...(stall !== undefined ? { checkpointStallAfterMs: stall } : {}),
  };
  if (cfg.managed) {
    const region = regionForFlinkApp(cfg, config.aws);
    return {
      name: cfg.name,
      kind: 'managed',
      target: {
        name: cfg.name,
        cfg,
        kind: 'managed',
        applicationName: cfg.managed.applicationName,
        ...(region ? { region } : {}),
      },
      ...healing,
      discovered,
    };
  }
  return {
    name: cfg.name,
    kind: 'self-managed',
    target: { name: cfg.name, cfg, kind: 'self-managed' },
    ...healing,
    discovered,
  };
}

/** A member for an MSF application found by ListApplications and not configured. */
export function discoveredMember(config: Config, applicationName: string): FleetMember {
  return memberOf(
    { name: applicationName, managed: { applicationName }, healing: { enabled: true } },
    config,
    true,
  );
}

/** The AWS account id in an ARN (`arn:aws:kinesisanalytics:us-east-1:123456789012:application/x`). */
export function accountOfArn(arn: string | undefined): string | undefined {
  const parts = arn?.split(':');
  return parts && parts.length >= 6 && parts[4] ? parts[4] : undefined;
}
