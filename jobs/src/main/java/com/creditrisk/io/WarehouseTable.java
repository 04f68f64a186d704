package com.creditrisk.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every Delta table the jobs write under {@code warehouse.path}: its name, its path, a read
 * pinned to one version, and "replace this run's rows". The one place a table's name, its
 * location and the slice a run owns are spelled, so no job imports another for a constant.
 * Declared in the order the pipeline writes them, the order pipeline.json lists them in.
 */
public enum WarehouseTable {
  LOAN_PERFORMANCE("loan_performance", Slice.AS_OF),
  MODEL_DATASET("model_dataset", Slice.AS_OF),
  SCORED_APPLICATIONS("scored_applications", Slice.MODEL_RUN),
  CUTOFF_CURVE("cutoff_curve", Slice.MODEL_RUN),
  VALIDATION_METRICS("validation_metrics", Slice.RUN),
  /** Written by {@code monitor}, not by the pipeline: the trend of every indicator by as-of date. */
  MONITORING_METRICS("monitoring_metrics", Slice.AS_OF_RANGE);

  /** Which rows one run owns, and so replaces on a rerun. */
  public enum Slice {
    /** The rows of one as-of date ({@code as_of_date}). */
    AS_OF,
    /** The rows of one as-of date and one model run ({@code as_of_date}, {@code model_run_id}). */
    MODEL_RUN,
    /**
     * The rows of one run ({@code run_id}): a rerun of the same as-of date and config replaces
     * them whichever model run it used, and leaves other configs' rows of that model run alone.
     */
    RUN,
    /**
     * The rows of the as-of dates one {@code monitor} run covers ({@code as_of_date} from its
     * {@code --from} to its {@code --to}): a rerun over the same dates replaces them.
     */
    AS_OF_RANGE
  }

  private final String tableName;
  private final Slice slice;

  WarehouseTable(String tableName, Slice slice) {
    this.tableName = tableName;
    this.slice = slice;
  }

  /** The table's name, also the folder name under {@code warehouse.path}. */
  public String tableName() {
    return tableName;
  }

  public Slice slice() {
    return slice;
  }

  /** The tables a pipeline run writes, in the order it writes them (monitor's table is not one). */
  public static java.util.List<WarehouseTable> pipelineTables() {
    return java.util.Arrays.stream(values()).filter(t -> t.slice != Slice.AS_OF_RANGE).toList();
  }

  public String path(CreditRiskConfig conf) {
    return conf.warehousePath() + "/" + tableName;
  }

  /** The latest version, or empty when the table does not exist yet. */
  public Optional<Long> currentVersion(SparkSession spark, CreditRiskConfig conf) {
    return DeltaTables.currentVersion(spark, path(conf));
  }

  /**
   * The latest version, or exit 3 when the table does not exist: {@code action} failed because
   * an earlier stage has not run, and {@code fix} says which.
   */
  public long requireVersion(SparkSession spark, CreditRiskConfig conf, String action, String fix) {
    return currentVersion(spark, conf).orElseThrow(() -> missing(conf, action, fix));
  }

  /** The exit-3 error for a stage input that an earlier stage has not written. */
  public CreditRiskException missing(CreditRiskConfig conf, String action, String fix) {
    return Errors.missingStageOutput(action, "table " + tableName, path(conf), fix);
  }

  /** The whole table as of {@code version}: every read of a stage is pinned to one version. */
  public Dataset<Row> readAt(SparkSession spark, CreditRiskConfig conf, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path(conf));
  }

  /** The rows of one as-of date at {@code version}. */
  public Dataset<Row> readAsOf(SparkSession spark, CreditRiskConfig conf, long version, LocalDate asOf) {
    return readAt(spark, conf, version).where(asOfColumn(asOf));
  }

  /** The rows of one as-of date and model run at {@code version}. */
  public Dataset<Row> readRun(SparkSession spark, CreditRiskConfig conf, long version, LocalDate asOf,
      String modelRunId) {
    return readAsOf(spark, conf, version, asOf).where(col("model_run_id").equalTo(lit(modelRunId)));
  }

  /**
   * The rows of several as-of dates at {@code version}, each of the one model run given for it:
   * one scan for many runs, where a {@link #readRun} per run is a scan each.
   */
  public Dataset<Row> readRuns(SparkSession spark, CreditRiskConfig conf, long version,
      java.util.Map<LocalDate, String> modelRunIds) {
    Column any = lit(false);
    for (java.util.Map.Entry<LocalDate, String> r : modelRunIds.entrySet()) {
      any = any.or(asOfColumn(r.getKey()).and(col("model_run_id").equalTo(lit(r.getValue()))));
    }
    return readAsOf(spark, conf, version, modelRunIds.keySet()).where(any);
  }

  /** The rows of the given as-of dates at {@code version}: the dates prune the partitions on their own. */
  public Dataset<Row> readAsOf(SparkSession spark, CreditRiskConfig conf, long version,
      java.util.Collection<LocalDate> asOf) {
    return readAt(spark, conf, version).where(col("as_of_date").isin(asOf.stream()
        .map(d -> lit(d.toString()).cast("date")).toArray()));
  }

  /**
   * Replaces the slice this run owns with {@code rows} (Delta {@code replaceWhere}), creating the
   * table when it does not exist, and returns the version written. Every row must be in the slice.
   * {@code modelRunId} is ignored for {@link Slice#AS_OF} tables; {@link Slice#RUN} tables are
   * replaced by run id ({@link #replaceRun(SparkSession, CreditRiskConfig, Dataset, String, String...)}).
   */
  public long replaceRun(SparkSession spark, CreditRiskConfig conf, Dataset<Row> rows, LocalDate asOf,
      String modelRunId, String... partitionBy) {
    return DeltaTables.replaceRows(spark, rows, path(conf), predicate(asOf, modelRunId), partitionBy);
  }

  /** Replaces the rows of run {@code runId} of a {@link Slice#RUN} table; see the other replaceRun. */
  public long replaceRun(SparkSession spark, CreditRiskConfig conf, Dataset<Row> rows, String runId,
      String... partitionBy) {
    return DeltaTables.replaceRows(spark, rows, path(conf), runPredicate(runId), partitionBy);
  }

  /**
   * Undoes this run's write of the slice {@code predicate} (the text it was written with) when a
   * later step of the same run fails: the slice gets back its rows at {@code previousVersion},
   * and other slices keep what concurrent runs committed; see {@link DeltaTables#rollback}.
   */
  public void rollback(SparkSession spark, CreditRiskConfig conf, String predicate, Optional<Long> previousVersion,
      long writtenVersion) {
    DeltaTables.rollback(spark, path(conf), predicate, previousVersion, writtenVersion);
  }

  /**
   * The SQL predicate of the slice one run owns of an {@link Slice#AS_OF} or {@link Slice#MODEL_RUN}
   * table; the same text is recorded in pipeline.json.
   */
  public String predicate(LocalDate asOf, String modelRunId) {
    if (slice == Slice.RUN || slice == Slice.AS_OF_RANGE) {
      throw new IllegalStateException(tableName + " is sliced by " + slice + ": use runPredicate or rangePredicate");
    }
    String date = "as_of_date = '" + asOf + "'";
    return slice == Slice.AS_OF ? date : date + " AND model_run_id = " + quoted(modelRunId);
  }

  /** The SQL predicate of the rows of run {@code runId} of a {@link Slice#RUN} table. */
  public String runPredicate(String runId) {
    if (slice != Slice.RUN) {
      throw new IllegalStateException(tableName + " is sliced by " + slice + ": use predicate");
    }
    return "run_id = " + quoted(runId);
  }

  /**
   * The SQL predicate of the as-of dates {@code from} to {@code to}, both included, of an
   * {@link Slice#AS_OF_RANGE} table.
   */
  public String rangePredicate(LocalDate from, LocalDate to) {
    if (slice != Slice.AS_OF_RANGE) {
      throw new IllegalStateException(tableName + " is sliced by " + slice + ": use predicate or runPredicate");
    }
    return "as_of_date >= '" + from + "' AND as_of_date <= '" + to + "'";
  }

  private static String quoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static Column asOfColumn(LocalDate asOf) {
    return col("as_of_date").equalTo(lit(asOf.toString()).cast("date"));
  }
}
