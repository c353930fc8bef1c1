import { resolveSecret } from '../../config/load.js';
import type { Clock } from '../../core/clock.js';
import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import type { JobSummary } from '../../probes/flink-rest/index.js';
import {
  DirectTransport,
  type FlinkRestPort,
  flinkRestPort,
  PresignedTransport,
  type TransportOptions,
} from '../../probes/flink-rest/index.js';
import type { AppTarget, FlinkPorts } from './context.js';

/**
 * The Flink REST port of an application: the presigned dashboard for MSF (a fresh
 * CreateApplicationPresignedUrl when needed, never logged), the configured URL for self-managed.
 * AWS advises polling it only right after an operation, never continuously (docs/design.md §2).
 */
export function restPortFor(
  t: AppTarget,
  ports: FlinkPorts,
  clock: Clock,
  opts: TransportOptions = {},
): FlinkRestPort {
  if (t.kind === 'managed') {
    const msf = ports.msf(t.region);
    const transport = new PresignedTransport(
      async () => ({
        authorizedUrl: (await msf.createPresignedUrl(t.applicationName!, { sessionSeconds: 1800 })).url,
      }),
      clock,
      { ...opts, label: `MSF dashboard of ${t.applicationName}` },
    );
    return flinkRestPort(transport);
  }
  const rest = t.cfg.rest!;
  const token = rest.token
    ? resolveSecret(rest.token, `flink.applications[${t.name}].rest.token`)
    : undefined;
  return flinkRestPort(new DirectTransport(rest.url, token, opts));
}

const TERMINAL = new Set(['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED']);

/**
 * The job an application runs. MSF runs one job per application; a self-managed cluster may run
 * several: `rest.jobName` picks one, else the only non-terminal job. Undefined when none runs.
 */
export function pickJob(jobs: JobSummary[], t: AppTarget): JobSummary | undefined {
  const wanted = t.cfg.rest?.jobName;
  const candidates = wanted ? jobs.filter((j) => j.name === wanted || j.name.startsWith(`${wanted} `)) : jobs;
  const live = candidates.filter((j) => !TERMINAL.has(j.state));
  if (live.length > 1 && !wanted) {
    throw new StreamctlError(
      'AMBIGUOUS_JOB',
      `${t.name}: ${live.length} jobs are running on ${t.cfg.rest?.url ?? 'the cluster'}: ${live.map((j) => j.name).join(', ')}`,
      {
        exitCode: Sysexit.CONFIG,
        hint: 'Set flink.applications[].rest.jobName to the job to watch.',
      },
    );
  }
  return (
    live.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0))[0] ??
    candidates.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0))[0]
  );
}
