# Fixture for AirflowDagTest: two tasks with the task id "score".
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="fixture", schedule="@daily", start_date=datetime(2026, 1, 1)) as dag:
    score = SparkSubmitOperator(task_id="score", application_args=["score", "--as-of", "{{ ds }}"])
    rescore = SparkSubmitOperator(task_id="score", application_args=["score", "--as-of", "{{ ds }}"])
    score >> rescore
