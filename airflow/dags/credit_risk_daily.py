"""
credit_risk_daily: the credit-risk pipeline once a day, as of the day that just closed.

build_dataset >> train >> score >> calibrate >> validate_gate, each one spark-submit of the jobs
jar with the run's `{{ ds }}` as `--as-of`. Every stage is idempotent per as-of date (a rerun
replaces that date's rows), so Airflow's retries and manual clears are safe.

validate_gate runs `validate --gate red` last: a red verdict exits 4 and fails the DAG run.

Exit codes of credit-risk (DESIGN.md): 0 ok, 1 anything else, 2 bad usage or config or an as-of
date after the extract, 3 bad input data, 4 a validation gate failed. Only 1 is retried: 2, 3 and
4 fail the same way on every attempt, so retrying them only delays the alert.

Deployment, connection and how CI checks this file without Airflow: README.md, section Airflow.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

# Where the deployment puts the jobs jar and the cluster profile (README: Airflow, Deploying).
JAR = "/opt/credit-risk/credit-risk-jobs-0.1.0-SNAPSHOT.jar"
CONF_FILE = "/opt/credit-risk/conf/cluster.conf"
SPARK_CONN_ID = "spark_credit_risk"

# Exit codes that a retry cannot fix; anything else (1: a lost executor, a full disk) is retried.
NO_RETRY_EXIT_CODES = {
    2: "bad usage or config, or an as-of date after the extract date",
    3: "bad input data",
    4: "validation gate red",
}


def spark_exit_code(message: str) -> int | None:
    """The application's exit code in SparkSubmitHook's failure message, or None if it names none.

    On Kubernetes the hook reports the driver pod's exit code next to spark-submit's own, and the
    pod's is the application's.
    """
    k8s = re.search(r"Kubernetes spark exit code is: (\d+)", message)
    if k8s:
        return int(k8s.group(1))
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


# Client deploy mode: the driver runs in the Airflow worker, so spark-submit exits with the
# application's own code (in YARN or standalone cluster mode it exits 1 for any failure, and
# 2, 3 and 4 would be retried like 1), and --conf can name the profile by its local path.
SPARK = dict(
    application=JAR,
    java_class="com.creditrisk.cli.CreditRisk",
    conn_id=SPARK_CONN_ID,
    deploy_mode="client",
    packages="io.delta:delta-spark_2.13:4.4.0",
    conf={
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    },
)
CONF_ARGS = ["--conf", CONF_FILE]

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
    default_args={
        "owner": "credit-risk",
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(hours=3),
    },
    tags=["credit-risk"],
) as dag:
    build_dataset = CreditRiskSubmitOperator(
        task_id="build_dataset",
        name="credit-risk-build-dataset",
        application_args=["build-dataset", "--as-of", "{{ ds }}", *CONF_ARGS],
        **SPARK,
    )
    train = CreditRiskSubmitOperator(
        task_id="train",
        name="credit-risk-train",
        application_args=["train", "--as-of", "{{ ds }}", *CONF_ARGS],
        **SPARK,
    )
    # Without --model, score, calibrate and validate use the models trained for the same as-of
    # date and config, i.e. the ones the train task just wrote.
    score = CreditRiskSubmitOperator(
        task_id="score",
        name="credit-risk-score",
        application_args=["score", "--as-of", "{{ ds }}", *CONF_ARGS],
        **SPARK,
    )
    calibrate = CreditRiskSubmitOperator(
        task_id="calibrate",
        name="credit-risk-calibrate",
        application_args=["calibrate", "--as-of", "{{ ds }}", *CONF_ARGS],
        **SPARK,
    )
    validate_gate = CreditRiskSubmitOperator(
        task_id="validate_gate",
        name="credit-risk-validate",
        # A red verdict exits 4, which CreditRiskSubmitOperator fails without a retry.
        application_args=["validate", "--as-of", "{{ ds }}", "--gate", "red", *CONF_ARGS],
        **SPARK,
    )

    build_dataset >> train >> score >> calibrate >> validate_gate
