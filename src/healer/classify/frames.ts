/**
 * Who owns a stack frame. A frame is the job owner's code ("user") unless its package belongs to
 * the JDK, the Flink distribution, a Flink connector or format, or a well-known third-party
 * library. Connector frames are framework code, but a failure inside them may still be the
 * owner's configuration (wrong bootstrap servers, missing IAM permission): the rules decide that
 * from the exception, not from the frame.
 */
import type { Frame } from './types.js';

/** The owner of a frame. `generated` = Flink SQL code generation (classes without a package). */
export type FrameOrigin = 'jdk' | 'flink' | 'connector' | 'library' | 'generated' | 'user';

const JDK = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'org.w3c.', 'org.xml.', 'org.ietf.', 'org.omg.'];

/** Flink packages that are job code by convention (examples, quickstart archetype, training). */
const FLINK_USERLAND = [
  'org.apache.flink.streaming.examples.',
  'org.apache.flink.examples.',
  'org.apache.flink.quickstart.',
  'org.apache.flink.training.',
  'org.apache.flink.playgrounds.',
  'org.apache.flink.walkthrough.',
];

/** Flink connectors and formats (flink-connector-*, flink-cdc, shaded client libraries). */
const CONNECTOR = [
  'org.apache.flink.connector.',
  'org.apache.flink.connectors.',
  'org.apache.flink.streaming.connectors.',
  'org.apache.flink.formats.',
  'org.apache.flink.kafka.shaded.',
  'org.apache.flink.kinesis.shaded.',
  'org.apache.flink.elasticsearch',
  'org.apache.flink.cdc.',
  'com.ververica.cdc.',
  'software.amazon.kinesis.connectors.flink.',
  'com.amazonaws.services.kinesisanalytics.flink.connectors.',
];

/**
 * Table formats, databases' and vendors' Flink connectors, CDC engines: shipped as connector jars,
 * so their code (core included) is connector code, and a bug in it is a connector bug.
 */
const CONNECTOR_LIBS = [
  'org.apache.paimon.',
  'org.apache.iceberg.',
  'org.apache.hudi.',
  'org.apache.fluss.',
  'com.alibaba.fluss.',
  'org.apache.doris.',
  'com.starrocks.',
  'io.debezium.',
  'com.netease.arctic.',
  'org.apache.amoro.',
  'org.apache.seatunnel.',
  'ru.ivi.opensource.flinkclickhousesink.',
  'com.pinterest.flink.',
  'com.pinterest.psc.',
  'io.streamnative.connectors.',
  'org.apache.rocketmq.flink.',
  'com.alibaba.ververica.',
  'org.apache.inlong.',
  // Connector and platform stacks of the Flink ecosystem: their frames are not job code.
  'com.dtstack.flinkx.',
  'com.dtstack.chunjun.',
  'io.pravega.connectors.flink.',
  'org.apache.gravitino.flink.',
  'org.apache.streampark.',
  'com.streamxhub.streamx.',
  'org.dinky.',
  'com.dlink.',
  'org.apache.kyuubi.',
  'com.lakesoul.',
  'org.apache.linkis.',
  'io.tidb.bigdata.flink.',
  'org.tikv.',
  'com.ververica.',
  'io.github.jeff-zou.',
  'com.aliyun.openservices.',
  'org.apache.bahir.',
  'org.apache.flink.statefun.',
];

/** The Flink distribution proper. Other org.apache.flink.* packages are extensions shipped in the job jar. */
const FLINK = [
  'org.apache.flink.runtime.',
  'org.apache.flink.streaming.api.',
  'org.apache.flink.streaming.runtime.',
  'org.apache.flink.streaming.util.',
  'org.apache.flink.streaming.experimental.',
  'org.apache.flink.api.',
  'org.apache.flink.core.',
  'org.apache.flink.util.',
  'org.apache.flink.configuration.',
  'org.apache.flink.client.',
  'org.apache.flink.table.',
  'org.apache.flink.state.',
  'org.apache.flink.contrib.streaming.state.',
  'org.apache.flink.shaded.',
  'org.apache.flink.fs.',
  'org.apache.flink.metrics.',
  'org.apache.flink.python.',
  'org.apache.flink.types.',
  'org.apache.flink.queryablestate.',
  'org.apache.flink.optimizer.',
  'org.apache.flink.cep.',
  'org.apache.flink.changelog.',
  'org.apache.flink.kubernetes.',
  'org.apache.flink.yarn.',
  'org.apache.flink.dist.',
  'org.apache.flink.datastream.',
  'org.apache.flink.process.',
  'org.apache.flink.autoscaler.',
  // Flink's ancestor (Stratosphere/Nephele), in old reports.
  'eu.stratosphere.',
];

/** Third-party libraries: never the owner's own code, even when bundled in the job jar. */
const LIBRARY = [
  'scala.',
  'kotlin.',
  'kotlinx.',
  'akka.',
  'org.apache.pekko.',
  'io.netty.',
  'org.apache.kafka.',
  'kafka.',
  'io.confluent.',
  'com.amazonaws.',
  'software.amazon.',
  'com.fasterxml.',
  'com.google.',
  'org.apache.hadoop.',
  'org.apache.commons.',
  'org.apache.http.',
  'org.apache.hc.',
  'org.apache.avro.',
  'org.apache.parquet.',
  'org.apache.orc.',
  'org.apache.hive.',
  'org.apache.iceberg.',
  'org.apache.hudi.',
  'org.apache.paimon.',
  'org.apache.zookeeper.',
  'org.apache.curator.',
  'org.rocksdb.',
  'com.esotericsoftware.',
  'org.slf4j.',
  'org.apache.logging.',
  'org.apache.log4j.',
  'ch.qos.',
  'io.grpc.',
  'com.mysql.',
  'org.postgresql.',
  'io.debezium.',
  'org.elasticsearch.',
  'co.elastic.',
  'org.opensearch.',
  'org.apache.beam.',
  'org.apache.calcite.',
  'org.codehaus.',
  'org.objenesis.',
  'com.twitter.',
  'okhttp3.',
  'okio.',
  'reactor.',
  'io.micrometer.',
  'net.jpountz.',
  'org.xerial.',
  'com.github.luben.',
  'org.lz4.',
  'org.apache.pulsar.',
  'com.mongodb.',
  'org.bson.',
  'redis.clients.',
  'io.lettuce.',
  'org.apache.cassandra.',
  'com.datastax.',
  'org.eclipse.',
  'org.glassfish.',
  'jakarta.',
  'py4j.',
  'com.typesafe.',
  'org.apache.arrow.',
  'org.apache.thrift.',
  'org.apache.hbase.',
  'com.alibaba.',
  'org.apache.doris.',
  'com.starrocks.',
  'com.clickhouse.',
  'ru.yandex.clickhouse.',
  'org.joda.',
  'org.yaml.',
  'javassist.',
  'org.json.',
  'net.minidev.',
  'com.jayway.',
  'org.apache.camel.',
  'org.springframework.',
  'com.zaxxer.',
  'org.hibernate.',
  'org.mariadb.',
  'oracle.',
  'com.microsoft.',
  'io.vertx.',
  'io.opentelemetry.',
  'io.prometheus.',
  'com.squareup.',
  'org.apache.ratis.',
  'org.apache.rocketmq.',
  'com.ibm.',
  'org.apache.spark.',
  'org.apache.lucene.',
  'org.apache.zeppelin.',
  'net.bytebuddy.',
  'org.apache.velocity.',
  'io.airlift.',
  'org.apache.druid.',
  'org.apache.celeborn.',
  'org.apache.uniffle.',
  'software.amazon.msk.',
  'org.apache.fluss.',
  // Clients, stores and engines a job talks to or runs on: vendor code, not the owner's.
  'io.pravega.',
  'com.vesoft.nebula.',
  'com.github.housepower.',
  'com.microsoft.sqlserver.',
  'net.snowflake.',
  'com.amazon.redshift.',
  'io.trino.',
  'com.facebook.presto.',
  'org.apache.kudu.',
  'org.apache.phoenix.',
  'org.apache.solr.',
  'org.neo4j.',
  'com.couchbase.',
  'com.aerospike.',
  'org.redisson.',
  'com.rabbitmq.',
  'org.apache.activemq.',
  'io.nats.',
  'com.aliyun.',
  'com.aliyuncs.',
  'com.baidu.',
  'com.tencent.',
  'com.tencentcloudapi.',
  'com.huaweicloud.',
  'com.huawei.',
  'com.obs.',
  'io.minio.',
  'com.azure.',
  'org.apache.ignite.',
  'com.hazelcast.',
  'org.apache.dubbo.',
  'io.undertow.',
  'org.apache.xerces.',
  'com.ctc.wstx.',
  'io.swagger.',
  'org.apache.tez.',
  'io.delta.',
  'org.apache.gluten.',
  'io.github.zhztheplayer.',
  'ai.djl.',
  'org.tensorflow.',
  'ml.dmlc.',
  'org.deeplearning4j.',
  'net.openhft.',
  'org.agrona.',
  'io.aeron.',
  'org.apache.ozone.',
  'org.apache.kerby.',
  'com.univocity.',
  'org.apache.poi.',
  'org.apache.ranger.',
  'org.apache.atlas.',
  'org.apache.kyuubi.',
  'io.fabric8.',
  'io.kubernetes.',
  'com.github.shyiko.',
  'com.github.benmanes.',
  'org.lmdbjava.',
  'org.forstdb.',
  'org.apache.commons.',
  'org.apache.httpcomponents.',
  'io.confluent.',
  'io.apicurio.',
  'com.networknt.',
  'org.everit.',
  'com.esri.',
  'org.locationtech.',
  'io.questdb.',
  'com.influxdb.',
  'org.influxdb.',
  'io.milvus.',
  'io.qdrant.',
  'dev.langchain4j.',
  'com.openai.',
  'com.theokanning.openai.',
];

function startsWithAny(cls: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => cls.startsWith(p));
}

/** Classifies a class name by owner. */
export function frameOrigin(cls: string): FrameOrigin {
  // A package the poster cut (`...Serializer`) proves no ownership: never claim it as job code.
  if (cls.startsWith('.')) return 'library';
  if (startsWithAny(cls, JDK)) return 'jdk';
  if (startsWithAny(cls, FLINK_USERLAND)) return 'user';
  if (startsWithAny(cls, CONNECTOR)) return 'connector';
  if (startsWithAny(cls, CONNECTOR_LIBS)) return 'connector';
  if (startsWithAny(cls, FLINK)) return 'flink';
  // AWS's MSF runtime helper is a library; the aws-samples jobs live in com.amazonaws.services.msf
  // and com.amazonaws.services.kinesisanalytics (their job code, not AWS's).
  if (cls.startsWith('com.amazonaws.services.kinesisanalytics.runtime.')) return 'library';
  if (
    cls.startsWith('com.amazonaws.services.msf.') ||
    cls.startsWith('com.amazonaws.services.kinesisanalytics.')
  )
    return 'user';
  if (startsWithAny(cls, LIBRARY)) return 'library';
  // Shaded or relocated copies (com.vendor.shaded.org.apache.kafka…) are libraries: nobody shades
  // their own job code into a relocated package.
  if (/\.(?:shaded|relocated|shade|thirdparty|third_party|vendor)\./.test(cls)) return 'library';
  // Any other org.apache.flink.* package (flink-siddhi, flink-ml, flink-agents, …) is an
  // extension bundled with the job: not the Flink runtime, so not a runtime bug.
  if (cls.startsWith('org.apache.flink.')) return 'library';
  if (!cls.includes('.')) return 'generated';
  return 'user';
}

/** True for frames the job owner wrote (or generated from the owner's SQL). */
export function isUserFrame(frame: Frame): boolean {
  const o = frameOrigin(frame.cls);
  return o === 'user' || o === 'generated';
}

/** True for frames of the Flink runtime itself (not connectors, not libraries). */
export function isFlinkFrame(frame: Frame): boolean {
  return frameOrigin(frame.cls) === 'flink';
}

/** The first frame that is not JDK plumbing (Objects.requireNonNull, reflection, …). */
export function firstNonJdkFrame(frames: readonly Frame[]): Frame | undefined {
  return frames.find((f) => frameOrigin(f.cls) !== 'jdk');
}

/** `cls.method(File.java:N)` for output. */
export function formatFrame(frame: Frame | undefined): string {
  if (!frame) return '';
  const loc = frame.file
    ? frame.line !== undefined
      ? `${frame.file}:${frame.line}`
      : frame.file
    : 'Unknown Source';
  return `${frame.cls}.${frame.method}(${loc})`;
}
