import { describe, expect, it } from 'vitest';
import { formatFrame, frameOrigin } from '../../../src/healer/classify/frames.js';

describe('frameOrigin', () => {
  it.each([
    ['java.util.HashMap', 'jdk'],
    ['jdk.internal.reflect.GeneratedMethodAccessor1', 'jdk'],
    ['sun.nio.ch.IOUtil', 'jdk'],
    ['org.apache.flink.runtime.taskmanager.Task', 'flink'],
    ['org.apache.flink.streaming.runtime.tasks.StreamTask', 'flink'],
    ['org.apache.flink.api.java.typeutils.runtime.PojoSerializer', 'flink'],
    ['org.apache.flink.contrib.streaming.state.RocksDBMapState', 'flink'],
    ['org.apache.flink.connector.kafka.source.KafkaSource', 'connector'],
    ['org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer', 'connector'],
    ['org.apache.flink.kafka.shaded.org.apache.kafka.clients.NetworkClient', 'connector'],
    ['com.ververica.cdc.connectors.mysql.source.MySqlSource', 'connector'],
    ['org.apache.kafka.clients.consumer.KafkaConsumer', 'library'],
    ['software.amazon.awssdk.core.SdkClient', 'library'],
    ['com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime', 'library'],
    ['scala.collection.immutable.List', 'library'],
    ['org.apache.zeppelin.flink.FlinkSqlInterrpeter', 'library'],
    ['org.apache.flink.streaming.siddhi.router.AddRouteOperator', 'library'],
    ['org.apache.flink.streaming.examples.wordcount.WordCount', 'user'],
    ['com.amazonaws.services.msf.StreamingJob', 'user'],
    ['com.acme.Enrich', 'user'],
    ['StreamExecCalc$19', 'generated'],
  ])('%s → %s', (cls, origin) => {
    expect(frameOrigin(cls)).toBe(origin);
  });

  it('formats frames like a stack trace', () => {
    expect(formatFrame({ cls: 'com.acme.Enrich', method: 'map', file: 'Enrich.java', line: 42 })).toBe(
      'com.acme.Enrich.map(Enrich.java:42)',
    );
    expect(formatFrame({ cls: 'a.B', method: 'c' })).toBe('a.B.c(Unknown Source)');
    expect(formatFrame(undefined)).toBe('');
  });
});
