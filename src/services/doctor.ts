import type { Config } from '../config/schema.js';
import type { SecretRef } from '../config/sections/common.js';
import { fromUnknown, StreamctlError, tempFailure } from '../core/errors.js';
import { type Severity, worst } from '../core/severity.js';

/**
 * `streamctl doctor`: one dry read per configured target and permission, each with the fix for
 * its failure. Checks run independently: one failure never hides the others.
 */
export interface DoctorCheck {
  target: string;
  check: string;
  status: 'ok' | 'fail' | 'warn';
  detail: string;
  fix?: string;
}

export interface DoctorResult {
  severity: Severity;
  checks: DoctorCheck[];
}

/** A named probe: resolves to a detail line, or throws. */
export type CheckFn = () => Promise<string>;

export interface DoctorDeps {
  kafka(cluster: Config['kafka']['clusters'][number]): CheckFn;
  credentials(region: string | undefined): CheckFn;
  msfList(region: string | undefined): CheckFn;
  msfDescribe(applicationName: string, region: string | undefined): CheckFn;
  cloudwatch(region: string | undefined): CheckFn;
  logs(region: string | undefined): CheckFn;
  mskDescribe(arn: string, region: string | undefined): CheckFn;
  /** `token` is the reference from streamctl.yaml: resolved when the check runs (a missing one fails the check). */
  flinkRest(url: string, token: SecretRef | undefined): CheckFn;
  /** The coordination store (journal, leases, locks): reachable, schema current. */
  store?(): CheckFn;
}

/** One check of `doctor`: what it checks, on which target, and the fix when it fails. */
export interface PlannedCheck {
  target: string;
  check: string;
  run: CheckFn;
  fix: string;
}

/** Builds the list of checks the config calls for (credentials and each AWS API once per region). */
export function plannedChecks(config: Config, deps: DoctorDeps): PlannedCheck[] {
  // The regions the targets live in, in the order the targets name them: AWS is checked once each.
  const regions = new Set<string | undefined>();
  const out = [...kafkaChecks(config, deps, regions), ...flinkChecks(config, deps, regions)];
  const needAws =
    config.flink.applications.some((a) => a.managed) || config.kafka.clusters.some((c) => c.msk);
  if (needAws) out.push(...awsChecks(config, deps, regions));
  if (deps.store && (out.length > 0 || config.healer.store.url))
    out.push({
      target: 'store',
      check: 'coordination store (journal, leases, locks)',
      run: deps.store(),
      fix: config.healer.store.url
        ? 'Check that PostgreSQL is reachable with healer.store.url, then run `streamctl healer migrate`.'
        : `Check that ${config.healer.journal} (healer.journal) is a writable SQLite file, then run \`streamctl healer migrate\`.`,
    });
  return out;
}

/** Per cluster: MSK describes it (when it is one), and its bootstrap answers with the configured auth. */
function kafkaChecks(config: Config, deps: DoctorDeps, regions: Set<string | undefined>): PlannedCheck[] {
  const out: PlannedCheck[] = [];
  for (const c of config.kafka.clusters) {
    if (c.msk) {
      const region = c.msk.region ?? regionOf(c.msk.arn) ?? config.aws.region;
      regions.add(region);
      out.push({
        target: `kafka/${c.name}`,
        check: 'MSK DescribeClusterV2',
        run: deps.mskDescribe(c.msk.arn, region),
        fix: 'Allow kafka:DescribeClusterV2, kafka:ListNodes and kafka:GetBootstrapBrokers (docs/iam.md); check the ARN and region.',
      });
    }
    out.push({
      target: `kafka/${c.name}`,
      check: 'bootstrap reachable and authenticated',
      run: deps.kafka(c),
      fix:
        c.auth.type === 'scram'
          ? 'Check the bootstrap address, the SCRAM username/password (secret reference) and that the listener is SASL_SSL.'
          : c.auth.type === 'msk-iam'
            ? 'Check network access to port 9098 and that the role allows kafka-cluster:Connect and kafka-cluster:DescribeCluster.'
            : 'Check the bootstrap address, security groups/firewall, and the auth type of the listener.',
    });
  }
  return out;
}

/** Per application: MSF describes it (managed), its REST API answers (self-managed). */
function flinkChecks(config: Config, deps: DoctorDeps, regions: Set<string | undefined>): PlannedCheck[] {
  const out: PlannedCheck[] = [];
  for (const a of config.flink.applications) {
    if (a.managed) {
      const region = a.managed.region ?? config.aws.region;
      regions.add(region);
      out.push({
        target: `flink/${a.name}`,
        check: 'MSF DescribeApplication',
        run: deps.msfDescribe(a.managed.applicationName, region),
        fix: 'Allow kinesisanalytics:DescribeApplication (docs/iam.md); check the application name and region.',
      });
    }
    if (a.rest) {
      out.push({
        target: `flink/${a.name}`,
        check: 'Flink REST reachable',
        run: deps.flinkRest(a.rest.url, a.rest.token),
        fix: 'Check the REST URL (JobManager :8081), network access, and the token if a proxy needs one.',
      });
    }
  }
  return out;
}

/** Per region: credentials, CloudWatch, and for MSF applications the MSF and Logs Insights APIs. */
function awsChecks(config: Config, deps: DoctorDeps, regions: Set<string | undefined>): PlannedCheck[] {
  const out: PlannedCheck[] = [];
  const managed = config.flink.applications.some((a) => a.managed);
  for (const region of regions) {
    const r = region ?? '(default region)';
    out.push({
      target: `aws/${r}`,
      check: 'credentials resolve',
      run: deps.credentials(region),
      fix: 'Configure credentials: AWS_PROFILE / aws.profile, SSO login, environment variables or an instance role.',
    });
    out.push({
      target: `aws/${r}`,
      check: 'CloudWatch GetMetricData',
      run: deps.cloudwatch(region),
      fix: 'Allow cloudwatch:GetMetricData (and cloudwatch:PutMetricAlarm/DescribeAlarms for `alarms install`).',
    });
    if (!managed) continue;
    out.push({
      target: `aws/${r}`,
      check: 'MSF ListApplications',
      run: deps.msfList(region),
      fix: 'Allow kinesisanalytics:ListApplications.',
    });
    out.push({
      target: `aws/${r}`,
      check: 'CloudWatch Logs Insights',
      run: deps.logs(region),
      fix: 'Allow logs:DescribeLogGroups, logs:StartQuery and logs:GetQueryResults on the applications’ log groups.',
    });
  }
  return out;
}

/** Runs every planned check with a per-check timeout; failures carry the fix. */
export async function runDoctor(
  config: Config,
  deps: DoctorDeps,
  opts: { timeoutMs?: number } = {},
): Promise<DoctorResult> {
  const planned = plannedChecks(config, deps);
  const checks = await Promise.all(
    planned.map(async (p): Promise<DoctorCheck> => {
      try {
        const detail = await withTimeout(p.run(), opts.timeoutMs ?? 20_000, `${p.check} timed out`);
        return { target: p.target, check: p.check, status: 'ok', detail };
      } catch (e) {
        const err = e instanceof StreamctlError ? e : fromUnknown(e, p.check);
        return { target: p.target, check: p.check, status: 'fail', detail: err.message, fix: p.fix };
      }
    }),
  );
  const severity: Severity =
    checks.length === 0
      ? 'UNKNOWN'
      : worst(
          ...checks.map(
            (c): Severity => (c.status === 'ok' ? 'OK' : c.status === 'warn' ? 'WARNING' : 'CRITICAL'),
          ),
        );
  return { severity, checks };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(tempFailure(message)), ms);
    }),
  ]);
}

function regionOf(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}
