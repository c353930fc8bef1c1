import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyFailure, classifyInput } from '../../../src/healer/classify/index.js';

const USER_NPE = [
  'java.lang.NullPointerException: Cannot invoke "String.trim()" because "name" is null',
  '\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)',
  '\tat com.acme.orders.Enrich.map(Enrich.java:42)',
  '\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)',
].join('\n');

describe('classifyFailure', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns the docs/design.md §3 shape with a job frame as root-cause frame (JDK plumbing skipped)', () => {
    const r = classifyFailure(USER_NPE);
    expect(r.verdict).toBe('user');
    expect(r.subtype).toBe('npe-in-user-function');
    expect(r.rootCause).toEqual({
      exception: 'java.lang.NullPointerException',
      message: 'Cannot invoke "String.trim()" because "name" is null',
      frame: 'com.acme.orders.Enrich.map(Enrich.java:42)',
    });
    expect(r.signals[0]).toMatchObject({ rule: 'user-frame-at-top-of-root-cause', weight: 0.6 });
  });

  it('is pure: never reads the clock, same answer every time', () => {
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('the classifier read the clock');
    });
    const a = classifyFailure(USER_NPE, {
      recentChange: { kind: 'UpdateApplication', at: '2026-11-22T00:00:00Z' },
      now: '2026-11-22T00:05:00Z',
    });
    const b = classifyFailure(USER_NPE, {
      recentChange: { kind: 'UpdateApplication', at: '2026-11-22T00:00:00Z' },
      now: '2026-11-22T00:05:00Z',
    });
    expect(a).toEqual(b);
    expect(now).not.toHaveBeenCalled();
  });

  it('sorts signals by strength', () => {
    const w = classifyFailure(USER_NPE).signals.map((s) => Math.abs(s.weight));
    expect([...w].sort((x, y) => y - x)).toEqual(w);
  });

  it('classifies a 512-character ErrorString cut mid-chain, with lowered confidence', () => {
    const full = `org.apache.flink.runtime.JobException: Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=3, backoffTimeMS=10000)\nCaused by: org.apache.flink.streaming.runtime.tasks.StreamTaskException: Cannot load user class: com.acme.orders.EnrichFunction\nClassLoader info: URL ClassLoader:\n    file: '/tmp/blobStore-1/job_1/blob_p-1' (valid JAR)\nClass not resolvable through given classloader.\nCaused by: java.lang.ClassNotFoundException: com.acme.orders.EnrichFunction ${'x'.repeat(300)}`;
    const errorString = full.slice(0, 512);
    const r = classifyFailure(errorString);
    expect(r.verdict).toBe('user');
    expect(r.subtype).toBe('bad-packaging');
    expect(r.confidence).toBeLessThan(classifyFailure(full).confidence + 1e-9);
  });

  it('reads CloudWatch JSON log records (message + throwableInformation)', () => {
    const rec = (message: string, throwable?: string) =>
      JSON.stringify({
        applicationARN: 'arn:aws:kinesisanalytics:eu-west-1:1:application/a',
        messageType: 'WARN',
        logger: 'org.apache.flink.runtime.taskmanager.Task',
        message,
        ...(throwable ? { throwableInformation: throwable } : {}),
      });
    const text = [
      rec('Map (1/2)#0 switched from RUNNING to FAILED with failure cause:', USER_NPE),
      rec('Map (2/2)#0 switched from RUNNING to CANCELING.'),
    ].join('\n');
    const r = classifyFailure(text);
    expect(r.verdict).toBe('user');
    expect(r.rootCause.frame).toBe('com.acme.orders.Enrich.map(Enrich.java:42)');
  });

  it.each([
    [
      'TaskManager loss',
      'java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id 10.0.0.1:6122-abc timed out.',
      'system',
      'taskmanager-lost',
    ],
    [
      'S3 throttling on checkpoints',
      'org.apache.flink.runtime.checkpoint.CheckpointException: Could not complete snapshot 12 for operator Window (1/4)\nCaused by: java.io.IOException: Could not flush and close the file system output stream to s3://bucket/checkpoints/x\nCaused by: com.amazonaws.services.s3.model.AmazonS3Exception: Please reduce your request rate. (Service: Amazon S3; Status Code: 503; Error Code: SlowDown)',
      'system',
      'checkpoint-storage',
    ],
    [
      'heap OOM',
      'java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3236)\n\tat com.acme.Agg.add(Agg.java:10)',
      'user',
      'user-oom',
    ],
    [
      'state incompatible',
      'org.apache.flink.util.StateMigrationException: The new state serializer (org.apache.flink.api.common.typeutils.base.LongSerializer) must not be incompatible with the old state serializer',
      'user',
      'state-incompatible',
    ],
    [
      'SASL auth',
      'org.apache.kafka.common.errors.SaslAuthenticationException: [3d2b] Access denied',
      'user',
      'bad-config-auth',
    ],
    [
      'slots',
      'org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException: Could not acquire the minimum required resources.',
      'system',
      'resource-shortage',
    ],
    [
      'wrong entry point',
      "org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'com.acme.Job' was not found in the jar file.",
      'user',
      'bad-packaging',
    ],
    [
      'record too large',
      'org.apache.kafka.common.errors.RecordTooLargeException: The message is 2097152 bytes when serialized which is larger than the maximum request size you have configured with the max.request.size configuration.',
      'user',
      'bad-config',
    ],
    [
      'untrusted certificate',
      'javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target',
      'user',
      'bad-config-auth',
    ],
    [
      'duplicate key in a JDBC sink',
      "java.sql.BatchUpdateException: Duplicate entry '42' for key 'PRIMARY'",
      'user',
      'bad-input-data',
    ],
    [
      'an exception thrown by the job main()',
      'java.lang.NullPointerException: region\n\tat com.acme.Job.main(Job.java:30)',
      'user',
      'npe-in-user-function',
    ],
    [
      'TM heartbeat (newer wording)',
      'java.util.concurrent.TimeoutException: The heartbeat of TaskManager with id container_01 timed out.',
      'system',
      'taskmanager-lost',
    ],
    [
      'RPC timeout deploying a task',
      'java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(TaskExecutorGateway.submitTask(TaskDeploymentDescriptor, JobMasterId, Time))] at recipient [akka.tcp://flink@10.0.0.2:6122/user/rpc/taskmanager_0] timed out.',
      'system',
      'flink-rpc',
    ],
  ])('%s', (_name, text, verdict, subtype) => {
    const r = classifyFailure(text);
    expect(r.verdict).toBe(verdict);
    expect(r.subtype).toBe(subtype);
  });

  it.each([
    ['gibberish', 'something went wrong somewhere'],
    ['only a loop side effect', 'java.lang.UnsupportedOperationException: Partial recovery is not supported'],
  ])('says unknown, with low confidence, for %s', (_name, text) => {
    const r = classifyFailure(text);
    expect(r.verdict).toBe('unknown');
    expect(r.confidence).toBeLessThan(0.5);
  });

  it('does not blame job code for a relayed job failure whose only job frame is the client main()', () => {
    const relayed =
      'org.apache.flink.runtime.client.JobExecutionException: Job execution failed.\n\tat org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:144)\n\tat com.acme.Job.main(Job.java:88)';
    expect(classifyFailure(relayed).verdict).toBe('unknown');
  });

  it('tempers a missing class that framework code looked up through the system class loader', () => {
    const text =
      'java.lang.ClassNotFoundException: com.acme.Model\n\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(Unknown Source)\n\tat java.base/jdk.internal.loader.ClassLoaders$AppClassLoader.loadClass(Unknown Source)\n\tat java.base/java.lang.Class.forName(Unknown Source)\n\tat org.apache.flink.agents.plan.Provider.provide(Provider.java:40)';
    const r = classifyFailure(text);
    expect(r.signals.map((s) => s.rule)).toContain('class-looked-up-by-parent-class-loader');
    expect(r.confidence).toBeLessThanOrEqual(0.8);
  });

  it('reads an invalid connector argument during setup as configuration, but not a Kryo class-loader bug', () => {
    const region =
      'java.lang.IllegalArgumentException: The AWS region x-y-1 is not valid\n\tat org.apache.flink.connector.aws.util.AWSGeneralUtil.validateAwsConfiguration(AWSGeneralUtil.java:300)\n\tat org.apache.flink.connector.kinesis.source.KinesisStreamsSource.<init>(KinesisStreamsSource.java:90)';
    expect(classifyFailure(region)).toMatchObject({ verdict: 'user', subtype: 'bad-config' });
    const kryo =
      'java.lang.IllegalArgumentException: classLoader cannot be null.\n\tat com.esotericsoftware.kryo.Kryo.setClassLoader(Kryo.java:975)\n\tat org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer.checkKryoInitialized(KryoSerializer.java:500)';
    expect(classifyFailure(kryo).signals.map((s) => s.rule)).not.toContain('invalid-argument-during-setup');
  });

  it('attributes a Python traceback to the job file PyFlink staged, not to PyFlink itself', () => {
    const text = [
      'Caused by: java.lang.RuntimeException: Error received from SDK harness for instruction 4: Traceback (most recent call last):',
      '  File "/usr/local/lib/python3.10/site-packages/apache_beam/runners/worker/sdk_worker.py", line 287, in _execute',
      '  File "/usr/local/lib/python3.10/site-packages/pyflink/fn_execution/table/operations.py", line 101, in process_element',
      '  File "/tmp/pyflink/58a1/python-files/blob_p-1/enrich_udf.py", line 12, in eval',
      "ValueError: invalid literal for int() with base 10: 'n/a'",
    ].join('\n');
    const r = classifyFailure(text);
    expect(r.verdict).toBe('user');
    expect(r.signals.find((s) => s.rule === 'python-udf-traceback')?.evidence).toContain('enrich_udf.py:12');
  });

  it('names a loop side effect as such', () => {
    expect(
      classifyFailure('java.lang.UnsupportedOperationException: Partial recovery is not supported').subtype,
    ).toBe('loop-side-effect');
  });
});

describe('classifyInput', () => {
  it('treats /jobs/:id/exceptions JSON as a loop and classifies its first failure', () => {
    const payload = {
      exceptionHistory: {
        entries: [
          {
            exceptionName: 'java.lang.UnsupportedOperationException',
            stacktrace: 'java.lang.UnsupportedOperationException: Partial recovery is not supported',
            timestamp: 3_000,
          },
          { exceptionName: 'java.lang.NullPointerException', stacktrace: USER_NPE, timestamp: 1_000 },
        ],
      },
    };
    const r = classifyInput(JSON.stringify(payload));
    expect(r.firstFailure).toEqual({ index: 1, timestamp: 1_000, loopSize: 2, entries: 2 });
    expect(r.classification.subtype).toBe('npe-in-user-function');
  });

  it('classifies plain text directly', () => {
    expect(classifyInput(USER_NPE).firstFailure).toBeUndefined();
  });

  it('gives a lean below the verdict threshold a low-confidence verdict, never one the healer acts on', () => {
    const r = classifyFailure('ERROR in next method The response is not valid json', {});
    expect(r.verdict).toBe('system');
    expect(r.confidence).toBeLessThan(0.6);
    expect(r.signals[0]?.rule).toBe('worded-as-unavailability');
  });

  it('reads the wording of a text nothing else explains, refusals toward the owner', () => {
    const r = classifyFailure('code:[30012], brief info:[the script version does not exist]', {});
    expect(r.verdict).toBe('user');
    expect(r.confidence).toBeLessThan(0.6);
    expect(r.signals[0]?.rule).toBe('worded-as-a-refusal');
  });

  it('takes the wrapper frames of a cause recovered from its message to tell who threw it', () => {
    const text =
      'java.lang.RuntimeException: java.lang.NullPointerException\n\tat com.acme.orders.Enrich.map(Enrich.java:42)\n\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)';
    const r = classifyFailure(text, {});
    expect(r.verdict).toBe('user');
    expect(r.rootCause).toMatchObject({
      exception: 'java.lang.NullPointerException',
      frame: 'com.acme.orders.Enrich.map(Enrich.java:42)',
    });
  });

  it('never lets a deploy turn wording alone into a verdict the healer acts on', () => {
    const now = Date.parse('2026-11-22T01:00:00Z');
    const text = 'code:[30012], brief info:[invalid script: the required version is missing]';
    const r = classifyFailure(text, {
      now,
      recentChange: { kind: 'UpdateApplication', at: now - 120_000, succeeded: true },
    });
    expect(r.confidence).toBeLessThan(0.6);
  });

  it('gives an exception nothing recognises the base rate: a faint system lean, never one to act on', () => {
    const r = classifyFailure('io.pravega.client.stream.ReinitializationRequiredException: null');
    expect(r.verdict).toBe('system');
    expect(r.confidence).toBeLessThan(0.6);
    expect(r.signals.map((s) => s.rule)).toEqual(['unrecognised-exception']);
  });

  it("leans faintly to the owner for an exception of the job's own package, with nothing else known", () => {
    const r = classifyFailure('com.acme.FooBarException: quux');
    expect(r.verdict).toBe('user');
    expect(r.confidence).toBeLessThan(0.6);
  });
});
