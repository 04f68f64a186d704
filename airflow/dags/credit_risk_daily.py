"""
credit_risk_daily: the credit-risk pipeline once a day, as of the day that just closed.

build_dataset >> train >> score >> calibrate >> validate >> monitor_gate, each one spark-submit of
the jobs jar with the run's `{{ ds }}` as `--as-of` (monitor: `--to`). Every stage is idempotent per
as-of date (a rerun replaces that date's rows, monitor's those of the dates it covers), so Airflow's
retries and manual clears are safe.

The gate is monitor's, last: `monitor --to {{ ds }} --gate red` exits 4 and fails the DAG run when
the latest as-of date is red, after its report is written. Its verdict takes in validate's own verdict
of the run (the indicator validation_verdict) besides the trends, so it never says less than
`validate --gate red` did; validate runs without the gate so that a red day still gets its
monitoring report, which is when it is read.

Exit codes of credit-risk (DESIGN.md): 0 ok, 1 anything else, 2 bad usage or config or an as-of
date after the extract, 3 bad input data, 4 a validation gate failed. Only 1 is retried: 2, 3 and
4 fail the same way on every attempt, so retrying them only delays the alert.

Deployment, connection and how CI checks this file without Airflow: docs/cluster.md, section Airflow.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

# Where the deployment puts the jobs jar and the cluster profile (docs/cluster.md: Airflow, Deploying).
JAR = "/opt/credit-risk/credit-risk-jobs-0.1.0-SNAPSHOT.jar"
CONF_FILE = "/opt/credit-risk/conf/cluster.conf"
SPARK_CONN_ID = "spark_credit_risk"

# Exit codes that a retry cannot fix; anything else (1: a lost executor, a full disk) is retried.
NO_RETRY_EXIT_CODES = {
    2: "bad usage or config, or an as-of date after the extract date",
    3: "bad input data",
    4: "monitoring gate red",
}


def spark_exit_code(message: str) -> int | None:
    """The application's exit code in SparkSubmitHook's failure message, or None if it names none.

    On Kubernetes the hook adds the driver pod's exit code to spark-submit's own. In cluster mode
    spark-submit exits 0 and only the pod's code is the application's; in client mode the hook
    reports the pod's as 0 and spark-submit's is the application's.
    """
    pod = re.search(r"Kubernetes spark exit code is: (\d+)", message)
    if pod and int(pod.group(1)) != 0:
        return int(pod.group(1))
    plain = re.search(r"Error code is: (\d+)", message)
    return int(plain.group(1)) if plain else None


class CreditRiskSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that fails without retrying on the exit codes a retry cannot fix.

    Airflow retries any failed task; AirflowFailException is its way to say "do not retry".
    """

    def execute(self, context):
        try:
            super().execute(context)
        except AirflowFailException:
            raise
        except AirflowException as e:
            code = spark_exit_code(str(e))
            if code in NO_RETRY_EXIT_CODES:
                raise AirflowFailException(
                    f"credit-risk exited {code} ({NO_RETRY_EXIT_CODES[code]}); not retried"
                ) from e
            raise


# Every task's arguments: Airflow gives default_args to any operator parameter of the same name.
DEFAULT_ARGS = dict(
    owner="credit-risk",
    retries=2,
    retry_delay=timedelta(minutes=10),
    execution_timeout=timedelta(hours=3),
    application=JAR,
    java_class="com.creditrisk.cli.CreditRisk",
    conn_id=SPARK_CONN_ID,
    # Client deploy mode: the driver runs in the Airflow worker, so spark-submit exits with the
    # application's own code (in YARN or standalone cluster mode it exits 1 for any failure, and
    # 2, 3 and 4 would be retried like 1), and --conf can name the profile by its local path.
    deploy_mode="client",
    packages="io.delta:delta-spark_2.13:4.4.0",
    conf={
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    },
    # name is templated: each stage shows up as credit-risk-<task id> on the cluster.
    name="credit-risk-{{ task.task_id }}",
)
# The options every stage takes after its command.
STAGE_ARGS = ["--as-of", "{{ ds }}", "--conf", CONF_FILE]

with DAG(
    dag_id="credit_risk_daily",
    doc_md=__doc__,
    # An explicit data-interval timetable, so that {{ ds }} is the day that just closed on both
    # Airflow 2 and 3 (Airflow 3's plain cron schedule would make it the day the run starts).
    # 06:00 UTC leaves the nightly extract time to land: an as-of date after it exits 2.
    schedule=CronDataIntervalTimetable("0 6 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # Stages of two dates would write the same Delta tables at once; one run at a time.
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["credit-risk"],
) as dag:
    build_dataset = CreditRiskSubmitOperator(
        task_id="build_dataset", application_args=["build-dataset", *STAGE_ARGS])
    train = CreditRiskSubmitOperator(task_id="train", application_args=["train", *STAGE_ARGS])
    # Without --model, score, calibrate and validate use the models trained for the same as-of
    # date and config, i.e. the ones the train task just wrote.
    score = CreditRiskSubmitOperator(task_id="score", application_args=["score", *STAGE_ARGS])
    calibrate = CreditRiskSubmitOperator(task_id="calibrate", application_args=["calibrate", *STAGE_ARGS])
    validate = CreditRiskSubmitOperator(task_id="validate", application_args=["validate", *STAGE_ARGS])
    # The whole history of this config up to the day, read from validation_metrics. A red verdict
    # (validate's, or a trend's) exits 4 after the report is written, which CreditRiskSubmitOperator
    # fails without a retry.
    monitor_gate = CreditRiskSubmitOperator(
        task_id="monitor_gate",
        application_args=["monitor", "--to", "{{ ds }}", "--conf", CONF_FILE, "--gate", "red"])

    build_dataset >> train >> score >> calibrate >> validate >> monitor_gate
