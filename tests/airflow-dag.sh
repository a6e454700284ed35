#!/usr/bin/env bash
# The Airflow DAG imports with zero errors, and `airflow dags test` runs every stage through
# SparkSubmitOperator with spark-submit from the pyspark package, submitting to the standalone cluster of
# tests/lib/cluster.sh (the `spark_default` connection points at its master), on the demo corpus, leaving the
# expected tables for the run date. Installs Airflow and the Spark provider from PyPI on first use.
set -euo pipefail
REFINERY_HOME="${REFINERY_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export REFINERY_HOME
. "$REFINERY_HOME/tests/lib/cluster.sh"
AIRFLOW_VENV="${REFINERY_CACHE:-$HOME/.cache/refinery}/airflow"
if [ ! -x "$AIRFLOW_VENV/bin/airflow" ]; then
  echo "installing Apache Airflow into $AIRFLOW_VENV (first use only)" >&2
  python3 -m venv "$AIRFLOW_VENV" >&2
  "$AIRFLOW_VENV/bin/pip" install -q "apache-airflow==3.3.2" "apache-airflow-providers-apache-spark==6.3.4" >&2
fi
work=$(mktemp -d); trap 'cluster_stop; rm -rf "$work"' EXIT
cluster_start
export AIRFLOW_HOME="$work/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$REFINERY_HOME/airflow/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__UNIT_TEST_MODE=False
export AIRFLOW_CONN_SPARK_DEFAULT="{\"conn_type\": \"spark\", \"host\": \"${CLUSTER_MASTER%:*}\", \"port\": ${CLUSTER_MASTER##*:}}"
export AIRFLOW_VAR_REFINERY_WAREHOUSE="$work/wh"
export AIRFLOW_VAR_REFINERY_CONF_FILE="$REFINERY_HOME/conf/local.conf"
export PATH="$PYSPARK_VENV/bin:$PATH"
AF="$AIRFLOW_VENV/bin"

"$AF/python" - <<PY
from airflow.dag_processing.dagbag import DagBag
bag = DagBag("$REFINERY_HOME/airflow/dags")
assert not bag.import_errors, bag.import_errors
dag = bag.dags["refinery_pipeline"]
order = [t.task_id for t in dag.topological_sort()] if hasattr(dag, "topological_sort") else sorted(dag.task_ids)
print("DAG imports cleanly; tasks:", order)
PY
"$AF/airflow" db migrate > "$work/db.log" 2>&1 || { tail -20 "$work/db.log"; exit 1; }
apps_before=$(grep -c 'Registering app refinery' "$CLUSTER_DIR/master.log" || true)
"$AF/airflow" dags test refinery_pipeline 2026-11-23 > "$work/dagtest.log" 2>&1 || {
  grep -E "ERROR|Error|refinery: error" "$work/dagtest.log" | tail -30; exit 1; }
grep -E "Marking task as SUCCESS|state=success|success" "$work/dagtest.log" | tail -5 || true
# the master registered one application per stage task (its log, counted since before the DAG run)
apps=$(( $(grep -c 'Registering app refinery' "$CLUSTER_DIR/master.log" || true) - apps_before ))
[ "$apps" -ge 6 ] || { echo "expected 6 applications on $CLUSTER_MASTER, its log shows $apps"; exit 1; }
echo "airflow: $apps stage applications ran on the standalone master $CLUSTER_MASTER"

"$PYSPARK_VENV/bin/python" - <<PY
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[1]").config("spark.jars", "$DELTA_JARS".replace(",", ","))
         .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
         .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
         .config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
wh = "$work/wh"
docs = spark.read.format("delta").load(wh + "/documents").where("run_id = '2026-11-23'").count()
stages = sorted(r.stage for r in spark.read.format("delta").load(wh + "/stage_stats")
                .where("run_id = '2026-11-23'").select("stage").collect())
print("documents for 2026-11-23:", docs, "stages recorded:", stages)
assert docs > 0, "no documents written by the DAG run"
assert set(stages) == {"ingest", "quality", "dedup", "synth", "mixing", "shards"}, stages
spark.stop()
PY
echo "airflow: DAG imported and ran every stage via spark-submit"
