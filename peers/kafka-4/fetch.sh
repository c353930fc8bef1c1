#!/usr/bin/env bash
# Fetches the Kafka 4.x runtime jars from Maven Central into <outDir>/libs and writes quiet
# log4j2 configs to <outDir>/log4j2.properties (brokers)
# and <outDir>/tools-log4j2.properties (command-line tools). Run by scripts/fetch-peers.mjs (npm run peers:fetch).
set -euo pipefail
out="${1:?usage: fetch.sh <outDir>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/libs"
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/libs"
# Brokers write stdout to their own log file; keep it to what explains a failure.
cat > "$out/log4j2.properties" <<'PROPS'
status = error
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = INFO
logger.kafka.name = kafka.Kafka
logger.kafka.level = INFO
logger.clients.name = org.apache.kafka.clients
logger.clients.level = ERROR
logger.fetcher.name = kafka.server.ReplicaFetcherThread
logger.fetcher.level = ERROR
logger.raft.name = org.apache.kafka.raft
logger.raft.level = ERROR
PROPS
# Command-line tools (runKafkaTool) keep stdout for their output: warnings go to stderr.
cat > "$out/tools-log4j2.properties" <<'PROPS'
status = error
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
PROPS
echo "kafka-4: $(ls "$out/libs" | wc -l) jars in $out/libs"
