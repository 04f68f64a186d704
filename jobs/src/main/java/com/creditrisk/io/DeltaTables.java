package com.creditrisk.io;

import com.creditrisk.errors.Errors;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
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
   * How many times a write is tried when concurrent commits to the same table make Delta reject
   * it. Airflow backfills run several as-of dates on one warehouse at once; the tables are
   * partitioned by application month, not by as-of date, so Delta's conflict checker cannot tell
   * that two runs' {@code replaceWhere} slices are disjoint and rejects the later commit. Writing
   * again on the new snapshot is correct: the slice is replaced whole, so a retry never duplicates
   * rows, also when both runs write the same as-of date.
   */
  static final int WRITE_ATTEMPTS = 5;

  /** The pause before the n-th retry is n times this, so contending writers spread out. */
  private static final long RETRY_PAUSE_MS = 500;

  /**
   * Replaces the rows matching {@code predicate} with {@code rows}, creating the table when it
   * does not exist. Every row of {@code rows} must match the predicate. A commit that Delta
   * rejects for a concurrent one is written again, up to {@link #WRITE_ATTEMPTS} times in all;
   * then it fails with a one-line message (exit 1: a scheduler retries the run).
   */
  public static long replaceRows(SparkSession spark, Dataset<Row> rows, String path, String predicate,
      String... partitionBy) {
    for (int attempt = 1; ; attempt++) {
      boolean exists = DeltaTable.isDeltaTable(spark, path);
      try {
        var writer = rows.write().format("delta").partitionBy(partitionBy);
        if (exists) {
          // A run may bring columns the table does not have yet (a feature source added to the
          // config): they are added, and the rows of other runs hold null in them.
          writer.mode(SaveMode.Overwrite).option("replaceWhere", predicate).option("mergeSchema", "true").save(path);
        } else {
          writer.mode(SaveMode.ErrorIfExists).save(path);
        }
        return currentVersion(spark, path).orElseThrow();
      } catch (RuntimeException e) {
        // Two first writes race to create the table: the loser's failure is not always one of
        // Delta's concurrency exceptions (the path may already exist), but the table is there now.
        boolean conflict = e instanceof DeltaConcurrentModificationException
            || (!exists && DeltaTable.isDeltaTable(spark, path));
        if (!conflict) {
          throw e;
        }
        if (attempt == WRITE_ATTEMPTS) {
          throw Errors.concurrentWrite(path, predicate, attempt, e);
        }
        LOG.warn("Concurrent commit to {}; writing {} again (attempt {} of {}): {}", path, predicate, attempt + 1,
            WRITE_ATTEMPTS, e.getClass().getSimpleName());
        pause(attempt * RETRY_PAUSE_MS, path);
      }
    }
  }

  private static void pause(long ms, String path) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw Errors.interrupted("waiting to write " + path + " again", ie);
    }
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
