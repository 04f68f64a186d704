package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;

import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.CutoffCurve;
import com.creditrisk.cutoffs.PolicyCutoff;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.run.ModelCardFile;
import com.creditrisk.run.RunFolder;
import com.creditrisk.run.Timings;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code calibrate}: from the scored applications of a train run, calibrates each model's PD
 * (fitted on test, checked on oot) with a master scale, computes the strategy curve of every segment
 * for the model's score and for the consumer score alone, with and without reject inference, writes
 * it as the Delta table {@code cutoff_curve}, picks each segment's cutoff by the policy in conf and
 * compares the model's approvals with the score-only policy's (swap sets). Orchestration only: the
 * curve and the cutoff rule are the {@code cutoffs} package's, the fits {@link PdCalibration}'s.
 */
public final class CalibrateJob {
  /** The score-only policy: the consumer score at application, as the lender uses it today. */
  public static final String SOURCE_SCORE = "score";
  /** The calibrated model's score in whole points. */
  public static final String SOURCE_MODEL = "model";
  static final List<String> KEYS = List.of("score_source", "reject_inference", "segment_set", "segment");

  /** A segment set's name in cutoff_curve and cutoffs.json: its columns, comma-separated. */
  public static String segmentSetName(List<String> set) {
    return String.join(",", set);
  }

  /** An application's segment of a set: its values of the set's columns, "/"-separated, "(missing)" for null. */
  public static Column segmentOf(List<String> set) {
    List<Column> parts = new ArrayList<>();
    for (String c : set) {
      parts.add(coalesce(col(c).cast("string"), lit("(missing)")));
    }
    return concat_ws("/", parts.toArray(new Column[0]));
  }

  /**
   * The model's score as the cutoffs read it, in whole points: an application is approved when it
   * is at least the chosen cutoff.
   */
  public static Column modelPoints(Column modelScore) {
    return round(modelScore).cast("double");
  }

  private CalibrateJob() {}

  public record Input(CreditRiskConfig conf, LocalDate asOf, String modelRunId) {}

  /** One segment's cutoffs: a segment, a score source, with or without reject inference. */
  public record Choice(@JsonProperty("score_source") String scoreSource,
      @JsonProperty("reject_inference") String rejectInference, @JsonProperty("segment_set") String segmentSet,
      String segment, @JsonProperty("by_policy") Map<String, PolicyCutoff> byPolicy, Chosen chosen,
      @JsonProperty("observed_bads") long observedBads, @JsonProperty("too_small") boolean tooSmall) {}

  /**
   * The configured policy's cutoff of a segment, with what the segment holds.
   *
   * @param cutoff the policy's cutoff and its figures
   * @param lowestApprovedScore the most permissive historically approved score, or null
   * @param decided a cutoff qualifies and the segment is not too small
   * @param note why it is not decided when too small, else null
   */
  public record Chosen(PolicyCutoff cutoff, String policy, long nApplications, long candidates,
      Double lowestApprovedScore, boolean decided, String note) {
    /** The cutoffs.json object: the policy's cutoff and figures, then the segment's. */
    @JsonValue
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>(cutoff.toJson());
      m.put("policy", policy);
      m.put("n_applications", nApplications);
      m.put("candidates", candidates);
      m.put("lowest_approved_score", lowestApprovedScore);
      m.put("decided", decided);
      if (note != null) {
        m.put("note", note);
      }
      return m;
    }
  }

  public record Result(String runId, String runDir, String curvePath, long curveVersion, long curveRows,
      List<Choice> choices, Map<String, Object> swapSets, Map<String, Object> calibration,
      Map<String, Long> timingsMs) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    CalibrateConfig cc = conf.calibrate();
    String action = "calibrate as of " + in.asOf();
    Map<String, Long> timings = new LinkedHashMap<>();
    List<String> models = ModelCardFile.read(spark, conf, in.modelRunId(), action).models();
    if (!models.contains(cc.model())) {
      throw Errors.unusableStageInput(action, "run " + in.modelRunId(),
          "calibrate.model " + cc.model() + " is not among its models " + models + "; set calibrate.model to one of them");
    }
    WarehouseTable scoredTable = WarehouseTable.SCORED_APPLICATIONS;
    String scoreFirst = "run score --as-of " + in.asOf() + " --model " + in.modelRunId() + " first";
    long scoredVersion = scoredTable.requireVersion(spark, conf, action, scoreFirst);
    Dataset<Row> scored = scoredTable.readRun(spark, conf, scoredVersion, in.asOf(), in.modelRunId());

    if (scored.where(col("model").equalTo(cc.model())).limit(1).collectAsList().isEmpty()) {
      throw Errors.missingStageOutput(action, "scored applications of run " + in.modelRunId(),
          scoredTable.path(conf), scoreFirst);
    }

    // Calibration of every model: small fits on the test rows, checks on test and oot, all from
    // one cached read of the labelled rows.
    Dataset<Row> labelledAll = scored.where(col("label").isNotNull().and(col("split").isin("test", "oot")))
        .select("model", "model_score", "pd", "label", "split").cache();
    Map<String, Object> calibration = new LinkedHashMap<>();
    PdCalibration primary;
    try {
      primary = Timings.timed(timings, "calibration",
          () -> ModelCalibrations.calibrateAll(labelledAll, models, conf, calibration));
    } finally {
      labelledAll.unpersist();
    }

    List<String> months = Timings.timed(timings, "population", () ->
        CurveInput.populationMonths(scored.where(col("model").equalTo(cc.model())), cc.months()));
    if (months.isEmpty()) {
      throw Errors.unusableStageInput(action, scoredTable.tableName(),
          "no application month holds mature labelled rows, so no cutoff can be measured");
    }
    Dataset<Row> population = primary.transform(scored.where(col("model").equalTo(cc.model())
        .and(col("application_month").isin((Object[]) months.toArray(new String[0])))));
    // Read by the curve, the parcelling rates and the swap sets: computed once.
    Dataset<Row> weighted = RejectInference.weigh(population, cc).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> curveInput = CurveInput.rows(weighted, cc);

    WarehouseTable curveTable = WarehouseTable.CUTOFF_CURVE;
    String curvePath = curveTable.path(conf);
    Optional<Long> previous = curveTable.currentVersion(spark, conf);
    spark.sparkContext().setJobGroup("calibrate-" + in.asOf(), action, false);
    long version;
    try {
      // Both passes of the curve and its write: the first pass runs when the curve is computed.
      version = Timings.timed(timings, "cutoff_curve", () -> {
        try (CutoffCurve curve = CutoffCurve.compute(spark, curveInput, KEYS, true, cc.confidence())) {
          Dataset<Row> out = curve.table()
              .withColumn("as_of_date", lit(in.asOf().toString()).cast("date"))
              .withColumn("model_run_id", lit(in.modelRunId()))
              .withColumn("model", lit(cc.model()));
          return curveTable.replaceRun(spark, conf, out, in.asOf(), in.modelRunId(), "as_of_date");
        }
      });
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    String runId = RunFolder.runId(in.asOf(), conf);
    String runDir = RunFolder.path(conf, runId);
    try {
      Dataset<Row> written = curveTable.readRun(spark, conf, version, in.asOf(), in.modelRunId())
          .drop("as_of_date", "model_run_id", "model").cache();
      long curveRows = Timings.timed(timings, "read_curve", written::count);
      List<Choice> choices = Timings.timed(timings, "policies", () -> SegmentCutoffs.choose(written, cc));
      Map<String, Object> swap = Timings.timed(timings, "swap_sets", () -> SwapSets.compare(written, weighted, choices, cc));
      written.unpersist();

      Map<String, Object> cutoffs = new LinkedHashMap<>();
      cutoffs.put("as_of_date", in.asOf().toString());
      cutoffs.put("model_run_id", in.modelRunId());
      cutoffs.put("model", cc.model());
      cutoffs.put("calibration_method", cc.method().configName());
      // In source order: Map.of's iteration order changes from one JVM start to the next.
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("type", cc.policy().configName());
      policy.put("target_bad_rate", cc.targetBadRate());
      policy.put("min_approval_rate", cc.minApprovalRate());
      policy.put("confidence", cc.confidence());
      policy.put("min_bads", cc.minBads());
      cutoffs.put("policy", policy);
      cutoffs.put("reject_inference", cc.rejectInference().configName());
      cutoffs.put("population_months", months);
      cutoffs.put("scored_applications_version", scoredVersion);
      cutoffs.put("cutoff_curve_version", version);
      cutoffs.put("cutoffs", choices);
      cutoffs.put("swap_sets", swap);
      cutoffs.put("timings_ms", timings);
      RunFolder.writeJson(spark, runDir, "calibration.json", calibration);
      primary.save(runDir + "/calibration/" + cc.model() + "-" + cc.method());
      RunFolder.writeJson(spark, runDir, CutoffsFile.NAME, cutoffs);
      return new Result(runId, runDir, curvePath, version, curveRows, choices, swap, calibration, timings);
    } catch (IOException | RuntimeException e) {
      curveTable.rollback(spark, conf, curveTable.predicate(in.asOf(), in.modelRunId()), previous, version);
      if (e instanceof CreditRiskException c) {
        throw c;
      }
      throw Errors.failedAfterWrite("calibrate", curvePath, e);
    } finally {
      weighted.unpersist();
    }
  }
}
