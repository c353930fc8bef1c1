#!/usr/bin/env bash
# Fetches the Flink 1.20 runtime jars from Maven Central into <outDir>/libs, compiles the test job
# (job/src, Java 17) into <outDir>/streamctl-test-job.jar and writes the cluster's log4j 2 config to
# <outDir>/log4j.properties. Run by scripts/fetch-peers.mjs (npm run peers:fetch).
set -euo pipefail
out="${1:?usage: fetch.sh <outDir>}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/libs" "$out/job-classes" "$out/streamctl-test-job.jar"
mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/libs"

# The job jar holds only the job's classes: Flink and the datagen connector are on the cluster's
# classpath, as in a session cluster's lib/. -g keeps local variable names, so the JVM's helpful
# NullPointerException messages name the variable ("because \"region\" is null").
mkdir -p "$out/job-classes"
javac -g --release 17 -encoding UTF-8 -cp "$out/libs/*" -d "$out/job-classes" \
  $(find "$here/job/src/main/java" -name '*.java' | sort)
printf 'Main-Class: com.acme.streamctl.testjob.OrdersJob\n' > "$out/job-manifest.txt"
jar --create --file "$out/streamctl-test-job.jar" --manifest "$out/job-manifest.txt" -C "$out/job-classes" .
rm -rf "$out/job-classes" "$out/job-manifest.txt"

# One log file per process (-Dlog.file). INFO keeps the lines operators and the AWS emulator read:
# "<task> switched from <A> to <B>." (TaskManager), job status transitions and checkpoints (JobManager).
cat > "$out/log4j.properties" <<'PROPS'
monitorInterval = 0
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5level %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
logger.netty.name = org.apache.flink.shaded.netty4
logger.netty.level = WARN
logger.zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.zookeeper.level = WARN
logger.kryo.name = org.apache.flink.api.java.typeutils
logger.kryo.level = WARN
PROPS
echo "flink: $(ls "$out/libs" | wc -l) jars in $out/libs, job jar $out/streamctl-test-job.jar"
