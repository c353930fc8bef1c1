/**
 * One specification per failure family of docs/classifier.md, written from Flink's and the clients'
 * own messages (not corpus texts): who threw it decides first, what is known about the exception
 * next, context last — and context never turns strong evidence around.
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/healer/classify/index.js';

const at = (...frames: string[]) => frames.map((f) => `\tat ${f}`).join('\n');
const TASK = at(
  'org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:579)',
  'org.apache.flink.runtime.taskmanager.Task.doRun(Task.java:953)',
  'java.base/java.lang.Thread.run(Thread.java:840)',
);
const NOW = Date.parse('2026-11-22T01:00:00Z');
const deployed = (secondsBefore: number, kind = 'UpdateApplication') => ({
  now: NOW,
  recentChange: { kind, at: NOW - secondsBefore * 1000, succeeded: true },
});

const SYSTEM: [string, string][] = [
  [
    'an NPE thrown in connector code',
    `java.lang.NullPointerException\n${at('org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader.fetch(KafkaPartitionSplitReader.java:120)', 'org.apache.flink.connector.base.source.reader.fetcher.FetchTask.run(FetchTask.java:58)')}\n${TASK}`,
  ],
  [
    'an index error thrown in the Flink runtime',
    `java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3\n${at('org.apache.flink.runtime.io.network.partition.consumer.SingleInputGate.getChannel(SingleInputGate.java:412)', 'org.apache.flink.runtime.io.network.partition.consumer.SingleInputGate.pollNext(SingleInputGate.java:780)')}\n${TASK}`,
  ],
  [
    'an HTTP 502 from an external service',
    `java.io.IOException: Server returned HTTP response code: 502 for URL: https://profiles.internal/api/v1/customers\n${at('sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1997)', 'org.apache.flink.connector.http.HttpSinkWriter.write(HttpSinkWriter.java:88)')}\n${TASK}`,
  ],
  [
    'Elasticsearch answering 503',
    'org.elasticsearch.client.ResponseException: method [POST], host [http://es:9200], URI [/_bulk], status line [HTTP/1.1 503 Service Unavailable]',
  ],
  [
    'a name that stopped resolving',
    `java.net.UnknownHostException: b-1.orders.kafka.eu-west-1.amazonaws.com: Name or service not known\n${at('java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)', 'org.apache.kafka.clients.ClientUtils.resolve(ClientUtils.java:114)')}`,
  ],
  [
    'a MySQL failover that purged the binlog',
    'org.apache.kafka.connect.errors.ConnectException: The connector is trying to read binlog starting at GTIDs 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5, but this is no longer available on the server. Reconfigure the connector to use a snapshot when needed.',
  ],
  [
    'a stream-load endpoint restarting',
    'org.apache.doris.flink.exception.DorisRuntimeException: stream load error: Connection refused (Connection refused), see more in null',
  ],
  [
    'checkpoint storage timing out',
    `java.io.IOException: Could not flush and close the file system output stream to s3://ckpt/app/chk-12/3f2a in order to obtain the stream state handle\n${at('org.apache.flink.runtime.state.filesystem.FsCheckpointStreamFactory$FsCheckpointStateOutputStream.closeAndGetHandle(FsCheckpointStreamFactory.java:354)')}\nCaused by: java.net.SocketTimeoutException: Read timed out\n${at('java.base/java.net.SocketInputStream.socketRead0(Native Method)')}`,
  ],
  [
    'a broker that is no longer the leader',
    'org.apache.flink.streaming.connectors.kafka.FlinkKafkaException: Failed to send data to Kafka: This server is not the leader for that topic-partition.\nCaused by: org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader.',
  ],
  [
    'batches expiring while brokers are replaced',
    'org.apache.kafka.common.errors.TimeoutException: Expiring 42 record(s) for orders-3:120001 ms has passed since batch creation',
  ],
  [
    'a Flink RPC timing out',
    `java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(TaskExecutorGateway.submitTask(TaskDeploymentDescriptor, JobMasterId, Time))] at recipient [pekko.tcp://flink@10.0.1.7:6122/user/rpc/taskmanager_0] timed out.\n${at('org.apache.flink.runtime.rpc.pekko.PekkoInvocationHandler.lambda$invokeRpc$1(PekkoInvocationHandler.java:259)')}`,
  ],
  [
    'a lost result partition',
    'org.apache.flink.runtime.io.network.partition.PartitionNotFoundException: Partition 8c1a@5d2b not found.',
  ],
  [
    'a connector bundle whose classes do not link with its own relocated library',
    'java.lang.NoSuchMethodError: org.apache.hudi.org.apache.avro.specific.SpecificRecordBuilderBase.<init>(Lorg/apache/hudi/org/apache/avro/Schema;)V',
  ],
  [
    'an NPE carried in the message of a serializer exception inside a connector',
    `com.esotericsoftware.kryo.KryoException: java.lang.NullPointerException\nSerialization trace:\naction (org.apache.flink.connector.elasticsearch.sink.Operation)\n${at('com.esotericsoftware.kryo.serializers.ObjectField.read(ObjectField.java:125)', 'org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer.deserialize(KryoSerializer.java:385)')}`,
  ],
  [
    'an exactly-once producer whose transaction the broker forgot',
    'org.apache.kafka.common.errors.UnknownProducerIdException: This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question.',
  ],
  [
    'a JDBC pool that could not get a connection',
    'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
  ],
  [
    'a MySQL primary that purged the binlogs the CDC source needs',
    'com.github.shyiko.mysql.binlog.network.ServerException: The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires.',
  ],
  ['a local disk that filled up', 'java.io.IOException: No space left on device'],
];

const USER: [string, string][] = [
  [
    'an NPE in the job code',
    `java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n${at('com.acme.orders.Enrich.map(Enrich.java:42)', 'org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)')}\n${TASK}`,
  ],
  [
    'a SASL mechanism the brokers do not enable',
    "org.apache.kafka.common.errors.UnsupportedSaslMechanismException: Client SASL mechanism 'PLAIN' not enabled in the server, enabled mechanisms are [SCRAM-SHA-512]",
  ],
  [
    'an SSL handshake against the wrong listener',
    'org.apache.kafka.common.errors.SslAuthenticationException: SSL handshake failed\nCaused by: javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?',
  ],
  [
    'no timestamp assigner for event-time windows',
    `java.lang.RuntimeException: Record has Long.MIN_VALUE timestamp (= no timestamp marker). Is the time characteristic set to 'ProcessingTime', or did you forget to call 'DataStream.assignTimestampsAndWatermarks(...)'?\n${at('org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows.assignWindows(TumblingEventTimeWindows.java:83)', 'org.apache.flink.streaming.runtime.operators.windowing.WindowOperator.processElement(WindowOperator.java:302)')}\n${TASK}`,
  ],
  [
    'an empty topology',
    `java.lang.IllegalStateException: No operators defined in streaming topology. Cannot execute.\n${at('org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getStreamGraphGenerator(StreamExecutionEnvironment.java:2287)', 'org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.execute(StreamExecutionEnvironment.java:2068)')}`,
  ],
  [
    'a non-deterministic key',
    `java.lang.IllegalArgumentException: Key group 45 is not in KeyGroupRange{startKeyGroup=0, endKeyGroup=31}. Unless you're directly using low level state access APIs, this is most likely caused by non-deterministic shuffle key (hashCode and equals implementation).\n${at('org.apache.flink.runtime.state.KeyGroupRangeOffsets.computeKeyGroupIndex(KeyGroupRangeOffsets.java:144)', 'org.apache.flink.runtime.state.heap.StateTable.put(StateTable.java:168)')}\n${TASK}`,
  ],
  [
    'a Python dependency not shipped with a PyFlink job',
    `Caused by: java.lang.RuntimeException: Error received from SDK harness for instruction 4: Traceback (most recent call last):\n  File "/usr/local/lib/python3.10/site-packages/pyflink/fn_execution/beam/beam_operations.py", line 59, in create\n  File "/tmp/python-files/udfs.py", line 3, in <module>\n    import requests\nModuleNotFoundError: No module named 'requests'`,
  ],
  [
    'a record whose type is not the sink column type',
    `java.lang.ClassCastException: class java.lang.Long cannot be cast to class java.lang.Integer (java.lang.Long and java.lang.Integer are in module java.base of loader 'bootstrap')\n${at('org.apache.flink.connector.jdbc.converter.AbstractJdbcRowConverter.lambda$createExternalConverter$57fde215$8(AbstractJdbcRowConverter.java:268)', 'org.apache.flink.connector.jdbc.converter.AbstractJdbcRowConverter.toExternal(AbstractJdbcRowConverter.java:99)')}\n${TASK}`,
  ],
  [
    'a SQL window over a column that is not a time attribute (no WATERMARK)',
    'org.apache.flink.table.api.TableException: Window aggregate can only be defined over a time attribute column, but TIMESTAMP(3) encountered.',
  ],
  [
    'a value the sink database refuses',
    "java.sql.SQLException: Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'comment' at row 1",
  ],
  [
    'a required option missing when a connector creates its catalog (a precondition during setup)',
    `java.lang.NullPointerException: 'warehouse' path must be set\n${at('org.apache.paimon.utils.Preconditions.checkNotNull(Preconditions.java:65)', 'org.apache.paimon.catalog.CatalogFactory.warehouse(CatalogFactory.java:55)', 'org.apache.paimon.catalog.CatalogFactory.createCatalog(CatalogFactory.java:83)')}`,
  ],
  [
    'a lambda the job jar cannot deserialize',
    'java.lang.IllegalArgumentException: Invalid lambda deserialization',
  ],
];

describe('system families', () => {
  it.each(SYSTEM)('%s → system', (_name, text) => {
    expect(classifyFailure(text, { now: NOW }).verdict).toBe('system');
  });
  it.each(SYSTEM)('%s → still system 200 s after a deploy', (_name, text) => {
    expect(classifyFailure(text, deployed(200)).verdict).not.toBe('user');
  });
});

describe('user families', () => {
  it.each(USER)('%s → user', (_name, text) => {
    expect(classifyFailure(text, { now: NOW }).verdict).toBe('user');
  });
});

describe('context that is evidence of cause', () => {
  it('blames a name that does not resolve on the endpoint change just made', () => {
    const dns = SYSTEM.find(([n]) => n.startsWith('a name'))?.[1] ?? '';
    const r = classifyFailure(dns, deployed(120, 'endpoint'));
    expect(r.verdict).toBe('user');
    expect(r.subtype).toBe('bad-config-endpoint');
  });

  it('never blames an answered 5xx on an endpoint change', () => {
    const es = SYSTEM.find(([n]) => n.startsWith('Elasticsearch'))?.[1] ?? '';
    expect(classifyFailure(es, deployed(120, 'endpoint')).verdict).toBe('system');
  });
});
