"""Refinery's daily pipeline: one spark-submit task per stage, in pipeline order.

Every task runs the shaded assembly jar (`dist/target/refinery-assembly.jar`) through the Apache Spark
provider's SparkSubmitOperator on the Spark connection named by the `spark_conn_id` param. The run date
becomes the run id (so a re-run of a day replaces that day's rows, idempotently) and, with
`daily_inputs`, the input folder `<input_root>/<YYYY-MM-DD>`.

Settings come from DAG params, each of which an Airflow Variable of the same name prefixed with
`refinery_` overrides (e.g. Variable `refinery_warehouse` = "s3a://bucket/refinery").
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

import logging

try:  # Airflow 3
    from airflow.sdk import DAG, Param
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

REFINERY_HOME = os.environ.get("REFINERY_HOME", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
M2 = os.path.expanduser(os.environ.get("MAVEN_REPO", "~/.m2/repository"))
DELTA_JARS = ",".join([
    f"{M2}/io/delta/delta-spark_2.13/4.0.1/delta-spark_2.13-4.0.1.jar",
    f"{M2}/io/delta/delta-storage/4.0.1/delta-storage-4.0.1.jar",
])

# The Spark connection (host = master URL, e.g. yarn, k8s://..., local[2]).
SPARK_CONN_ID = os.environ.get("REFINERY_SPARK_CONN_ID", "spark_default")

# Stages in pipeline order (synth does nothing unless synth.enabled = true in the conf file).
STAGES = ["ingest", "quality", "dedup", "synth", "mixing", "shards"]


# The SLA: a day's run should finish within this long.
SLA = timedelta(hours=8)


def run_late_or_failed(context) -> None:
    """Called when a run fails or overruns its SLA: logged loudly; wire alerting (Slack, e-mail) here."""
    logging.getLogger("refinery").error("refinery_pipeline run %s failed or exceeded its %s SLA",
                                        context.get("run_id"), SLA)


def sla_arguments() -> tuple[dict, dict]:
    """Airflow 2: a per-task `sla` (alerts, the run goes on). Airflow 3 removed it; its replacement,
    DeadlineAlert, crashes `airflow dags test` in 3.3.2 (a UUID column is handed a dict when the run ends),
    so there the SLA is `dagrun_timeout`: an overrunning run is failed and the failure callback alerts."""
    try:
        from airflow.sdk import DAG as _Airflow3  # noqa: F401
    except ImportError:
        return {}, {"sla": SLA}
    return {"dagrun_timeout": SLA}, {}


DAG_SLA, TASK_SLA = sla_arguments()


def setting(name: str) -> str:
    """Jinja for a setting: the Variable refinery_<name> when set, else the DAG param."""
    return "{{ var.value.get('refinery_%s', params.%s) }}" % (name, name)


with DAG(
    dag_id="refinery_pipeline",
    description="Refinery: ingest, quality, dedup, synth, mixing, shards on Spark + Delta, one task per stage",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=6),
        **TASK_SLA,
    },
    params={
        "assembly_jar": Param(f"{REFINERY_HOME}/dist/target/refinery-assembly.jar", type="string"),
        "conf_file": Param(f"{REFINERY_HOME}/conf/cluster.conf", type="string",
                           description="HOCON profile layered over the defaults"),
        "warehouse": Param(f"{REFINERY_HOME}/warehouse", type="string"),
        "input_root": Param(f"{REFINERY_HOME}/demo/corpus", type="string"),
        "daily_inputs": Param(False, type="boolean",
                              description="read <input_root>/<run date> instead of input_root itself"),
    },
    tags=["refinery"],
    on_failure_callback=run_late_or_failed,
    **DAG_SLA,
) as dag:
    input_path = setting("input_root") + "{% if params.daily_inputs %}/{{ ds }}{% endif %}"
    previous = None
    for stage in STAGES:
        task = SparkSubmitOperator(
            task_id=stage,
            conn_id=SPARK_CONN_ID,
            application=setting("assembly_jar"),
            java_class="dev.refinery.cli.Main",
            jars=DELTA_JARS,
            name=f"refinery-{stage}-{{{{ ds_nodash }}}}",
            application_args=[
                stage,
                "--conf", setting("conf_file"),
                "--set", "run.id={{ ds }}",
                "--set", 'warehouse.root="' + setting("warehouse") + '"',
                "--set", 'ingest.inputs=["' + input_path + '"]',
            ],
            env_vars={"REFINERY_HOME": REFINERY_HOME},
            verbose=False,
        )
        if previous is not None:
            previous >> task
        previous = task
