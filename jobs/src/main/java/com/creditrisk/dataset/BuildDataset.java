package com.creditrisk.dataset;

import static com.creditrisk.run.Timings.timed;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.features.ScoreFeatures;
import com.creditrisk.features.SourceFeatures;
import com.creditrisk.ingest.ContractValidator;
import com.creditrisk.ingest.InputReader;
import com.creditrisk.ingest.Pseudonymizer;
import com.creditrisk.ingest.RepaymentChecks;
import com.creditrisk.ingest.SnapshotChecks;
import com.creditrisk.ingest.SourceInput;
import com.creditrisk.contract.InputTable;
import com.creditrisk.ingest.RawInput;
import com.creditrisk.ingest.ValidatedInputs;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.labels.LabelRules;
import com.creditrisk.run.RunFolder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code build-dataset}: validates the inputs, builds point-in-time score features, loan
 * performance and labels, and the splits, and writes {@code loan_performance},
 * {@code model_dataset} and the run's {@code run.json}.
 *
 * <p>Order matters for the contract's "nothing half-written": every input is checked in full
 * before anything is written; the two tables are written with {@code replaceWhere} on the as-of
 * date, and if the second write fails the first gets back the date's previous rows.
 *
 * <p>This class reads and checks the inputs and runs the fused passes; the point-in-time rules are
 * {@link PointInTime}'s, the writes and the run record {@link DatasetWriter}'s.
 */
public final class BuildDataset {
  /** What to build. */
  public record Input(CreditRiskConfig conf, LocalDate asOf) {
    public Input {
      Objects.requireNonNull(conf, "conf");
      Objects.requireNonNull(asOf, "asOf");
    }
  }

  /**
   * What was built: counts per status and split, where the outputs are, the run record, and the
   * warnings a person should read (e.g. too many applications without a usable score).
   */
  public record Result(String runId, String runJson, String loanPerformancePath, String modelDatasetPath,
      LocalDate asOf, LocalDate extractDate, Map<String, Long> statusCounts, Map<String, Long> splitCounts,
      RunManifest manifest, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }

    /** Bad rate among mature labelled loans, or NaN when there are none. */
    public double matureBadRate() {
      return manifest.matureLabelled().badRate();
    }
  }

  private BuildDataset() {}

  /**
   * Every cache of this job is DISK_ONLY and read back once or twice: encoding it column by column
   * (dictionary, run-length, choosing per column from statistics over every value) cost about 6%
   * of a warm 1M run, more than the local disk bytes it saves. Scoped to the run, so other jobs'
   * in-memory caches keep the session's setting.
   */
  private static final String CACHE_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  public static Result run(SparkSession spark, Input input) {
    input.conf().requireInputs();
    scala.Option<String> compressed = spark.conf().getOption(CACHE_COMPRESSED);
    spark.conf().set(CACHE_COMPRESSED, "false");
    try {
      return runUncompressed(spark, input);
    } finally {
      if (compressed.isDefined()) {
        spark.conf().set(CACHE_COMPRESSED, compressed.get());
      } else {
        spark.conf().unset(CACHE_COMPRESSED);
      }
    }
  }

  private static Result runUncompressed(SparkSession spark, Input input) {
    CreditRiskConfig conf = input.conf();
    LocalDate asOf = input.asOf();
    String runId = RunFolder.runId(asOf, conf);
    Map<String, Long> timings = new LinkedHashMap<>();
    Instant started = Instant.now();
    String group = "build-dataset as-of " + asOf + " run " + runId;

    // The key is checked before any Spark work: a missing or exposed key stops the run (exit 2)
    // with nothing read. The contract checks then run on the lender's own ids, so a violation names
    // example keys the operator can find in the inputs; nothing written holds them.
    Optional<Pseudonymizer> pseudonymizer = Pseudonymizer.of(conf, System.getenv());
    Map<InputTable, RawInput> raw = new LinkedHashMap<>();
    ContractValidator.Pending pending = timed(timings, "validate_inputs", () -> {
      describe(spark, group, "read and validate inputs");
      for (InputTable t : InputTable.values()) {
        InputReader.read(spark, conf, t).ifPresent(r -> raw.put(t, r));
      }
      return ContractValidator.check(raw, conf, asOf);
    });

    // The snapshots are the largest input: their contract checks ride on the one sort that builds
    // the score features, which are kept (on disk, not on the heap) until the writes. The
    // applications' columns that model_dataset keeps ride in the same sort (they are among its
    // events), so model_dataset is assembled from its rows without reading, shuffling and joining
    // the applications again.
    Column asOfEnd = PointInTime.endOf(asOf);
    Dataset<Row> appsAsOf = ContractValidator.parsed(raw.get(InputTable.APPLICATIONS))
        .filter(col("application_time").lt(asOfEnd))
        .select(ModelDataset.APPLICATION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    SnapshotChecks checks = pending.snapshotChecks();
    Observation snapshotRows = new Observation("score_snapshots");
    Observation snapshotKeys = new Observation("score_snapshot_keys");
    Observation scoreUse = new Observation("score_use");
    Dataset<Row> features = null;
    if (checks != null) {
      // The row rules are counted as the snapshots are read; only the duplicate check needs the sort.
      List<Column> sm = checks.rowMetrics();
      Dataset<Row> snapshots = checks.flagged()
          .observe(snapshotRows, sm.get(0), sm.subList(1, sm.size()).toArray(new Column[0]))
          .select(col("customer_id"), col("score_time"), col("score"));
      features = ScoreFeatures.applicationsWithFeatures(
          ScoreFeatures.lookBack(snapshots, appsAsOf, col("score_time").lt(asOfEnd))
              .observe(snapshotKeys, checks.duplicateMetric()),
          conf.maxScoreAgeDays());
      // How many applications have a usable score, counted as the features are kept.
      features = observe(features, scoreUse, SnapshotChecks.scoreUseMetrics()).persist(StorageLevel.DISK_ONLY());
    }
    // Likewise the repayments' checks ride on the pass that computes each loan's days past due,
    // kept (on disk) until loan performance is computed.
    RepaymentChecks repChecks = pending.repaymentChecks();
    Observation repaymentRows = new Observation("repayments");
    Observation repaymentKeys = new Observation("repayment_keys");
    Dataset<Row> dpdByLoan = null;
    if (repChecks != null) {
      List<Column> rm = repChecks.rowMetrics();
      dpdByLoan = PointInTime.repaymentPass(repChecks.flagged(), LabelRules.from(conf, asOf),
          d -> d.observe(repaymentRows, rm.get(0), rm.subList(1, rm.size()).toArray(new Column[0])),
          d -> observe(d, repaymentKeys, repChecks.loanMetrics()))
          .persist(StorageLevel.DISK_ONLY());
    }
    try {
      return build(spark, conf, asOf, runId, group, pending, pseudonymizer,
          new Passes(features, snapshotRows, snapshotKeys, scoreUse, dpdByLoan, repaymentRows, repaymentKeys), timings, started);
    } finally {
      if (features != null) {
        features.unpersist();
      }
      if (dpdByLoan != null) {
        dpdByLoan.unpersist();
      }
      pending.release();
    }
  }

  /**
   * The two passes that check the largest inputs while computing from them; a pass is null when
   * its input lacks a column it needs (the inputs are then rejected).
   */
  private record Passes(Dataset<Row> features, Observation snapshotRows, Observation snapshotKeys, Observation scoreUse,
      Dataset<Row> dpdByLoan, Observation repaymentRows, Observation repaymentKeys) {}

  private static Result build(SparkSession spark, CreditRiskConfig conf, LocalDate asOf, String runId, String group,
      ContractValidator.Pending pending, Optional<Pseudonymizer> pseudonymizer, Passes passes,
      Map<String, Long> timings, Instant started) {
    timed(timings, "validate_snapshots_and_features", () -> {
      describe(spark, group, "validate score_snapshots and build score features");
      return passes.features() == null ? 0L : passes.features().count();
    });
    ValidatedInputs in = timed(timings, "validate_repayments_and_dpd", () -> {
      describe(spark, group, "validate repayments and compute days past due");
      if (passes.dpdByLoan() != null) {
        passes.dpdByLoan().count();
      }
      return ContractValidator.finish(pending,
          passes.features() == null ? Map.of() : observed(passes.snapshotRows()),
          passes.features() == null ? Map.of() : merged(observed(passes.snapshotKeys()), observed(passes.scoreUse())),
          passes.dpdByLoan() == null ? Map.of() : observed(passes.repaymentRows()),
          passes.dpdByLoan() == null ? Map.of() : observed(passes.repaymentKeys()), conf, asOf);
    });
    if (passes.features() == null || passes.dpdByLoan() == null) {
      throw new IllegalStateException("finish() must reject inputs that lack a column a pass needs");
    }
    if (asOf.isAfter(in.extractDate())) {
      throw Errors.asOfAfterExtract(asOf, in.extractDate());
    }
    // From the applications' counts of the contract pass: before anything is written.
    Map<String, Long> apps = in.rowCounts().getOrDefault("applications", Map.of());
    if (apps.getOrDefault("rows", 0L) - apps.getOrDefault("after_as_of", 0L) == 0) {
      throw Errors.asOfBeforeApplications(asOf, apps.getOrDefault("rows", 0L));
    }

    // Each feature source is checked in full (exit 3, nothing written) once the inputs have passed.
    List<SourceInput.Checked> sources = conf.featureSources().isEmpty() ? List.of()
        : timed(timings, "validate_feature_sources", () -> {
      describe(spark, group, "validate feature sources");
      Dataset<Row> keys = in.applications().select(col("customer_id"), col("application_id"));
      return conf.featureSources().values().stream()
          .map(s -> SourceInput.readAndCheck(spark, s, keys, asOf)).toList();
    });

    Dataset<Row> applications = in.applications().filter(col("application_time").lt(PointInTime.endOf(asOf)));
    // Computed once, kept on disk: written, summarised and joined into model_dataset from the same
    // rows, without reading the table back.
    Dataset<Row> performance = PointInTime.performance(applications, in.loans(), passes.dpdByLoan(),
            in.loanEvents(), asOf, conf)
        .withColumn("as_of_date", PointInTime.dateOf(asOf))
        .withColumn("run_id", lit(runId))
        .persist(StorageLevel.DISK_ONLY());
    try {
      Dataset<Row> withSources = passes.features();
      for (SourceInput.Checked c : sources) {
        withSources = withSources.join(SourceFeatures.compute(c.source(), c.rows(),
            applications.select(col("customer_id"), col("application_id"), col("application_time")), asOf),
            "application_id", "left");
      }
      return DatasetWriter.write(spark, conf, asOf, runId, group, in, withSources, sources, performance,
          pseudonymizer, timings, started);
    } finally {
      performance.unpersist();
    }
  }

  private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }

  /** Observes the aggregates on the rows of {@code d} as they pass. */
  static Dataset<Row> observe(Dataset<Row> d, Observation o, List<Column> metrics) {
    return d.observe(o, metrics.get(0), metrics.subList(1, metrics.size()).toArray(new Column[0]));
  }

  static Map<String, Object> observed(Observation o) {
    try {
      return o.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + o.name(), e);
    }
  }

  /** Labels the Spark jobs of the next step in the UI and the event log. */
  static void describe(SparkSession spark, String group, String step) {
    spark.sparkContext().setJobGroup(group, group + ": " + step, false);
  }
}
