package com.creditrisk.dataset;

import static com.creditrisk.run.Timings.timed;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.errors.Errors;
import com.creditrisk.features.ScoreFeatures;
import com.creditrisk.ingest.ContractValidator;
import com.creditrisk.ingest.InputReader;
import com.creditrisk.ingest.InputTable;
import com.creditrisk.ingest.RawInput;
import com.creditrisk.ingest.ValidatedInputs;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.labels.LabelRules;
import com.creditrisk.labels.LoanPerformance;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code build-dataset}: validates the inputs, builds point-in-time score features, loan
 * performance and labels, and the splits, and writes {@code loan_performance},
 * {@code model_dataset} and the run's {@code run.json}.
 *
 * <p>Order matters for the contract's "nothing half-written": every input is checked in full
 * before anything is written; the two tables are written with {@code replaceWhere} on the as-of
 * date, and if the second write fails the first is rolled back to its previous version.
 */
public final class BuildDataset {
  private static final Logger LOG = LoggerFactory.getLogger(BuildDataset.class);
  public static final String LOAN_PERFORMANCE = "loan_performance";
  public static final String MODEL_DATASET = "model_dataset";
  private static final List<String> STATUSES =
      List.of("bad", "good", "indeterminate", "immature", "rejected", "not_disbursed");

  /** What to build. */
  public record Input(CreditRiskConfig conf, LocalDate asOf) {
    public Input {
      Objects.requireNonNull(conf, "conf");
      Objects.requireNonNull(asOf, "asOf");
    }
  }

  /** What was built: counts per status and split, where the outputs are. */
  public record Result(String runId, String runJson, String loanPerformancePath, String modelDatasetPath,
      LocalDate asOf, LocalDate extractDate, Map<String, Long> statusCounts, Map<String, Long> splitCounts,
      Map<String, Object> manifest) {
    /** Bad rate among mature labelled loans, or NaN when there are none. */
    public double matureBadRate() {
      Object m = manifest.get("mature_labelled");
      if (m instanceof Map<?, ?> map) {
        long bad = ((Number) map.get("bad")).longValue();
        long good = ((Number) map.get("good")).longValue();
        return bad + good == 0 ? Double.NaN : (double) bad / (bad + good);
      }
      return Double.NaN;
    }
  }

  /**
   * The point-in-time view of the inputs as of a date.
   *
   * @param applications applications up to the as-of date
   * @param features score features per application ({@link ScoreFeatures})
   * @param performance loan performance per loan ({@link LoanPerformance}) with application_month
   */
  public record PointInTime(Dataset<Row> applications, Dataset<Row> features, Dataset<Row> performance) {}

  private BuildDataset() {}

  /**
   * Sets aside everything dated after the as-of date and computes features and labels: pure
   * DataFrame logic, no action, no I/O.
   */
  public static PointInTime pointInTime(Dataset<Row> scoreSnapshots, Dataset<Row> applications, Dataset<Row> loans,
      Dataset<Row> repayments, Optional<Dataset<Row>> loanEvents, LocalDate asOf, CreditRiskConfig conf) {
    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
    Dataset<Row> apps = applications.filter(col("application_time").lt(asOfEnd));
    // Installments due after the as-of date cannot be late yet and payments after it are censored
    // by the DPD rule itself, so repayments need no date filter of their own.
    Dataset<Row> performance = LoanPerformance.compute(loansAsOf(loans, apps, asOf), repayments,
        eventsAsOf(loanEvents, asOf), LabelRules.from(conf, asOf));
    // Snapshots after the as-of date stay in the stream (their checks are counted in the same pass)
    // but are invisible to every feature.
    Dataset<Row> features = ScoreFeatures.features(ScoreFeatures.lookBack(scoreSnapshots,
        apps.select(col("customer_id"), col("application_id"), col("application_time")), col("score_time").lt(asOfEnd)),
        conf.maxScoreAgeDays());
    return new PointInTime(apps, features, performance);
  }

  /**
   * The rows of the repayments' contract pass turned into the loans' DPD summary
   * ({@link LoanPerformance#dpdByLoan}) in the same pass: the repayments are shuffled once.
   *
   * @param flagged the rows of {@link ContractValidator.RepaymentChecks#flagged()}
   * @param observeRows observes the contract metrics on the repayment rows
   * @param observeKeys observes the key metric ({@link ContractValidator.RepaymentChecks#unprovenKeysMetric()})
   *     on the per-loan rows, which carry {@link ContractValidator.RepaymentChecks#keyProof()}
   */
  static Dataset<Row> repaymentPass(Dataset<Row> flagged, LabelRules rules,
      UnaryOperator<Dataset<Row>> observeRows,
      UnaryOperator<Dataset<Row>> observeKeys) {
    // Unknown loans get a null observed_until, hence no DPD, and later no loan to join to.
    Dataset<Row> installments = observeRows.apply(flagged)
        .withColumn("observed_until", LoanPerformance.observedUntil(col("__loan_disbursed"), rules))
        .select(col("loan_id"), col("installment_no"), lit(1L).as("rows"), LoanPerformance.dpd(rules).as("dpd"),
            LoanPerformance.badOn(rules).as("bad_on"));
    // Partitioned by loan_id by the join: the grouping does not shuffle again.
    return observeKeys.apply(LoanPerformance.dpdByLoan(installments,
            ContractValidator.RepaymentChecks.keyProof().toArray(new Column[0])))
        .select("loan_id", "installments", "max_dpd", "dpd_bad_date");
  }

  /**
   * Loan performance as of the date from a DPD summary computed with the same rules
   * ({@link #repaymentPass}), with application_month carried.
   */
  static Dataset<Row> performance(Dataset<Row> appsAsOf, Dataset<Row> loans, Dataset<Row> dpdByLoan,
      Optional<Dataset<Row>> loanEvents, LocalDate asOf, CreditRiskConfig conf) {
    return LoanPerformance.fromDpd(loansAsOf(loans, appsAsOf, asOf), dpdByLoan, eventsAsOf(loanEvents, asOf),
        LabelRules.from(conf, asOf));
  }

  private static Dataset<Row> loansAsOf(Dataset<Row> loans, Dataset<Row> appsAsOf, LocalDate asOf) {
    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);
    return loans.filter(col("disbursed_date").leq(asOfDate))
        .join(appsAsOf.select(col("application_id"),
            date_format(col("application_time"), "yyyy-MM").as("application_month")), "application_id")
        .select("loan_id", "application_id", "disbursed_date", "application_month");
  }

  private static Optional<Dataset<Row>> eventsAsOf(Optional<Dataset<Row>> loanEvents, LocalDate asOf) {
    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);
    return loanEvents.map(e -> e.filter(col("event_date").leq(asOfDate)));
  }

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
    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
    Dataset<Row> appsAsOf = ContractValidator.parsed(raw.get(InputTable.APPLICATIONS))
        .filter(col("application_time").lt(asOfEnd))
        .select(ModelDataset.APPLICATION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    ContractValidator.SnapshotChecks checks = pending.snapshotChecks();
    Observation snapshotRows = new Observation("score_snapshots");
    Observation snapshotKeys = new Observation("score_snapshot_keys");
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
          conf.maxScoreAgeDays()).persist(StorageLevel.DISK_ONLY());
    }
    // Likewise the repayments' checks ride on the pass that computes each loan's days past due,
    // kept (on disk) until loan performance is computed.
    ContractValidator.RepaymentChecks repChecks = pending.repaymentChecks();
    Observation repaymentRows = new Observation("repayments");
    Observation repaymentKeys = new Observation("repayment_keys");
    Dataset<Row> dpdByLoan = null;
    if (repChecks != null) {
      List<Column> rm = repChecks.rowMetrics();
      dpdByLoan = repaymentPass(repChecks.flagged(), LabelRules.from(conf, asOf),
          d -> d.observe(repaymentRows, rm.get(0), rm.subList(1, rm.size()).toArray(new Column[0])),
          d -> d.observe(repaymentKeys, ContractValidator.RepaymentChecks.unprovenKeysMetric()))
          .persist(StorageLevel.DISK_ONLY());
    }
    try {
      return build(spark, conf, asOf, runId, group, pending,
          new Passes(features, snapshotRows, snapshotKeys, dpdByLoan, repaymentRows, repaymentKeys), timings, started);
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
  private record Passes(Dataset<Row> features, Observation snapshotRows, Observation snapshotKeys,
      Dataset<Row> dpdByLoan, Observation repaymentRows, Observation repaymentKeys) {}

  private static Result build(SparkSession spark, CreditRiskConfig conf, LocalDate asOf, String runId, String group,
      ContractValidator.Pending pending, Passes passes, Map<String, Long> timings, Instant started) {
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
          passes.features() == null ? Map.of() : observed(passes.snapshotKeys()),
          passes.dpdByLoan() == null ? Map.of() : observed(passes.repaymentRows()),
          passes.dpdByLoan() == null ? Map.of() : observed(passes.repaymentKeys()), conf, asOf);
    });
    if (passes.features() == null || passes.dpdByLoan() == null) {
      throw new IllegalStateException("finish() must reject inputs that lack a column a pass needs");
    }
    if (asOf.isAfter(in.extractDate())) {
      throw Errors.asOfAfterExtract(asOf, in.extractDate());
    }

    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);
    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
    Dataset<Row> applications = in.applications().filter(col("application_time").lt(asOfEnd));
    // Computed once, kept on disk: written, summarised and joined into model_dataset from the same
    // rows, without reading the table back.
    Dataset<Row> performance = performance(applications, in.loans(), passes.dpdByLoan(), in.loanEvents(), asOf,
        conf)
        .withColumn("as_of_date", asOfDate)
        .withColumn("run_id", lit(runId))
        .persist(StorageLevel.DISK_ONLY());
    try {
      return write(spark, conf, asOf, runId, group, in, passes.features(), performance, timings, started);
    } finally {
      performance.unpersist();
    }
  }

  private static Result write(SparkSession spark, CreditRiskConfig conf, LocalDate asOf, String runId, String group,
      ValidatedInputs in, Dataset<Row> applicationsWithFeatures, Dataset<Row> performance,
      Map<String, Long> timings, Instant started) {
    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);
    String lpPath = conf.warehousePath() + "/" + LOAN_PERFORMANCE;
    String mdPath = conf.warehousePath() + "/" + MODEL_DATASET;
    String replace = "as_of_date = '" + asOf + "'";
    Optional<Long> lpBefore = DeltaTables.currentVersion(spark, lpPath);
    long lpVersion = timed(timings, "write_loan_performance", () -> {
      describe(spark, group, "write " + LOAN_PERFORMANCE);
      return DeltaTables.replaceRows(spark, performance, lpPath, replace);
    });

    try {
      Dataset<Row> perf = performance;
      Map<String, Long> perfCounts = new TreeMap<>();
      List<String> eligibleMonths = new ArrayList<>();
      Map<String, Long> matureLabelled = new LinkedHashMap<>();
      timed(timings, "label_summary", () -> {
        describe(spark, group, "summarise labels");
        Column eligible = ModelDataset.eligible(conf.labelUse());
        for (Row r : perf.groupBy(col("status"), col("application_month"), eligible.as("eligible"),
            col("mature")).agg(count(lit(1)).as("n")).collectAsList()) {
          perfCounts.merge(r.getString(0), r.getLong(4), Long::sum);
          if (r.getBoolean(2) && !eligibleMonths.contains(r.getString(1))) {
            eligibleMonths.add(r.getString(1));
          }
          if (r.getBoolean(3) && (r.getString(0).equals("bad") || r.getString(0).equals("good"))) {
            matureLabelled.merge(r.getString(0), r.getLong(4), Long::sum);
          }
        }
        return null;
      });
      matureLabelled.putIfAbsent("bad", 0L);
      matureLabelled.putIfAbsent("good", 0L);
      List<String> oot = ModelDataset.ootMonths(eligibleMonths, conf.ootMonths());
      LOG.info("Out-of-time months: {}", oot);

      Dataset<Row> dataset = ModelDataset.withSplit(
              ModelDataset.assemble(applicationsWithFeatures, perf.drop("as_of_date", "run_id", "application_month")),
              oot, SplitRules.from(conf))
          .withColumn("as_of_date", asOfDate)
          .withColumn("run_id", lit(runId));
      Observation obs = new Observation("model_dataset");
      List<Column> metrics = new ArrayList<>();
      for (String s : STATUSES) {
        metrics.add(sum(when(col("status").equalTo(s), 1).otherwise(0)).as("status_" + s));
      }
      for (String s : List.of("train", "test", "oot")) {
        metrics.add(sum(when(col("split").equalTo(s), 1).otherwise(0)).as("split_" + s));
      }
      metrics.add(sum(when(col("score_at_application").isNull(), 1).otherwise(0)).as("score_missing"));
      for (String reason : List.of("no_snapshot", "stale", "only_after_application")) {
        metrics.add(sum(when(col("score_missing_reason").equalTo(reason), 1).otherwise(0)).as("missing_" + reason));
      }
      metrics.add(sum(when(col("decision_score").isNotNull(), 1).otherwise(0)).as("decision_score_present"));
      // Two ways the logged score and the rebuilt one disagree: both present but different (a
      // different snapshot, or a re-scored history), or logged while no usable score existed.
      metrics.add(sum(when(col("decision_score").isNotNull().and(col("score_at_application").isNotNull())
          .and(col("decision_score").notEqual(col("score_at_application"))), 1).otherwise(0))
          .as("decision_score_differs"));
      metrics.add(sum(when(col("decision_score").isNotNull().and(col("score_at_application").isNull()), 1)
          .otherwise(0)).as("decision_score_without_usable_score"));
      metrics.add(count(lit(1)).as("rows"));
      Dataset<Row> observed = dataset.observe(obs, metrics.get(0), metrics.subList(1, metrics.size())
          .toArray(new Column[0]));
      timed(timings, "write_model_dataset", () -> {
        describe(spark, group, "write " + MODEL_DATASET);
        return DeltaTables.replaceRows(spark, observed, mdPath, replace, "application_month");
      });
      Map<String, Object> m = observed(obs);

      Map<String, Long> statusCounts = new LinkedHashMap<>();
      for (String s : STATUSES) {
        statusCounts.put(s, num(m.get("status_" + s)));
      }
      Map<String, Long> splitCounts = new LinkedHashMap<>();
      for (String s : List.of("train", "test", "oot")) {
        splitCounts.put(s, num(m.get("split_" + s)));
      }

      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("run_id", runId);
      manifest.put("command", "build-dataset");
      manifest.put("as_of_date", asOf.toString());
      manifest.put("extract_date", in.extractDate().toString());
      manifest.put("extract_date_source", conf.extractDate().isPresent() ? "inputs.extract_date" : "latest date in inputs");
      manifest.put("code_version", RunFolder.codeVersion());
      manifest.put("spark_version", spark.version());
      manifest.put("config_fingerprint", conf.fingerprint());
      manifest.put("config", conf.toMap());
      manifest.put("inputs", in.sources());
      Map<String, Object> rows = new LinkedHashMap<>();
      rows.put("inputs", in.rowCounts());
      rows.put(LOAN_PERFORMANCE, perfCounts);
      rows.put(MODEL_DATASET, statusCounts);
      rows.put("splits", splitCounts);
      manifest.put("row_counts", rows);
      manifest.put("mature_labelled", matureLabelled);
      manifest.put("oot_months", oot);
      manifest.put("excluded", excluded(in));
      Map<String, Object> score = new LinkedHashMap<>();
      score.put("missing", num(m.get("score_missing")));
      for (String reason : List.of("no_snapshot", "stale", "only_after_application")) {
        score.put(reason, num(m.get("missing_" + reason)));
      }
      score.put("decision_score_present", num(m.get("decision_score_present")));
      score.put("decision_score_differs", num(m.get("decision_score_differs")));
      score.put("decision_score_without_usable_score", num(m.get("decision_score_without_usable_score")));
      manifest.put("score_at_application", score);
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put(LOAN_PERFORMANCE, Map.of("path", lpPath, "delta_version", lpVersion));
      outputs.put(MODEL_DATASET, Map.of("path", mdPath,
          "delta_version", DeltaTables.currentVersion(spark, mdPath).orElse(-1L)));
      manifest.put("outputs", outputs);
      manifest.put("started_at", started.toString());
      manifest.put("finished_at", Instant.now().toString());
      manifest.put("timings_ms", timings);

      String runDir = RunFolder.path(conf, runId);
      String runJson = RunFolder.writeJson(spark, runDir, "run.json", manifest);
      return new Result(runId, runJson, lpPath, mdPath, asOf, in.extractDate(), statusCounts, splitCounts, manifest);
    } catch (RuntimeException | IOException e) {
      DeltaTables.rollback(spark, lpPath, lpBefore);
      if (e instanceof CreditRiskException cre) {
        throw cre;
      }
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot build the dataset: " + e.getMessage(), e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** Rows set aside, and why; each count also appears under row_counts.inputs. */
  private static List<Map<String, Object>> excluded(ValidatedInputs in) {
    List<Map<String, Object>> out = new ArrayList<>();
    in.rowCounts().forEach((table, counts) -> counts.forEach((k, v) -> {
      if (!k.equals("rows") && v > 0) {
        String meaning = switch (table + "." + k) {
          case "repayments.after_as_of" -> "installments due after the as-of date: not late yet (DPD 0)";
          case "repayments.paid_after_as_of" -> "payments dated after the as-of date: counted as not yet made";
          default -> "dated after the as-of date: set aside, not read";
        };
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("table", table);
        e.put("reason", k);
        e.put("rows", v);
        e.put("meaning", meaning);
        out.add(e);
      }
    }));
    return out;
  }

  private static Map<String, Object> observed(Observation o) {
    try {
      return o.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + o.name(), e);
    }
  }

  private static long num(Object o) {
    return o == null ? 0L : ((Number) o).longValue();
  }

  private static void describe(SparkSession spark, String group, String step) {
    spark.sparkContext().setJobGroup(group, group + ": " + step, false);
  }
}
