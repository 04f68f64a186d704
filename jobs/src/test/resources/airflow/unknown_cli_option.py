# Fixture for AirflowDagTest: valid for Airflow, but score has --model, not --models.
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="fixture", schedule="@daily", start_date=datetime(2026, 1, 1)) as dag:
    score = SparkSubmitOperator(
        task_id="score",
        application_args=["score", "--as-of", "{{ ds }}", "--models", "2025-12-31-67d6a6c3"],
        retries=3,
    )
