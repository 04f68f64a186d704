package com.creditrisk.io;

import com.creditrisk.errors.Errors;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.Optional;
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
 * ({@code replaceWhere}), never appends a duplicate, and a failed multi-table run can undo its own
 * slice so readers keep seeing the previous rows.
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
   * Undoes this run's write of one slice after a later step of the same run failed: the rows
   * matching {@code predicate} become again those the slice held at {@code previousVersion} (none
   * when the table did not exist), written through {@link #replaceRows} like any other write.
   * Restoring the whole table version instead would also undo what concurrent runs committed to
   * other slices since (another as-of date of a backfill); a rewrite of the slice keeps them,
   * and a concurrent commit to another slice makes it retry, not fail.
   *
   * <p>When this run created the table and its write is still the latest version, the table is
   * removed, as if the run had never started. Columns the run added by schema merge stay in the
   * table, null in the restored slice: Delta cannot drop a column without rewriting the table,
   * and a concurrent run may already have written values into it. A concurrent run that rewrote
   * this same slice after this run's write loses those rows in the table's latest version; its
   * run record still names the version it wrote.
   *
   * <p>Never throws: a failed rollback is logged, and the caller reports the failure that caused it.
   *
   * @param writtenVersion the version this run's write of the slice committed
   */
  public static void rollback(SparkSession spark, String path, String predicate, Optional<Long> previousVersion,
      long writtenVersion) {
    try {
      if (previousVersion.isEmpty() && currentVersion(spark, path).equals(Optional.of(writtenVersion))) {
        Path p = new Path(path);
        p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
        LOG.warn("Rolled back {}: removed the table this run created", path);
        return;
      }
      Dataset<Row> before = previousVersion.isPresent()
          ? spark.read().format("delta").option("versionAsOf", previousVersion.get()).load(path).where(predicate)
          : spark.read().format("delta").load(path).where("false");
      long restored = replaceRows(spark, before, path, predicate);
      LOG.warn("Rolled back {} of {} to {} (version {})", predicate, path,
          previousVersion.map(v -> "its rows at version " + v).orElse("no rows"), restored);
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot roll back {} of {} to version {}: {}", predicate, path, previousVersion.orElse(null),
          e.getMessage());
    }
  }
}
