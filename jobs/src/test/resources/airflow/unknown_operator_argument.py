# Fixture for AirflowDagTest: a misspelt SparkSubmitOperator parameter (executor_memroy).
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="fixture", schedule="@daily", start_date=datetime(2026, 1, 1)) as dag:
    train = SparkSubmitOperator(
        task_id="train",
        application="credit-risk-jobs.jar",
        executor_memroy="4g",
        application_args=["train", "--as-of", "{{ ds }}"],
    )
