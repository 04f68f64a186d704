package com.creditrisk.io;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Delta writes that survive scheduler retries: a run replaces exactly its own rows
 * ({@code replaceWhere}), never appends a duplicate, and a failed multi-table run can be rolled
 * back so readers keep seeing the previous versions.
 */
public final class DeltaTables {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTables.class);

  private DeltaTables() {}

  /**
   * The table's latest version, or empty when there is no Delta table at the path yet.
   *
   * <p>Read from the log's snapshot, which Delta keeps per table and which the reads and writes of
   * the same table use: listing the log is enough. {@code history(1)} would run two Spark queries
   * (one reading the commit files, one taking the first row) for the same number.
   */
  public static Optional<Long> currentVersion(SparkSession spark, String path) {
    // A path without a Delta log has the initial snapshot, version -1.
    long v = DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
    return v < 0 ? Optional.empty() : Optional.of(v);
  }

  /**
   * Replaces the rows matching {@code predicate} with {@code rows}, creating the table when it
   * does not exist. Every row of {@code rows} must match the predicate.
   */
  public static long replaceRows(SparkSession spark, Dataset<Row> rows, String path, String predicate,
      String... partitionBy) {
    boolean exists = DeltaTable.isDeltaTable(spark, path);
    var writer = rows.write().format("delta").partitionBy(partitionBy);
    if (exists) {
      // A run may bring columns the table does not have yet (a feature source added to the config):
      // they are added, and the rows of other runs hold null in them.
      writer.mode(SaveMode.Overwrite).option("replaceWhere", predicate).option("mergeSchema", "true").save(path);
    } else {
      writer.mode(SaveMode.ErrorIfExists).save(path);
    }
    return currentVersion(spark, path).orElseThrow();
  }

  /**
   * Puts a table back to the version it had before this run: restores it, or removes it when this
   * run created it. Used when a later write of the same run fails.
   */
  public static void rollback(SparkSession spark, String path, Optional<Long> previousVersion) {
    try {
      if (previousVersion.isPresent()) {
        DeltaTable.forPath(spark, path).restoreToVersion(previousVersion.get());
      } else {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.delete(p, true);
      }
      LOG.warn("Rolled back {} to {}", path, previousVersion.map(v -> "version " + v).orElse("no table"));
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot roll back {} to version {}: {}", path, previousVersion.orElse(null), e.getMessage());
    }
  }
}
