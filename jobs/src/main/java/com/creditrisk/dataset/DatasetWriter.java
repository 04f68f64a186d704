package com.creditrisk.dataset;

import static com.creditrisk.run.Timings.timed;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.creditrisk.features.SourceFeatures;
import com.creditrisk.ingest.Pseudonymizer;
import com.creditrisk.ingest.SourceInput;
import com.creditrisk.ingest.ValidatedInputs;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing half of build-dataset: writes loan_performance, summarises its labels, assembles
 * model_dataset and writes it while counting its rows in the same pass, then writes run.json. If
 * anything after the first write fails, loan_performance's slice of the as-of date gets back its
 * rows from before the run (other dates keep what concurrent runs committed meanwhile), so the two
 * tables never disagree. A run killed outright gets no rollback; run.json, written last
 * with the versions of both tables, is then the commit marker that readers go by (FinishedBuilds).
 */
final class DatasetWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetWriter.class);
  private static final WarehouseTable LOAN_PERFORMANCE = WarehouseTable.LOAN_PERFORMANCE;
  private static final WarehouseTable MODEL_DATASET = WarehouseTable.MODEL_DATASET;
  private static final List<String> STATUSES =
      List.of("bad", "good", "indeterminate", "immature", "rejected", "not_disbursed");
  private static final List<String> SPLITS = List.of("train", "test", "oot");
  private static final List<String> MISSING_REASONS = List.of("no_snapshot", "stale", "only_after_application");
  private static final List<String> SOURCE_MISSING_REASONS = SourceFeatures.MISSING_REASONS;

  private DatasetWriter() {}

  /**
   * Runs after each table's commit, before anything else of the run. A test sets it to throw an
   * {@link Error}, which the rollback below does not catch: that is what {@code kill -9} between
   * two commits leaves behind. Does nothing in production.
   */
  static volatile Consumer<WarehouseTable> afterCommit = table -> {};

  /** Loans by status, the months that hold eligible rows (in the order met) and the mature labelled loans. */
  private record LabelSummary(Map<String, Long> byStatus, List<String> eligibleMonths,
      RunManifest.MatureLabelled matureLabelled) {}

  /**
   * @param applicationsWithFeatures the applications as of the date with their score features
   * @param performance loan performance as of the date, with as_of_date and run_id, kept by the caller
   */
  static BuildDataset.Result write(SparkSession spark, CreditRiskConfig conf, LocalDate asOf, String runId,
      String group, ValidatedInputs in, Dataset<Row> applicationsWithFeatures, List<SourceInput.Checked> sources,
      Dataset<Row> performance, Optional<Pseudonymizer> pseudonymizer, Map<String, Long> timings, Instant started) {
    // Tokens replace the identifiers as the rows are written, after every join and the split on
    // customer_id: the tables and the splits are those of the same run without pseudonymization.
    java.util.function.UnaryOperator<Dataset<Row>> written = d -> pseudonymizer.map(p -> p.apply(d)).orElse(d);
    Optional<Long> lpBefore = LOAN_PERFORMANCE.currentVersion(spark, conf);
    long lpVersion = timed(timings, "write_loan_performance", () -> {
      BuildDataset.describe(spark, group, "write " + LOAN_PERFORMANCE.tableName());
      return LOAN_PERFORMANCE.replaceRun(spark, conf, written.apply(performance), asOf, null);
    });
    afterCommit.accept(LOAN_PERFORMANCE);

    try {
      LabelSummary labels = timed(timings, "label_summary", () -> {
        BuildDataset.describe(spark, group, "summarise labels");
        return summarise(performance, ModelDataset.eligible(conf.labelUse()));
      });
      List<String> oot = ModelDataset.ootMonths(labels.eligibleMonths(), conf.ootMonths());
      LOG.info("Out-of-time months: {}", oot);

      Dataset<Row> dataset = ModelDataset.withSplit(
              ModelDataset.assemble(applicationsWithFeatures,
                  performance.drop("as_of_date", "run_id", "application_month"), sourceColumns(sources)),
              oot, SplitRules.from(conf))
          .withColumn("as_of_date", PointInTime.dateOf(asOf))
          .withColumn("run_id", lit(runId));
      Observation obs = new Observation("model_dataset");
      List<Column> metrics = countMetrics(sources);
      Dataset<Row> observed = dataset.observe(obs, metrics.get(0), metrics.subList(1, metrics.size())
          .toArray(new Column[0]));
      long mdVersion = timed(timings, "write_model_dataset", () -> {
        BuildDataset.describe(spark, group, "write " + MODEL_DATASET.tableName());
        return MODEL_DATASET.replaceRun(spark, conf, written.apply(observed), asOf, null, "application_month");
      });
      afterCommit.accept(MODEL_DATASET);
      Map<String, Object> m = BuildDataset.observed(obs);

      Map<String, Long> statusCounts = counts(m, "status_", STATUSES);
      Map<String, Long> splitCounts = counts(m, "split_", SPLITS);
      RunManifest.ScoreAtApplication score = new RunManifest.ScoreAtApplication(num(m.get("score_missing")),
          num(m.get("missing_no_snapshot")), num(m.get("missing_stale")),
          num(m.get("missing_only_after_application")), num(m.get("decision_score_present")),
          num(m.get("decision_score_differs")), num(m.get("decision_score_without_usable_score")));
      String lpPath = LOAN_PERFORMANCE.path(conf);
      String mdPath = MODEL_DATASET.path(conf);
      RunManifest manifest = new RunManifest(runId, asOf, in.extractDate(),
          conf.extractDate().isPresent() ? "inputs.extract_date" : "latest date in inputs",
          RunFolder.codeVersion(), spark.version(), conf.fingerprint(), conf.toMap(), in.sources(),
          new RunManifest.RowCounts(in.rowCounts(), labels.byStatus(), statusCounts, splitCounts),
          labels.matureLabelled(), oot, excluded(in), score, sourceRuns(sources, m),
          new RunManifest.Outputs(new RunManifest.Output(lpPath, lpVersion), new RunManifest.Output(mdPath, mdVersion)),
          started, Instant.now(), timings);

      String runJson = RunFolder.writeJson(spark, RunFolder.path(conf, runId), "run.json", manifest);
      return new BuildDataset.Result(runId, runJson, lpPath, mdPath, asOf, in.extractDate(), statusCounts,
          splitCounts, manifest, missingScoreWarning(score, num(m.get("rows")), conf.maxMissingShare()));
    } catch (RuntimeException | IOException e) {
      LOAN_PERFORMANCE.rollback(spark, conf, LOAN_PERFORMANCE.predicate(asOf, null), lpBefore, lpVersion);
      if (e instanceof CreditRiskException cre) {
        throw cre;
      }
      throw Errors.cannot("build the dataset", e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * The warning when more applications than features.max_missing_share have no usable score: the
   * run goes on (some scores are usable), but models and cutoffs then speak for fewer applications.
   */
  static List<String> missingScoreWarning(RunManifest.ScoreAtApplication score, long applications, double maxShare) {
    double share = applications == 0 ? 0.0 : (double) score.missing() / applications;
    if (share <= maxShare) {
      return List.of();
    }
    String w = String.format(Locale.ROOT, "%.1f%% of the applications have no usable score (no_snapshot %.1f%%, "
            + "stale %.1f%%, only_after_application %.1f%%), above features.max_missing_share %s",
        100 * share, 100.0 * score.noSnapshot() / applications, 100.0 * score.stale() / applications,
        100.0 * score.onlyAfterApplication() / applications, maxShare);
    LOG.warn(w);
    return List.of(w);
  }

  /** One small aggregation: rows by status, application month, eligibility and maturity. */
  private static LabelSummary summarise(Dataset<Row> performance, Column eligible) {
    Map<String, Long> byStatus = new TreeMap<>();
    List<String> eligibleMonths = new ArrayList<>();
    long good = 0;
    long bad = 0;
    for (Row r : performance.groupBy(col("status"), col("application_month"), eligible.as("eligible"),
        col("mature")).agg(count(lit(1)).as("n")).collectAsList()) {
      byStatus.merge(r.getString(0), r.getLong(4), Long::sum);
      if (r.getBoolean(2) && !eligibleMonths.contains(r.getString(1))) {
        eligibleMonths.add(r.getString(1));
      }
      if (r.getBoolean(3) && r.getString(0).equals("bad")) {
        bad += r.getLong(4);
      } else if (r.getBoolean(3) && r.getString(0).equals("good")) {
        good += r.getLong(4);
      }
    }
    return new LabelSummary(byStatus, eligibleMonths, new RunManifest.MatureLabelled(good, bad));
  }

  /** Every feature source's columns in model_dataset, in declaration order. */
  private static List<String> sourceColumns(List<SourceInput.Checked> sources) {
    List<String> out = new ArrayList<>();
    sources.forEach(c -> out.addAll(SourceFeatures.featureColumns(c.source())));
    return out;
  }

  /** Each source's record in run.json, its applications by missing reason observed on model_dataset. */
  private static Map<String, RunManifest.FeatureSourceRun> sourceRuns(List<SourceInput.Checked> sources,
      Map<String, Object> observed) {
    Map<String, RunManifest.FeatureSourceRun> out = new LinkedHashMap<>();
    for (SourceInput.Checked c : sources) {
      String name = c.source().name();
      Map<String, Long> reasons = new LinkedHashMap<>();
      for (String r : SOURCE_MISSING_REASONS) {
        reasons.put(r, num(observed.get("source_" + name + "_" + r)));
      }
      out.put(name, new RunManifest.FeatureSourceRun(c.origin(), c.counts(),
          num(observed.get("rows")) - reasons.values().stream().mapToLong(Long::longValue).sum(), reasons));
    }
    return out;
  }

  /** What run.json counts of model_dataset, observed as it is written: no extra pass. */
  private static List<Column> countMetrics(List<SourceInput.Checked> sources) {
    List<Column> metrics = new ArrayList<>();
    for (String s : STATUSES) {
      metrics.add(sum(when(col("status").equalTo(s), 1).otherwise(0)).as("status_" + s));
    }
    for (String s : SPLITS) {
      metrics.add(sum(when(col("split").equalTo(s), 1).otherwise(0)).as("split_" + s));
    }
    metrics.add(sum(when(col("score_at_application").isNull(), 1).otherwise(0)).as("score_missing"));
    for (String reason : MISSING_REASONS) {
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
    for (SourceInput.Checked c : sources) {
      for (String r : SOURCE_MISSING_REASONS) {
        metrics.add(sum(when(col(c.source().missingReasonColumn()).equalTo(r), 1).otherwise(0))
            .as("source_" + c.source().name() + "_" + r));
      }
    }
    metrics.add(count(lit(1)).as("rows"));
    return metrics;
  }

  private static Map<String, Long> counts(Map<String, Object> observed, String prefix, List<String> keys) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String k : keys) {
      out.put(k, num(observed.get(prefix + k)));
    }
    return out;
  }

  /** Rows set aside, and why; each count also appears under row_counts.inputs. */
  private static List<RunManifest.Exclusion> excluded(ValidatedInputs in) {
    List<RunManifest.Exclusion> out = new ArrayList<>();
    in.rowCounts().forEach((table, counts) -> counts.forEach((k, v) -> {
      if (!k.equals("rows") && v > 0) {
        String meaning = switch (table + "." + k) {
          case "repayments.after_as_of" -> "installments due after the as-of date: not late yet (DPD 0)";
          case "repayments.paid_after_as_of" -> "payments dated after the as-of date: counted as not yet made";
          default -> "dated after the as-of date: set aside, not read";
        };
        out.add(new RunManifest.Exclusion(table, k, v, meaning));
      }
    }));
    return out;
  }

  private static long num(Object o) {
    return o == null ? 0L : ((Number) o).longValue();
  }
}
