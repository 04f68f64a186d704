package com.creditrisk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Two feature sources whose worth is known by construction, made from a built model_dataset:
 * {@code vendor}, an application source whose {@code signal} is noise plus 1.5 for a bad loan (a
 * tenth of the applications has no row), and {@code noise}, customer events three days before each
 * application with a pure-noise {@code amount}.
 */
public final class SignalAndNoiseSources {
  private SignalAndNoiseSources() {}

  /** Writes both sources under dir from dir/wh/model_dataset; returns the --set values declaring them. */
  public static List<String> write(SparkSession spark, Path dir) {
    Dataset<Row> md = spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString());
    String vendor = dir.resolve("vendor").toString();
    md.filter(rand(3).gt(0.1)).select(col("application_id"),
        randn(5).plus(when(col("label").equalTo(1), 1.5).otherwise(0.0)).as("signal")).write().parquet(vendor);
    String noise = dir.resolve("noise").toString();
    md.select(col("customer_id"), date_sub(col("application_time").cast("date"), lit(3)).as("event_time"),
        randn(9).as("amount")).write().parquet(noise);
    return List.of(
        "feature_sources.vendor.path=" + vendor, "feature_sources.vendor.format=parquet",
        "feature_sources.vendor.entity=application", "feature_sources.vendor.kind=application",
        "feature_sources.vendor.attributes=signal",
        "feature_sources.noise.path=" + noise, "feature_sources.noise.format=parquet",
        "feature_sources.noise.entity=customer", "feature_sources.noise.kind=events",
        "feature_sources.noise.windows_days=30", "feature_sources.noise.aggregates=count,mean:amount");
  }
}
