#!/usr/bin/env bash
# The shaded assembly runs under a real spark-submit (from the pyspark package) on the demo corpus and
# leaves the same tables, row for row (same doc_id fingerprints), as bin/refinery does.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/pyspark-env.sh"
. "$REFINERY_HOME/tests/lib/summary.sh"
. "$REFINERY_HOME/tests/lib/demo-warehouse.sh"
[ -f "$ASSEMBLY" ] || { echo "missing $ASSEMBLY: run mvn install first"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

"$SPARK_SUBMIT" --master 'local[2]' --class dev.refinery.cli.Main --jars "$DELTA_JARS" \
  --conf spark.ui.enabled=false --driver-java-options "-Dlog4j2.configurationFile=$REFINERY_HOME/conf/log4j2.properties" \
  "$ASSEMBLY" demo --set "warehouse.root=\"$work/submitted\"" > submitted.txt 2> submitted.err || {
    cat submitted.err | tail -40; exit 1; }
summary_tables < submitted.txt > a.txt
summary_tables < "$DEMO_SUMMARY" > b.txt
cat a.txt
grep -qE '^  documents +[1-9]' a.txt || { echo "spark-submit run wrote no documents"; exit 1; }
diff a.txt b.txt || { echo "spark-submit and bin/refinery disagree"; exit 1; }
echo "spark-submit demo: same tables as bin/refinery"
