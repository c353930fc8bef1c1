#!/usr/bin/env bash
# Fetches the Kafka 3.9 runtime jars from Maven Central into <outDir>/libs and writes quiet
# reload4j configs to <outDir>/log4j.properties (brokers)
# and <outDir>/tools-log4j.properties (command-line tools). Run by scripts/fetch-peers.mjs (npm run peers:fetch).
set -euo pipefail
out="${1:?usage: fetch.sh <outDir>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/libs"
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/libs"
# Brokers write stdout to their own log file; keep it to what explains a failure.
cat > "$out/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.Kafka=INFO
log4j.logger.org.apache.kafka.clients=ERROR
log4j.logger.kafka.server.ReplicaFetcherThread=ERROR
log4j.logger.org.apache.kafka.raft=ERROR
PROPS
# Command-line tools (runKafkaTool) keep stdout for their output: warnings go to stderr.
cat > "$out/tools-log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
PROPS
echo "kafka-3.9: $(ls "$out/libs" | wc -l) jars in $out/libs"
