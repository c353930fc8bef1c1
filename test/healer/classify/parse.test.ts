import { describe, expect, it } from 'vitest';
import { normalize, stripLogPrefix } from '../../../src/healer/classify/normalize.js';
import { parseFrame, parseHeader, parseText } from '../../../src/healer/classify/parse.js';
import { primaryTrace, rootCauseIndex } from '../../../src/healer/classify/root-cause.js';

const CHAIN = [
  'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
  '\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:180)',
  'Caused by: java.lang.RuntimeException: One or more fetchers have encountered exception',
  '\tat org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager.checkErrors(SplitFetcherManager.java:261)',
  '\t... 12 more',
  'Caused by: java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
  '\tat com.acme.Enrich.map(Enrich.java:42)',
  '\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)',
].join('\n');

describe('stripLogPrefix', () => {
  it.each([
    [
      '2024-01-01 12:00:00,123 WARN  org.apache.flink.runtime.taskmanager.Task [] - Source (1/1) switched',
      'Source (1/1) switched',
      true,
    ],
    ['2024-01-01T12:00:00.123Z ERROR org.apache.flink.Foo - boom', 'boom', true],
    [
      '17:14:30,512 INFO  org.apache.flink.runtime.executiongraph.ExecutionGraph        - Job x',
      'Job x',
      true,
    ],
    [
      '2020-03-18 23:08:47 [INFO ](ExecutionGraph) [x] Source switched',
      '(ExecutionGraph) [x] Source switched',
      true,
    ],
    ['flink_1  | Starting Job Manager', 'Starting Job Manager', false],
    ['java.lang.RuntimeException: a - b', 'java.lang.RuntimeException: a - b', false],
    ['\tat com.acme.A.b(A.java:1)', '\tat com.acme.A.b(A.java:1)', false],
  ])('%s', (line, text, record) => {
    expect(stripLogPrefix(line)).toEqual({ text, record });
  });
});

describe('normalize', () => {
  it('unwraps CloudWatch JSON log records: message and throwableInformation', () => {
    const rec = JSON.stringify({
      messageType: 'ERROR',
      message: 'Task failed',
      throwableInformation: 'java.io.IOException: x\n\tat com.acme.A.b(A.java:1)',
    });
    const lines = normalize(`2024-01-01T00:00:00.000Z ${rec}`).map((l) => l.text);
    expect(lines).toEqual(['Task failed', 'java.io.IOException: x', '\tat com.acme.A.b(A.java:1)']);
  });

  it('unwraps a Flink exceptionHistory payload and GetLogEvents output', () => {
    const hist = JSON.stringify({
      exceptionHistory: {
        entries: [{ exceptionName: 'x', stacktrace: 'java.lang.Exception: boom', timestamp: 1 }],
      },
    });
    expect(normalize(hist).map((l) => l.text)).toEqual(['java.lang.Exception: boom']);
    const events = JSON.stringify({
      events: [
        { timestamp: 1, message: 'line one' },
        { timestamp: 2, message: 'line two' },
      ],
    });
    expect(normalize(events).map((l) => l.text)).toEqual(['line one', 'line two']);
  });

  it('restores escaped newlines of a double-encoded ErrorString', () => {
    const lines = normalize('java.lang.Exception: boom\\n\\tat com.acme.A.b(A.java:1)').map((l) => l.text);
    expect(lines).toEqual(['java.lang.Exception: boom', '\tat com.acme.A.b(A.java:1)']);
  });
});

describe('parseFrame / parseHeader', () => {
  it.each([
    [
      '\tat com.acme.Enrich.map(Enrich.java:42)',
      { cls: 'com.acme.Enrich', method: 'map', file: 'Enrich.java', line: 42 },
    ],
    [
      'at java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)',
      { cls: 'java.util.concurrent.FutureTask', method: 'run', file: 'FutureTask.java', line: 317 },
    ],
    [
      '\tat app//com.acme.A.<init>(A.java:3)',
      { cls: 'com.acme.A', method: '<init>', file: 'A.java', line: 3 },
    ],
    [
      '\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      { cls: 'sun.reflect.NativeMethodAccessorImpl', method: 'invoke0' },
    ],
    [
      '\tat org.apache.flink.X.y(X.java:1) ~[flink-dist-1.20.0.jar:1.20.0]',
      { cls: 'org.apache.flink.X', method: 'y', file: 'X.java', line: 1 },
    ],
  ])('%s', (line, frame) => {
    expect(parseFrame(line)).toMatchObject(frame);
  });

  it('flags a frame cut off mid-line', () => {
    expect(parseFrame('at org.apache.flink.X.y(X.java:30')?.cut).toBe(true);
  });

  it.each([
    ['java.lang.NullPointerException', { exception: 'java.lang.NullPointerException', message: '' }],
    [
      'org.apache.kafka.common.errors.TimeoutException: Timeout expired while fetching topic metadata',
      {
        exception: 'org.apache.kafka.common.errors.TimeoutException',
        message: 'Timeout expired while fetching topic metadata',
      },
    ],
    [
      'java.lang.OutOfMemoryError: Java heap space',
      { exception: 'java.lang.OutOfMemoryError', message: 'Java heap space' },
    ],
    ['Job failed because of something', undefined],
  ])('%s', (text, header) => {
    expect(parseHeader(text)).toEqual(header);
  });
});

describe('parseText', () => {
  it('builds the Caused-by chain with frames and "... N more"', () => {
    const [trace] = parseText(CHAIN).traces;
    expect(trace?.chain.map((c) => c.exception)).toEqual([
      'org.apache.flink.runtime.JobException',
      'java.lang.RuntimeException',
      'java.lang.NullPointerException',
    ]);
    expect(trace?.chain[1]?.elided).toBe(12);
    expect(trace?.chain[2]?.frames[0]).toMatchObject({ cls: 'com.acme.Enrich', method: 'map', line: 42 });
  });

  it('picks the deepest meaningful cause as root, skipping wrappers and interrupt echoes', () => {
    const trace = parseText(`${CHAIN}\nCaused by: java.lang.InterruptedException`).traces[0];
    expect(trace?.chain[rootCauseIndex(trace)]?.exception).toBe('java.lang.NullPointerException');
  });

  it('keeps Suppressed throwables out of the chain', () => {
    const text =
      'org.apache.kafka.common.KafkaException: boom\n\tat a.B.c(B.java:1)\n\tSuppressed: java.lang.NullPointerException\n\t\tat d.E.f(E.java:2)';
    const [trace] = parseText(text).traces;
    expect(trace?.chain.map((c) => c.exception)).toEqual(['org.apache.kafka.common.KafkaException']);
    expect(trace?.suppressed.map((c) => c.exception)).toEqual(['java.lang.NullPointerException']);
  });

  it('recovers causes hidden in a wrapper message and in SerializedThrowable', () => {
    const [t1] = parseText(
      'java.lang.RuntimeException: java.lang.ClassNotFoundException: com.acme.Missing',
    ).traces;
    expect(t1?.chain.map((c) => c.exception)).toEqual([
      'java.lang.RuntimeException',
      'java.lang.ClassNotFoundException',
    ]);
    const [t2] = parseText('org.apache.flink.util.SerializedThrowable: java.io.IOException: disk').traces;
    expect(t2?.chain.map((c) => `${c.exception}: ${c.message}`)).toEqual(['java.io.IOException: disk']);
  });

  it('splits interleaved exceptions and log lines, and chooses the first non-cancellation trace', () => {
    const text = [
      '2024-01-01 00:00:00,000 INFO  org.apache.flink.runtime.taskmanager.Task [] - Map (1/2) switched from RUNNING to CANCELING.',
      'org.apache.flink.runtime.execution.CancelTaskException: Task was cancelled',
      '\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:1)',
      '2024-01-01 00:00:01,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - Map (2/2) switched from RUNNING to FAILED with failure cause: java.lang.IllegalStateException: bad',
      '\tat com.acme.Map.map(Map.java:9)',
    ].join('\n');
    const parsed = parseText(text);
    expect(parsed.traces).toHaveLength(2);
    expect(primaryTrace(parsed)?.chain[0]?.exception).toBe('java.lang.IllegalStateException');
    expect(parsed.lines[0]).toContain('switched from RUNNING to CANCELING');
  });

  it('continues a multi-line message until the first frame', () => {
    const [trace] = parseText(
      'org.apache.flink.streaming.runtime.tasks.StreamTaskException: Cannot load user class: com.acme.X\nClassLoader info: URL ClassLoader:\n\tat org.apache.flink.streaming.api.graph.StreamConfig.get(StreamConfig.java:1)',
    ).traces;
    expect(trace?.chain[0]?.message).toBe(
      'Cannot load user class: com.acme.X\nClassLoader info: URL ClassLoader:',
    );
  });

  it.each([
    [
      'an ErrorString at the 512-character limit',
      `org.apache.flink.runtime.JobException: Recovery is suppressed ${'x'.repeat(460)}`.slice(0, 512),
      true,
    ],
    ['a trace ending in a cut frame', 'java.lang.Exception: e\n\tat org.apache.flink.X.y(X.java:3', true],
    ['a complete short trace', 'java.lang.Exception: e\n\tat org.apache.flink.X.y(X.java:3)', false],
  ])('truncation: %s', (_name, text, truncated) => {
    expect(parseText(text).truncated).toBe(truncated);
  });

  it('handles a text with no exception at all', () => {
    const parsed = parseText('Container killed on request. Exit code is 143');
    expect(parsed.traces).toEqual([]);
    expect(parsed.lines).toEqual(['Container killed on request. Exit code is 143']);
  });

  it('reads frames printed without their location, and a "..." cut inside a trace', () => {
    const p = parseText(
      [
        'java.lang.RuntimeException: java.lang.IndexOutOfBoundsException',
        '  at org.apache.paimon.flink.lookup.FileStoreLookupFunction.lookup',
        '...',
        'Caused by: java.lang.IndexOutOfBoundsException',
        '  at org.apache.paimon.memory.MemorySegment.get',
        '  at org.apache.paimon.data.BinaryString.toString',
      ].join('\n'),
    );
    expect(p.traces).toHaveLength(1);
    const t = p.traces[0]!;
    const root = t.chain[rootCauseIndex(t)]!;
    expect(root.exception).toBe('java.lang.IndexOutOfBoundsException');
    expect(root.frames.map((f) => f.cls)).toEqual([
      'org.apache.paimon.memory.MemorySegment',
      'org.apache.paimon.data.BinaryString',
    ]);
    expect(parseFrame('  at least three brokers')).toBeUndefined();
  });

  it('reads a trace copied through a mail reply or a web page: quote prefixes, entities, wrapped frames', () => {
    const p = parseText(
      [
        '> org.apache.flink.util.SerializedThrowable: Asynchronous task checkpoint failed.',
        '> &nbsp;&nbsp;&nbsp;&nbsp;at',
        '> org.apache.flink.streaming.runtime.tasks.AsyncCheckpointRunnable.run(AsyncCheckpointRunnable.java:175)',
        '> Caused by: java.io.IOException: Could not flush &amp; close',
      ].join('\n'),
    );
    const t = p.traces[0]!;
    expect(t.chain.map((c) => c.exception)).toEqual([
      'org.apache.flink.util.SerializedThrowable',
      'java.io.IOException',
    ]);
    expect(t.chain[0]?.frames[0]?.cls).toBe(
      'org.apache.flink.streaming.runtime.tasks.AsyncCheckpointRunnable',
    );
    expect(t.chain[1]?.message).toBe('Could not flush & close');
  });
});
