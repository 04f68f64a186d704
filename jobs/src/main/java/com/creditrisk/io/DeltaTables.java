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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta writes that survive scheduler retries: a run replaces exactly its own rows
 * ({@code replaceWhere}), never appends a duplicate, and a failed multi-table run can be rolled
 * back so readers keep seeing the previous versions.
 */
public final class DeltaTables {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTables.class);

  private DeltaTables() {}

  /** The table's latest version, or empty when there is no Delta table at the path yet. */
  public static Optional<Long> currentVersion(SparkSession spark, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    return Optional.of(DeltaTable.forPath(spark, path).history(1).first().<Long>getAs("version"));
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
      writer.mode(SaveMode.Overwrite).option("replaceWhere", predicate).save(path);
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
