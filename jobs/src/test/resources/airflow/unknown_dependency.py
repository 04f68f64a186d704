# Fixture for AirflowDagTest: a dependency on "calibrate", which is not a task of the DAG.
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(dag_id="fixture", schedule="@daily", start_date=datetime(2026, 1, 1)) as dag:
    train = SparkSubmitOperator(task_id="train", application_args=["train", "--as-of", "{{ ds }}"])
    score = SparkSubmitOperator(task_id="score", application_args=["score", "--as-of", "{{ ds }}"])
    train >> score >> calibrate
