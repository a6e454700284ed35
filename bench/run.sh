#!/usr/bin/env bash
# bench/run.sh NAME [args]: runs one benchmark; prints its table and, last, `RESULT name=NAME key=value ...`;
# writes bench/results/NAME.json. Without NAME, lists the benchmarks. Builds the project first if needed
# (REFINERY_BENCH_BUILT=1: the project is already installed, as in bin/test). bench/run.sh --smoke [NAME ...]:
# every benchmark (or those named) at its smoke size, peers included, each RESULT line checked for its keys.
set -euo pipefail
REFINERY_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REFINERY_HOME
cd "$REFINERY_HOME"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17\.'; then
  for c in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk; do
    if [ -x "$c/bin/java" ]; then export JAVA_HOME="$c"; break; fi
  done
fi
if [ -z "${REFINERY_BENCH_BUILT:-}" ]; then
  mvn -q -B -DskipTests -DskipAssembly install -pl bench -am >&2
fi
mvn -q -B dependency:build-classpath -pl bench -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=compile >&2
CP="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
# Benchmarks run Spark in local mode: bind to loopback (a real cluster's host sets SPARK_LOCAL_IP itself).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
OPENS="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)"
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${REFINERY_BENCH_JAVA_OPTS:--Xmx8g} $OPENS \
  -Dlog4j2.configurationFile="$REFINERY_HOME/conf/log4j2.properties" -Drefinery.home="$REFINERY_HOME" \
  -cp "$CP" dev.refinery.bench.BenchMain "$@"
