import type { Config } from '../../config/schema.js';
import type { FlinkApplication } from '../../config/sections/flink.js';
import { configError } from '../../core/errors.js';
import { type AwsClients, regionForFlinkApp } from '../../probes/aws-clients.js';
import { createCloudWatchProbe } from '../../probes/cloudwatch/index.js';
import type { CloudWatchPort } from '../../probes/cloudwatch/port.js';
import { createCloudWatchLogsProbe } from '../../probes/cloudwatch-logs/index.js';
import type { CloudWatchLogsPort } from '../../probes/cloudwatch-logs/port.js';
import { createManagedFlinkProbe } from '../../probes/managed-flink/index.js';
import type { ManagedFlinkPort } from '../../probes/managed-flink/port.js';

/** One configured Flink application and the ports that reach it. */
export interface AppTarget {
  name: string;
  cfg: FlinkApplication;
  kind: 'managed' | 'self-managed';
  /** MSF ApplicationName (managed only). */
  applicationName?: string;
  region?: string;
}

/**
 * The ports a Flink command needs, created lazily from the config and closed once. Commands and
 * the healer get their probes from here so that tests can swap in fakes (`withPorts`).
 */
export interface FlinkPorts {
  msf(region?: string): ManagedFlinkPort;
  cloudWatch(region?: string): CloudWatchPort;
  logs(region?: string): CloudWatchLogsPort;
  apiCallStats(): Record<string, unknown>;
  close(): void;
}

/**
 * The Flink ports over AWS SDK clients the command edge built (cli/live-ports.ts liveFlinkPorts;
 * the healer daemon's are tied to its shutdown signal); `close` destroys those clients.
 */
export function awsFlinkPorts(aws: AwsClients): FlinkPorts {
  return {
    msf: (region) => createManagedFlinkProbe(aws.kinesisAnalytics(region), region ? { region } : {}),
    cloudWatch: (region) => createCloudWatchProbe(aws.cloudWatch(region)),
    logs: (region) => createCloudWatchLogsProbe(aws.logs(region)),
    apiCallStats: () => aws.apiCallStats(),
    close: () => aws.destroy(),
  };
}

/** Resolves an application name from streamctl.yaml, or a configuration error listing the known ones. */
export function appTarget(config: Config, name: string): AppTarget {
  const cfg = config.flink.applications.find((a) => a.name === name || a.managed?.applicationName === name);
  if (!cfg) {
    const known = config.flink.applications.map((a) => a.name).join(', ') || '(none configured)';
    throw configError(
      `unknown Flink application "${name}" (known: ${known})`,
      'Add it under flink.applications in streamctl.yaml.',
    );
  }
  if (cfg.managed) {
    const region = regionForFlinkApp(cfg, config.aws);
    return {
      name: cfg.name,
      cfg,
      kind: 'managed',
      applicationName: cfg.managed.applicationName,
      ...(region ? { region } : {}),
    };
  }
  return { name: cfg.name, cfg, kind: 'self-managed' };
}

/** The MSF ApplicationName of a managed target, or a usage error for a self-managed one. */
export function requireManaged(t: AppTarget, what: string): string {
  if (t.kind !== 'managed' || !t.applicationName) {
    throw configError(
      `${what} needs a Managed Service for Apache Flink application; ${t.name} is self-managed (Flink REST)`,
    );
  }
  return t.applicationName;
}
