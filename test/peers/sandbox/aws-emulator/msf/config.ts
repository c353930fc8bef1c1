/**
 * Request → AppConfig: CreateApplication's ApplicationConfiguration and UpdateApplication's
 * ApplicationConfigurationUpdate, with the defaults MSF applies, and the test job definition read
 * from the `emulator.job` property group.
 */
import { err } from '../errors.js';
import { JOB_MODES, type JobMode } from '../flink-backend.js';
import { type AppConfig, JOB_PROPERTY_GROUP, type JobDefinition, type PropertyGroup } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Flink runtimes MSF offers; the emulator accepts the ones streamctl targets. */
export const SUPPORTED_RUNTIMES = [
  'FLINK-1_15',
  'FLINK-1_18',
  'FLINK-1_19',
  'FLINK-1_20',
  'FLINK-2_2',
] as const;

/** Builds a version-1 configuration from a CreateApplication request. */
export function configFromCreate(body: Json): AppConfig {
  const runtime = body.RuntimeEnvironment;
  if (typeof runtime !== 'string' || !(SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) {
    throw err.invalidArgument(
      `RuntimeEnvironment must be one of ${SUPPORTED_RUNTIMES.join(', ')} (got ${String(runtime)})`,
    );
  }
  const role = body.ServiceExecutionRole;
  if (typeof role !== 'string' || !role.startsWith('arn:'))
    throw err.invalidArgument('ServiceExecutionRole must be an IAM role ARN');
  const ac = obj(body.ApplicationConfiguration);
  const flink = obj(ac.FlinkApplicationConfiguration);
  const cp = obj(flink.CheckpointConfiguration);
  const mon = obj(flink.MonitoringConfiguration);
  const par = obj(flink.ParallelismConfiguration);
  const code = obj(ac.ApplicationCodeConfiguration);
  const content = obj(code.CodeContent);
  const s3 = obj(content.S3ContentLocation);
  const cpCustom = cp.ConfigurationType === 'CUSTOM';
  const monCustom = mon.ConfigurationType === 'CUSTOM';
  const parCustom = par.ConfigurationType === 'CUSTOM';
  const config: AppConfig = {
    runtime,
    serviceExecutionRole: role,
    code: {
      CodeContentType: typeof code.CodeContentType === 'string' ? code.CodeContentType : 'ZIPFILE',
      ...(typeof s3.BucketARN === 'string'
        ? {
            S3: {
              BucketARN: s3.BucketARN,
              FileKey: String(s3.FileKey ?? ''),
              ...(s3.ObjectVersion ? { ObjectVersion: String(s3.ObjectVersion) } : {}),
            },
          }
        : {}),
      ...(typeof content.TextContent === 'string' ? { TextContent: content.TextContent } : {}),
    },
    propertyGroups: propertyGroups(obj(ac.EnvironmentProperties).PropertyGroups),
    snapshotsEnabled: obj(ac.ApplicationSnapshotConfiguration).SnapshotsEnabled === true,
    systemRollbackEnabled: obj(ac.ApplicationSystemRollbackConfiguration).RollbackEnabled === true,
    // MSF DEFAULT checkpointing: enabled, every 60 s, 5 s min pause.
    checkpoint: {
      ConfigurationType: cpCustom ? 'CUSTOM' : 'DEFAULT',
      CheckpointingEnabled: cpCustom ? cp.CheckpointingEnabled !== false : true,
      CheckpointInterval:
        cpCustom && typeof cp.CheckpointInterval === 'number' ? cp.CheckpointInterval : 60_000,
      MinPauseBetweenCheckpoints:
        cpCustom && typeof cp.MinPauseBetweenCheckpoints === 'number' ? cp.MinPauseBetweenCheckpoints : 5_000,
    },
    monitoring: {
      ConfigurationType: monCustom ? 'CUSTOM' : 'DEFAULT',
      MetricsLevel: monCustom && typeof mon.MetricsLevel === 'string' ? mon.MetricsLevel : 'APPLICATION',
      LogLevel: monCustom && typeof mon.LogLevel === 'string' ? mon.LogLevel : 'INFO',
    },
    parallelism: {
      ConfigurationType: parCustom ? 'CUSTOM' : 'DEFAULT',
      Parallelism: parCustom && typeof par.Parallelism === 'number' ? par.Parallelism : 1,
      ParallelismPerKPU: parCustom && typeof par.ParallelismPerKPU === 'number' ? par.ParallelismPerKPU : 1,
      AutoScalingEnabled: parCustom ? par.AutoScalingEnabled === true : true,
    },
  };
  if (typeof body.ApplicationDescription === 'string') config.description = body.ApplicationDescription;
  jobDefinition(config, 1); // validate the job group early, as MSF validates the configuration
  return config;
}

/** Applies an UpdateApplication request to the current configuration, returning the next one. */
export function configFromUpdate(current: AppConfig, body: Json): AppConfig {
  const next: AppConfig = structuredClone(current);
  const up = obj(body.ApplicationConfigurationUpdate);
  if (typeof body.RuntimeEnvironmentUpdate === 'string') {
    if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(body.RuntimeEnvironmentUpdate)) {
      throw err.invalidArgument(`RuntimeEnvironmentUpdate ${body.RuntimeEnvironmentUpdate} is not supported`);
    }
    next.runtime = body.RuntimeEnvironmentUpdate;
  }
  if (typeof body.ServiceExecutionRoleUpdate === 'string')
    next.serviceExecutionRole = body.ServiceExecutionRoleUpdate;
  const env = obj(up.EnvironmentPropertyUpdates);
  if (env.PropertyGroups !== undefined) next.propertyGroups = propertyGroups(env.PropertyGroups);
  const codeUp = obj(obj(up.ApplicationCodeConfigurationUpdate).CodeContentUpdate);
  const s3Up = obj(codeUp.S3ContentLocationUpdate);
  if (next.code.S3 && (s3Up.FileKeyUpdate || s3Up.BucketARNUpdate || s3Up.ObjectVersionUpdate)) {
    if (typeof s3Up.BucketARNUpdate === 'string') next.code.S3.BucketARN = s3Up.BucketARNUpdate;
    if (typeof s3Up.FileKeyUpdate === 'string') next.code.S3.FileKey = s3Up.FileKeyUpdate;
    if (typeof s3Up.ObjectVersionUpdate === 'string') next.code.S3.ObjectVersion = s3Up.ObjectVersionUpdate;
  }
  if (typeof codeUp.TextContentUpdate === 'string') next.code.TextContent = codeUp.TextContentUpdate;
  const snap = obj(up.ApplicationSnapshotConfigurationUpdate);
  if (typeof snap.SnapshotsEnabledUpdate === 'boolean') next.snapshotsEnabled = snap.SnapshotsEnabledUpdate;
  const rb = obj(up.ApplicationSystemRollbackConfigurationUpdate);
  if (typeof rb.RollbackEnabledUpdate === 'boolean') next.systemRollbackEnabled = rb.RollbackEnabledUpdate;
  const flink = obj(up.FlinkApplicationConfigurationUpdate);
  const cp = obj(flink.CheckpointConfigurationUpdate);
  if (typeof cp.ConfigurationTypeUpdate === 'string')
    next.checkpoint.ConfigurationType = cp.ConfigurationTypeUpdate;
  if (typeof cp.CheckpointingEnabledUpdate === 'boolean')
    next.checkpoint.CheckpointingEnabled = cp.CheckpointingEnabledUpdate;
  if (typeof cp.CheckpointIntervalUpdate === 'number')
    next.checkpoint.CheckpointInterval = cp.CheckpointIntervalUpdate;
  if (typeof cp.MinPauseBetweenCheckpointsUpdate === 'number')
    next.checkpoint.MinPauseBetweenCheckpoints = cp.MinPauseBetweenCheckpointsUpdate;
  const mon = obj(flink.MonitoringConfigurationUpdate);
  if (typeof mon.ConfigurationTypeUpdate === 'string')
    next.monitoring.ConfigurationType = mon.ConfigurationTypeUpdate;
  if (typeof mon.MetricsLevelUpdate === 'string') next.monitoring.MetricsLevel = mon.MetricsLevelUpdate;
  if (typeof mon.LogLevelUpdate === 'string') next.monitoring.LogLevel = mon.LogLevelUpdate;
  const par = obj(flink.ParallelismConfigurationUpdate);
  if (typeof par.ConfigurationTypeUpdate === 'string')
    next.parallelism.ConfigurationType = par.ConfigurationTypeUpdate;
  if (typeof par.ParallelismUpdate === 'number') next.parallelism.Parallelism = par.ParallelismUpdate;
  if (typeof par.ParallelismPerKPUUpdate === 'number')
    next.parallelism.ParallelismPerKPU = par.ParallelismPerKPUUpdate;
  if (typeof par.AutoScalingEnabledUpdate === 'boolean')
    next.parallelism.AutoScalingEnabled = par.AutoScalingEnabledUpdate;
  jobDefinition(next, 1);
  return next;
}

function propertyGroups(raw: unknown): PropertyGroup[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw err.invalidArgument('EnvironmentProperties.PropertyGroups must be a list');
  return raw.map((g, i) => {
    const group = obj(g);
    if (typeof group.PropertyGroupId !== 'string')
      throw err.invalidArgument(`PropertyGroups[${i}].PropertyGroupId is required`);
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj(group.PropertyMap))) map[k] = String(v);
    return { PropertyGroupId: group.PropertyGroupId, PropertyMap: map };
  });
}

/**
 * The test job a version runs: `emulator.job` = { mode: healthy|user-error|external|fail-in-main,
 * version: label (default `v<versionId>`), args: space-separated }. A bad mode is an
 * InvalidApplicationConfigurationException, as MSF rejects a configuration it cannot run.
 */
export function jobDefinition(config: AppConfig, versionId: number): JobDefinition {
  const group =
    config.propertyGroups.find((g) => g.PropertyGroupId === JOB_PROPERTY_GROUP)?.PropertyMap ?? {};
  const mode = (group.mode ?? 'healthy') as JobMode;
  if (!JOB_MODES.includes(mode)) {
    throw err.invalidConfig(
      `${JOB_PROPERTY_GROUP}.mode must be one of ${JOB_MODES.join(', ')} (got ${group.mode})`,
    );
  }
  const args = (group.args ?? '').split(/\s+/).filter((a) => a.length > 0);
  return { mode, versionLabel: group.version ?? `v${versionId}`, args };
}
