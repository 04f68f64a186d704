package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.CutoffCurve;
import com.creditrisk.cutoffs.CutoffPolicy;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.models.ModelCard;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.run.RunFolder;
import com.creditrisk.run.Timings;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * compares the model's approvals with the score-only policy's (swap sets).
 */
public final class CalibrateJob {
  public static final String CUTOFF_CURVE = "cutoff_curve";
  /** The score-only policy: the consumer score at application, as the lender uses it today. */
  public static final String SOURCE_SCORE = "score";
  /** The calibrated model's score in whole points. */
  public static final String SOURCE_MODEL = "model";
  static final List<String> KEYS = List.of("score_source", "reject_inference", "segment_set", "segment");

  private CalibrateJob() {}

  public record Input(CreditRiskConfig conf, LocalDate asOf, String modelRunId) {}

  /** One chosen cutoff: a segment, a score source, with or without reject inference. */
  public record Choice(@JsonProperty("score_source") String scoreSource,
      @JsonProperty("reject_inference") String rejectInference, @JsonProperty("segment_set") String segmentSet,
      String segment, @JsonProperty("by_policy") Map<String, Object> byPolicy, Map<String, Object> chosen,
      @JsonProperty("observed_bads") long observedBads, @JsonProperty("too_small") boolean tooSmall) {}

  public record Result(String runId, String runDir, String curvePath, long curveVersion, long curveRows,
      List<Choice> choices, Map<String, Object> swapSets, Map<String, Object> calibration,
      Map<String, Long> timingsMs) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    CalibrateConfig cc = conf.calibrate();
    String action = "calibrate as of " + in.asOf();
    Map<String, Long> timings = new LinkedHashMap<>();
    String trainDir = RunFolder.path(conf, in.modelRunId());
    JsonNode card = readCard(spark, trainDir, action, in.modelRunId());
    List<String> models = ModelCard.modelNames(card);
    if (!models.contains(cc.model())) {
      throw Errors.unusableStageInput(action, "run " + in.modelRunId(),
          "calibrate.model " + cc.model() + " is not among its models " + models + "; set calibrate.model to one of them");
    }
    String scoredPath = conf.warehousePath() + "/" + ScoreApplications.SCORED_APPLICATIONS;
    long scoredVersion = DeltaTables.currentVersion(spark, scoredPath).orElseThrow(() -> Errors.missingStageOutput(
        action, "table " + ScoreApplications.SCORED_APPLICATIONS, scoredPath,
        "run score --as-of " + in.asOf() + " --model " + in.modelRunId() + " first"));
    Dataset<Row> scored = spark.read().format("delta").option("versionAsOf", scoredVersion).load(scoredPath)
        .where(col("as_of_date").equalTo(lit(in.asOf().toString()).cast("date"))
            .and(col("model_run_id").equalTo(lit(in.modelRunId()))));

    if (empty(scored.where(col("model").equalTo(cc.model())))) {
      throw Errors.missingStageOutput(action, "scored applications of run " + in.modelRunId(), scoredPath,
          "run score --as-of " + in.asOf() + " --model " + in.modelRunId() + " first");
    }

    // Calibration of every model: small fits on the test rows, checks on test and oot, all from
    // one cached read of the labelled rows.
    Dataset<Row> labelledAll = scored.where(col("label").isNotNull().and(col("split").isin("test", "oot")))
        .select("model", "model_score", "pd", "label", "split").cache();
    Map<String, Object> calibration = new LinkedHashMap<>();
    PdCalibration primary;
    try {
      primary = Timings.timed(timings, "calibration", () -> calibrateAll(labelledAll, models, conf, calibration));
    } finally {
      labelledAll.unpersist();
    }

    List<String> months = Timings.timed(timings, "population", () ->
        populationMonths(scored.where(col("model").equalTo(cc.model())), cc.months()));
    if (months.isEmpty()) {
      throw Errors.unusableStageInput(action, ScoreApplications.SCORED_APPLICATIONS,
          "no application month holds mature labelled rows, so no cutoff can be measured");
    }
    Dataset<Row> population = primary.transform(scored.where(col("model").equalTo(cc.model())
        .and(col("application_month").isin((Object[]) months.toArray(new String[0])))));
    // Read by the curve, the parcelling rates and the swap sets: computed once.
    Dataset<Row> weighted = RejectInference.weigh(population, cc).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> curveInput = curveInput(weighted, cc);

    String curvePath = conf.warehousePath() + "/" + CUTOFF_CURVE;
    Optional<Long> previous = DeltaTables.currentVersion(spark, curvePath);
    String predicate = "as_of_date = '" + in.asOf() + "' AND model_run_id = '" + in.modelRunId().replace("'", "''") + "'";
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
          return DeltaTables.replaceRows(spark, out, curvePath, predicate, "as_of_date");
        }
      });
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    String runId = RunFolder.runId(in.asOf(), conf);
    String runDir = RunFolder.path(conf, runId);
    try {
      Dataset<Row> written = spark.read().format("delta").option("versionAsOf", version).load(curvePath)
          .where(col("as_of_date").equalTo(lit(in.asOf().toString()).cast("date"))
              .and(col("model_run_id").equalTo(lit(in.modelRunId()))))
          .drop("as_of_date", "model_run_id", "model").cache();
      long curveRows = Timings.timed(timings, "read_curve", written::count);
      List<Choice> choices = Timings.timed(timings, "policies", () -> choose(written, cc));
      Map<String, Object> swap = Timings.timed(timings, "swap_sets", () -> SwapSets.compare(written, weighted, choices, cc));
      written.unpersist();

      Map<String, Object> cutoffs = new LinkedHashMap<>();
      cutoffs.put("as_of_date", in.asOf().toString());
      cutoffs.put("model_run_id", in.modelRunId());
      cutoffs.put("model", cc.model());
      cutoffs.put("calibration_method", cc.method().configName());
      cutoffs.put("policy", Map.of("type", cc.policy().configName(), "target_bad_rate", cc.targetBadRate(),
          "min_approval_rate", cc.minApprovalRate(), "confidence", cc.confidence(), "min_bads", cc.minBads()));
      cutoffs.put("reject_inference", cc.rejectInference().configName());
      cutoffs.put("population_months", months);
      cutoffs.put("scored_applications_version", scoredVersion);
      cutoffs.put("cutoff_curve_version", version);
      cutoffs.put("cutoffs", choices);
      cutoffs.put("swap_sets", swap);
      cutoffs.put("timings_ms", timings);
      RunFolder.writeJson(spark, runDir, "calibration.json", calibration);
      primary.save(runDir + "/calibration/" + cc.model() + "-" + cc.method());
      RunFolder.writeJson(spark, runDir, "cutoffs.json", cutoffs);
      return new Result(runId, runDir, curvePath, version, curveRows, choices, swap, calibration, timings);
    } catch (IOException | RuntimeException e) {
      DeltaTables.rollback(spark, curvePath, previous);
      if (e instanceof CreditRiskException c) {
        throw c;
      }
      throw new CreditRiskException(ErrorCode.INTERNAL, "calibrate failed after writing " + curvePath
          + " (rolled back): " + e.getMessage(), e);
    } finally {
      weighted.unpersist();
    }
  }

  private static PdCalibration calibrateAll(Dataset<Row> labelled, List<String> models, CreditRiskConfig conf,
      Map<String, Object> calibration) {
    CalibrateConfig cc = conf.calibrate();
    PdCalibration chosen = null;
    for (String m : models) {
      Dataset<Row> rows = labelled.where(col("model").equalTo(m));
      Map<String, Object> perModel = new LinkedHashMap<>();
      perModel.put("uncalibrated", PdCalibration.checkBySplit(rows, "pd"));
      for (CalibrateConfig.Method method : CalibrateConfig.Method.values()) {
        PdCalibration cal = PdCalibration.fit(rows.where(col("split").equalTo("test")), method);
        Dataset<Row> withPd = cal.transform(rows);
        Map<String, Object> m1 = new LinkedHashMap<>(cal.describe());
        m1.put("checks", PdCalibration.checkBySplit(withPd, PdCalibration.PD_CAL));
        if (method == cc.method()) {
          m1.put("master_scale", masterScale(PdCalibration.masterScale(withPd, conf.train().gradeBounds()),
              conf.train().gradeBounds()));
          if (m.equals(cc.model())) {
            chosen = cal;
          }
        }
        perModel.put(method.configName(), m1);
      }
      calibration.put(m, perModel);
    }
    return chosen;
  }

  private static JsonNode readCard(SparkSession spark, String runDir, String action, String runId) {
    try {
      return RunFolder.readJson(spark, runDir, "model_card.json").orElseThrow(() -> Errors.missingStageOutput(action,
          "the model card of run " + runId, runDir + "/model_card.json",
          "run train first, or name a run that has models with --model"));
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot read " + runDir + "/model_card.json: " + e.getMessage(), e);
    }
  }

  private static boolean empty(Dataset<Row> rows) {
    return rows.limit(1).collectAsList().isEmpty();
  }

  /** The latest {@code n} application months holding mature labelled rows (split set). */
  static List<String> populationMonths(Dataset<Row> rows, int n) {
    List<String> months = new ArrayList<>();
    for (Row r : rows.where(col("split").isNotNull()).select(col("application_month")).distinct()
        .orderBy(col("application_month").desc()).limit(n).collectAsList()) {
      months.add(r.getString(0));
    }
    months.sort(null);
    return months;
  }

  /** One input row per score source, reject-inference variant and segment of each application. */
  static Dataset<Row> curveInput(Dataset<Row> weighted, CalibrateConfig cc) {
    List<Column> segments = new ArrayList<>();
    segments.add(struct(lit("all").as("segment_set"), lit("all").as("segment")));
    for (List<String> set : cc.segmentSets()) {
      List<Column> parts = new ArrayList<>();
      for (String c : set) {
        parts.add(coalesce(col(c).cast("string"), lit("(missing)")));
      }
      segments.add(struct(lit(String.join(",", set)).as("segment_set"),
          concat_ws("/", parts.toArray(new Column[0])).as("segment")));
    }
    Column sources = array(
        struct(lit(SOURCE_MODEL).as("score_source"), round(col("model_score")).cast("double").as("score")),
        struct(lit(SOURCE_SCORE).as("score_source"), col("score_at_application").cast("double").as("score")));
    List<Column> variants = new ArrayList<>();
    variants.add(struct(lit("none").as("ri"), col("w_bad_none").as("b"), col("w_good_none").as("g")));
    if (cc.rejectInference() != CalibrateConfig.RejectInferenceMethod.NONE) {
      variants.add(struct(lit(cc.rejectInference().configName()).as("ri"), col("w_bad_ri").as("b"), col("w_good_ri").as("g")));
    }
    Column x = col("requested_amount").cast("double");
    Column p = col(PdCalibration.PD_CAL);
    Column margin = economics(cc, CalibrateConfig.Economics::marginRate);
    Column lgd = economics(cc, CalibrateConfig.Economics::lgd);
    Column cost = economics(cc, CalibrateConfig.Economics::unitCost);
    return weighted
        .withColumn("profit", lit(1).minus(p).multiply(margin).multiply(x).minus(p.multiply(lgd).multiply(x)).minus(cost))
        .withColumn("loss", p.multiply(lgd).multiply(x))
        .withColumn("hist_approved", coalesce(col("decision").equalTo("approved"), lit(false)))
        .withColumn("seg", explode(array(segments.toArray(new Column[0]))))
        .withColumn("src", explode(sources))
        .withColumn("var", explode(array(variants.toArray(new Column[0]))))
        .select(col("src.score_source").as("score_source"), col("var.ri").as("reject_inference"),
            col("seg.segment_set").as("segment_set"), col("seg.segment").as("segment"),
            col("src.score").as(CutoffCurve.SCORE), col("var.b").as(CutoffCurve.W_BAD), col("var.g").as(CutoffCurve.W_GOOD),
            col("profit").as(CutoffCurve.PROFIT), col("loss").as(CutoffCurve.LOSS),
            col("hist_approved").as(CutoffCurve.HIST_APPROVED));
  }

  private static Column economics(CalibrateConfig cc, java.util.function.ToDoubleFunction<CalibrateConfig.Economics> f) {
    Column v = lit(f.applyAsDouble(cc.economicsOf("default")));
    for (Map.Entry<String, CalibrateConfig.Economics> e : cc.economics().entrySet()) {
      if (!e.getKey().equals("default")) {
        v = when(col("product").equalTo(e.getKey()), lit(f.applyAsDouble(e.getValue()))).otherwise(v);
      }
    }
    return v;
  }

  /** Every policy on every key; the configured one is the choice. One small query per policy. */
  static List<Choice> choose(Dataset<Row> curve, CalibrateConfig cc) {
    Map<List<String>, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (CutoffPolicy.Kind kind : CutoffPolicy.Kind.values()) {
      for (Row r : CutoffPolicy.choose(curve, KEYS, kind, cc.targetBadRate(), cc.minApprovalRate(), true)
          .orderBy(KEYS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).collectAsList()) {
        List<String> key = List.of(r.getString(0), r.getString(1), r.getString(2), r.getString(3));
        byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(kind.configName(), figures(r, kind, cc));
      }
    }
    Map<List<String>, Row> summary = new LinkedHashMap<>();
    for (Row r : curve.groupBy(KEYS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(max(col("n_bad")).as("bads"), first(col("n_total")).as("n_total"), count(lit(1)).as("candidates"),
            first(col("edge_score"), true).as("edge"))
        .collectAsList()) {
      summary.put(List.of(r.getString(0), r.getString(1), r.getString(2), r.getString(3)), r);
    }
    List<Choice> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, Object>> e : byKey.entrySet()) {
      List<String> k = e.getKey();
      Row s = summary.get(k);
      // Observed bads decide "too small": reject inference adds inferred bads, not evidence. They
      // are a property of the segment, so counted on the model's score, which every row has.
      Row plain = summary.get(List.of(SOURCE_MODEL, "none", k.get(2), k.get(3)));
      long observed = Math.round(plain.getDouble(plain.fieldIndex("bads")));
      boolean tooSmall = observed < cc.minBads();
      Map<String, Object> chosen = new LinkedHashMap<>(castMap(e.getValue().get(cc.policy().configName())));
      chosen.put("policy", cc.policy().configName());
      chosen.put("n_applications", s.getLong(s.fieldIndex("n_total")));
      chosen.put("candidates", s.getLong(s.fieldIndex("candidates")));
      chosen.put("lowest_approved_score", s.isNullAt(s.fieldIndex("edge")) ? null : s.getDouble(s.fieldIndex("edge")));
      if (tooSmall) {
        chosen.put("decided", false);
        chosen.put("note", String.format(Locale.ROOT, "too small to decide: %d observed bads < calibrate.min_bads %d;"
            + " use the cutoff of a wider segment", observed, cc.minBads()));
      } else {
        chosen.put("decided", chosen.get("cutoff") != null);
      }
      out.add(new Choice(k.get(0), k.get(1), k.get(2), k.get(3), e.getValue(), chosen, observed, tooSmall));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> figures(Row r, CutoffPolicy.Kind kind, CalibrateConfig cc) {
    Map<String, Object> f = new LinkedHashMap<>();
    boolean none = r.isNullAt(r.fieldIndex("cutoff"));
    f.put("cutoff", none ? null : r.getDouble(r.fieldIndex("cutoff")));
    if (none) {
      f.put("reason", switch (kind) {
        case TARGET_BAD_RATE -> String.format(Locale.ROOT, "no cutoff has a bad rate <= %s with approval rate >= %s",
            cc.targetBadRate(), cc.minApprovalRate());
        case TARGET_BAD_RATE_UPPER -> String.format(Locale.ROOT,
            "no cutoff has a %.0f%% Jeffreys upper bound <= %s with approval rate >= %s", 100 * cc.confidence(),
            cc.targetBadRate(), cc.minApprovalRate());
        case MAX_PROFIT -> String.format(Locale.ROOT, "no cutoff has approval rate >= %s", cc.minApprovalRate());
      });
      return f;
    }
    double badRate = r.isNullAt(r.fieldIndex("bad_rate")) ? Double.NaN : r.getDouble(r.fieldIndex("bad_rate"));
    double upper = r.isNullAt(r.fieldIndex("bad_rate_upper")) ? Double.NaN : r.getDouble(r.fieldIndex("bad_rate_upper"));
    f.put("reason", switch (kind) {
      case TARGET_BAD_RATE -> String.format(Locale.ROOT, "lowest cutoff with bad rate %.4f <= target %s", badRate,
          cc.targetBadRate());
      case TARGET_BAD_RATE_UPPER -> String.format(Locale.ROOT,
          "lowest cutoff with %.0f%% Jeffreys upper bound %.4f <= target %s", 100 * cc.confidence(), upper,
          cc.targetBadRate());
      case MAX_PROFIT -> "largest expected profit";
    });
    f.put("n_approved", r.getLong(r.fieldIndex("n_approved")));
    f.put("approval_rate", r.getDouble(r.fieldIndex("approval_rate")));
    f.put("n_labelled", r.getDouble(r.fieldIndex("n_labelled")));
    f.put("n_bad", r.getDouble(r.fieldIndex("n_bad")));
    f.put("bad_rate", Double.isNaN(badRate) ? null : badRate);
    f.put("bad_rate_upper", Double.isNaN(upper) ? null : upper);
    f.put("expected_profit", r.getDouble(r.fieldIndex("expected_profit")));
    f.put("expected_loss", r.getDouble(r.fieldIndex("expected_loss")));
    f.put("extrapolated", r.getBoolean(r.fieldIndex("extrapolated")));
    return f;
  }

  private static List<Map<String, Object>> masterScale(List<Row> rows, List<Double> bounds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      int g = r.getInt(r.fieldIndex("grade"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("split", r.getString(r.fieldIndex("split")));
      m.put("grade", g);
      m.put("pd_lower", g == 1 ? 0.0 : bounds.get(g - 2));
      m.put("pd_upper", g > bounds.size() ? 1.0 : bounds.get(g - 1));
      long n = r.getLong(r.fieldIndex("n"));
      long bads = r.getLong(r.fieldIndex("bads"));
      m.put("n", n);
      m.put("bads", bads);
      m.put("observed_bad_rate", (double) bads / n);
      m.put("mean_pd", r.getDouble(r.fieldIndex("mean_pd")));
      m.put("min_score", r.getDouble(r.fieldIndex("min_score")));
      m.put("max_score", r.getDouble(r.fieldIndex("max_score")));
      out.add(m);
    }
    return out;
  }
}
