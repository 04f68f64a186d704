package com.creditrisk.validation;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.dataset.BuildDataset;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.models.ModelCard;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SectionKind;
import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code validate --as-of}: the validation pack of every model of a train run on its out-of-time
 * rows in scored_applications, with PSI per application month against the development period, the
 * paired DeLong test against the score-only model, calibrate's strategy curve and the vintage
 * curves. Writes runs/RUN_ID/metrics.json, report.html (the deployed model, with the others' ROC
 * curves), report-MODEL.html for the others, and the rows of validation_metrics (a rerun replaces
 * the run's rows).
 */
public final class ValidatePipeline {
  public static final String VALIDATION_METRICS = "validation_metrics";
  /** The score-only model every other model must beat: the paired DeLong test compares with it. */
  static final String BENCHMARK_MODEL = "score_logistic";
  /** About this many points of the strategy curve reach the report. */
  static final int STRATEGY_POINTS = 200;
  private static final String COMPARE_SCORE = "__benchmark_score";

  private ValidatePipeline() {}

  /** @param modelRunId the train run whose models were scored */
  public record Input(CreditRiskConfig conf, LocalDate asOf, String modelRunId) {}

  /**
   * @param models each model's result, in the model card's order
   * @param verdict the worst verdict over the models
   */
  public record Result(String runId, String runDir, String modelRunId, String deployedModel,
      Map<String, ValidationResult> models, String verdict, String reportPath, String tablePath, long tableVersion,
      boolean strategyShown) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    String action = "validate as of " + in.asOf();
    String modelDir = RunFolder.path(conf, in.modelRunId());
    JsonNode card = readJson(spark, modelDir, "model_card.json").orElseThrow(() -> Errors.missingStageOutput(action,
        "the model card of run " + in.modelRunId(), modelDir + "/model_card.json",
        "run train first, or name a run that has models with --model"));
    List<String> models = ModelCard.modelNames(card);
    String scoredPath = conf.warehousePath() + "/" + ScoreApplications.SCORED_APPLICATIONS;
    String scoreFirst = "run score --as-of " + in.asOf() + " --model " + in.modelRunId() + " first";
    long scoredVersion = DeltaTables.currentVersion(spark, scoredPath).orElseThrow(() -> Errors.missingStageOutput(
        action, "table " + ScoreApplications.SCORED_APPLICATIONS, scoredPath, scoreFirst));
    String runId = RunFolder.runId(in.asOf(), conf);
    String runDir = RunFolder.path(conf, runId);
    String deployed = models.contains(conf.calibrate().model()) ? conf.calibrate().model() : models.get(0);

    // Every model's statistics read the same few columns: one read of the pinned version.
    Dataset<Row> apps = spark.read().format("delta").option("versionAsOf", scoredVersion).load(scoredPath)
        .where(col("as_of_date").equalTo(lit(in.asOf().toString()).cast("date"))
            .and(col("model_run_id").equalTo(lit(in.modelRunId()))))
        .select("application_id", "application_month", "model", "model_score", "pd", "risk_grade", "label", "split")
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, ValidationResult> results = new LinkedHashMap<>();
    try {
      if (apps.where(col("model").equalTo(deployed)).isEmpty()) {
        throw Errors.missingStageOutput(action, "scored applications of run " + in.modelRunId() + " as of "
            + in.asOf(), scoredPath, scoreFirst);
      }
      for (String m : models) {
        results.put(m, validateModel(spark, conf, apps, m, models.contains(BENCHMARK_MODEL), scoredVersion,
            devAuc(card, m), runDir));
      }
    } finally {
      apps.unpersist(false);
    }

    Map<String, Long> versions = new LinkedHashMap<>();
    versions.put(ScoreApplications.SCORED_APPLICATIONS, scoredVersion);
    ReportSection strategy = strategy(spark, conf, in, runDir, versions);
    ReportSection vintages = vintages(spark, conf, in.asOf(), versions);
    String verdict = TrafficLights.verdict(results.values().stream().flatMap(r -> r.lights().stream()).toList());

    String reportPath;
    try {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run_id", runId);
      json.put("command", "validate");
      json.put("as_of_date", in.asOf().toString());
      json.put("model_run_id", in.modelRunId());
      json.put("deployed_model", deployed);
      json.put("verdict", verdict);
      json.put("verdict_rule", "the worst verdict over the models; each is the worst of its counted lights");
      json.put("sample", "split = oot of scored_applications (mature labelled rows); PSI per application_month over "
          + "every scored application against every application of the months holding train rows (the "
          + "development months); psi: every application after those months against them");
      json.put("input_versions", versions);
      Map<String, Object> perModel = new LinkedHashMap<>();
      results.forEach((m, r) -> perModel.put(m, r.toJson()));
      json.put("models", perModel);
      RunFolder.writeJson(spark, runDir, "metrics.json", json);
      reportPath = null;
      for (Map.Entry<String, ValidationResult> e : results.entrySet()) {
        String m = e.getKey();
        boolean main = m.equals(deployed);
        List<ReportSection.RocCurve> others = new ArrayList<>();
        if (main) {
          results.forEach((o, r) -> {
            if (!o.equals(m) && Double.isFinite(r.discrimination().auc())) {
              others.add(ValidationReport.rocCurve(r, o));
            }
          });
        }
        String subtitle = String.format(Locale.ROOT, "Model %s%s, train run %s, as of %s; out-of-time sample: "
            + "%,d mature loans (%,d bad); run verdict %s", m, main ? " (deployed)" : "", in.modelRunId(), in.asOf(),
            e.getValue().discrimination().n(), e.getValue().discrimination().nBad(), verdict);
        String path = ValidationReport.write(spark, runDir, main ? "report.html" : "report-" + m + ".html",
            ValidationReport.build(e.getValue(), new ValidationReport.Extras("Validation report: " + m, subtitle, m,
                "Model score of " + m + " (points, higher = safer)", others,
                main ? strategy : null, vintages, null)));
        if (main) {
          reportPath = path;
        }
      }
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot write " + runDir + ": " + e.getMessage(), e);
    }
    String tablePath = conf.warehousePath() + "/" + VALIDATION_METRICS;
    long version = DeltaTables.replaceRows(spark, ValidationMetricsRows.frame(spark, runId, in, results), tablePath,
        "run_id = '" + runId.replace("'", "''") + "'");
    return new Result(runId, runDir, in.modelRunId(), deployed, results, verdict, reportPath, tablePath, version,
        strategy instanceof ReportSection.Strategy);
  }

  /** The model's pack on its oot rows, then PSI per month of all its applications against the development months. */
  private static ValidationResult validateModel(SparkSession spark, CreditRiskConfig conf, Dataset<Row> apps,
      String m, boolean benchmarkScored, long scoredVersion, Double devAuc, String runDir) {
    Dataset<Row> mine = apps.where(col("model").equalTo(m));
    Dataset<Row> oot = mine.where(col("split").equalTo("oot").and(col("label").isNotNull()));
    boolean compare = benchmarkScored && !m.equals(BENCHMARK_MODEL);
    if (compare) {
      oot = oot.join(apps.where(col("model").equalTo(BENCHMARK_MODEL).and(col("split").equalTo("oot")))
          .select(col("application_id"), col("model_score").as(COMPARE_SCORE)), "application_id");
    }
    String out = runDir + "/validation/" + m;
    ValidateScores.Input vin = new ValidateScores.Input(ScoreApplications.SCORED_APPLICATIONS + " (Delta version "
        + scoredVersion + "), model " + m + ", split oot", "delta", "model_score", "label", null, true, "pd",
        "risk_grade", null, null, compare ? COMPARE_SCORE : null, List.of(),
        List.of(conf.calibrate().targetBadRate()), devAuc, out);
    ValidationResult base = ValidateScores.validate(spark, conf, vin, "delta", oot, null);
    Map<String, Long> ms = new LinkedHashMap<>(base.timingsMs());
    long t0 = System.nanoTime();
    // Train rows are approved, disbursed, mature loans only, while a month's applications include the
    // rejected ones, which score lower: against the train rows every month would look shifted. The
    // baseline is the through-the-door population of the development period instead: every
    // application of the months that hold train rows.
    // The total PSI compares the months after it, else it would mostly compare the baseline with itself.
    Dataset<Row> devMonths = mine.where(col("split").equalTo("train")).select("application_month").distinct();
    Dataset<Row> development = mine.join(devMonths, "application_month", "left_semi");
    Stability.Grouped byMonth = Stability.psi(development, col("model_score"), mine, col("model_score"),
        col("application_month"));
    Stability.Psi recent = Stability.psi(development, col("model_score"),
        mine.join(devMonths, "application_month", "left_anti"), col("model_score"), null).total();
    Stability.Grouped g = new Stability.Grouped(recent, byMonth.byGroup());
    // One month per row: as many as the history has months.
    Set<String> baselineMonths = new TreeSet<>(devMonths.as(Encoders.STRING()).collectAsList());
    ms.put("psi", (System.nanoTime() - t0) / 1_000_000);
    ValidationResult r = withStability(base, g, baselineMonths, conf, compare ? BENCHMARK_MODEL : null, ms);
    // The pack wrote its metrics.json without PSI: replace it with the whole result.
    ValidateScores.write(spark, out, r);
    return r;
  }

  /** The result with PSI against the development months, its lights and verdict re-read with them. */
  static ValidationResult withStability(ValidationResult b, Stability.Grouped g, Set<String> baselineMonths,
      CreditRiskConfig conf, String compareModel, Map<String, Long> timingsMs) {
    Map<String, Stability.Psi> byMonth = new TreeMap<>(g.byGroup());
    // A development month is part of the baseline: its PSI shows how uneven the baseline is, not
    // drift, and an early month of few applications would otherwise fail every later run's gate.
    List<TrafficLights.Light> lights = TrafficLights.evaluate(new TrafficLights.Inputs(g.total(), byMonth, Map.of(),
        b.jeffreysPortfolio(), b.jeffreysByGrade(), b.hosmerLemeshow(), b.aucDropSe(), b.rankOrdering()),
        conf.validation()).stream()
        .map(l -> l.check().equals("psi_month") && baselineMonths.contains(l.subject())
            ? new TrafficLights.Light(l.check(), l.subject(), l.value(), l.level(), false,
                l.rule() + "; a development month: listed, not counted")
            : l)
        .toList();
    ValidationResult.Source s = b.source();
    ValidationResult.Source source = new ValidationResult.Source(s.path(), s.format(), s.scoreCol(), s.labelCol(),
        s.badValue(), s.higherIsSafe(), s.pdCol(), s.gradeCol(), "application_month",
        "the development months", compareModel);
    return new ValidationResult(source, b.rowsRead(), b.excluded(), b.discrimination(), b.developmentAuc(),
        b.aucDropSe(), b.paired(), b.calibration(), b.hosmerLemeshow(), b.jeffreysByGrade(), b.jeffreysPortfolio(),
        b.gradeSource(), b.herfindahl(), b.rankOrdering(), g.total(), "baseline", byMonth, Map.of(), b.cutoffs(),
        lights, TrafficLights.verdict(lights), ValidationResult.Charts.of(b.discrimination(),
            b.charts().scoreDistribution(), b.jeffreysByGrade(), byMonth), timingsMs);
  }

  private static Double devAuc(JsonNode card, String model) {
    JsonNode auc = card.at("/models/" + model + "/metrics/test/auc");
    return auc.isNumber() ? auc.asDouble() : null;
  }

  /**
   * The deployed model's approval strategy from calibrate's cutoff curve (segment all, no reject
   * inference), thinned in Spark to about {@link #STRATEGY_POINTS} cutoffs, with the cutoff
   * calibrate chose for it.
   */
  private static ReportSection strategy(SparkSession spark, CreditRiskConfig conf, Input in, String runDir,
      Map<String, Long> versions) {
    String path = conf.warehousePath() + "/" + CalibrateJob.CUTOFF_CURVE;
    Optional<Long> version = DeltaTables.currentVersion(spark, path);
    ReportSection missing = new ReportSection.NotAvailable(SectionKind.STRATEGY, "run calibrate first (calibrate "
        + "--as-of " + in.asOf() + " --model " + in.modelRunId() + ")");
    if (version.isEmpty()) {
      return missing;
    }
    versions.put(CalibrateJob.CUTOFF_CURVE, version.get());
    String model = conf.calibrate().model();
    Dataset<Row> curve = spark.read().format("delta").option("versionAsOf", version.get()).load(path)
        .where(col("as_of_date").equalTo(lit(in.asOf().toString()).cast("date"))
            .and(col("model_run_id").equalTo(lit(in.modelRunId()))).and(col("model").equalTo(model))
            .and(col("score_source").equalTo(CalibrateJob.SOURCE_MODEL)).and(col("reject_inference").equalTo("none"))
            .and(col("segment_set").equalTo("all")).and(col("segment").equalTo("all"))
            .and(col("bad_rate").isNotNull()))
        .select("cutoff", "n_approved", "approval_rate", "bad_rate", "bad_rate_upper");
    long n = curve.count();
    if (n == 0) {
      return missing;
    }
    long step = Math.max(1, (n + STRATEGY_POINTS - 1) / STRATEGY_POINTS);
    // One segment's curve: a few thousand rows at most, so one window partition is fine.
    List<ReportSection.StrategyPoint> points = curve
        .withColumn("rn", row_number().over(Window.orderBy(col("cutoff"))))
        .where(col("rn").minus(1).mod(step).equalTo(0).or(col("rn").equalTo(n)))
        .orderBy("cutoff").collectAsList().stream()
        .map(r -> new ReportSection.StrategyPoint(r.getDouble(0), r.getLong(1), r.getDouble(2), r.getDouble(3),
            r.isNullAt(4) ? null : r.getDouble(4)))
        .toList();
    Double chosen = null;
    Double target = null;
    JsonNode cutoffs = readJson(spark, runDir, "cutoffs.json").orElse(null);
    if (cutoffs != null && in.modelRunId().equals(cutoffs.path("model_run_id").asText())) {
      target = cutoffs.at("/policy/target_bad_rate").isNumber() ? cutoffs.at("/policy/target_bad_rate").asDouble()
          : null;
      for (JsonNode c : cutoffs.path("cutoffs")) {
        if (CalibrateJob.SOURCE_MODEL.equals(c.path("score_source").asText())
            && "none".equals(c.path("reject_inference").asText()) && "all".equals(c.path("segment").asText())
            && c.at("/chosen/cutoff").isNumber()) {
          chosen = c.at("/chosen/cutoff").asDouble();
        }
      }
    }
    return new ReportSection.Strategy("Model score of " + model + " (points), approve score >= cutoff",
        List.of(new ReportSection.StrategyCurve("all", points, chosen, target)));
  }

  /**
   * Cumulative bad rate by months on book per disbursement month, over the mature loans of
   * loan_performance as of the date: a loan turns bad in the month on book its first bad date
   * falls in (counted from disbursement, at least 1, at most the label window).
   */
  static ReportSection vintages(SparkSession spark, CreditRiskConfig conf, LocalDate asOf,
      Map<String, Long> versions) {
    String path = conf.warehousePath() + "/" + BuildDataset.LOAN_PERFORMANCE;
    Optional<Long> version = DeltaTables.currentVersion(spark, path);
    if (version.isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.VINTAGE, "no loan_performance table (run build-dataset first)");
    }
    versions.put(BuildDataset.LOAN_PERFORMANCE, version.get());
    int window = conf.windowMonths();
    Column badMob = when(col("first_bad_date").isNotNull().and(col("label").equalTo(1)),
        least(lit(window), greatest(lit(1), ceil(months_between(col("first_bad_date"), col("disbursed_date")))
            .cast("int"))));
    List<Row> cells = spark.read().format("delta").option("versionAsOf", version.get()).load(path)
        .where(col("as_of_date").equalTo(lit(asOf.toString()).cast("date")).and(col("mature")))
        .groupBy(date_format(col("disbursed_date"), "yyyy-MM").as("month"), badMob.as("mob"))
        .agg(count(lit(1)).as("n"))
        .collectAsList();
    Map<String, long[]> byMonth = new TreeMap<>();
    for (Row r : cells) {
      long[] counts = byMonth.computeIfAbsent(r.getString(0), k -> new long[window + 1]);
      counts[r.isNullAt(1) ? 0 : r.getInt(1)] += r.getLong(2);
    }
    List<ReportSection.VintageCurve> curves = new ArrayList<>();
    byMonth.forEach((month, counts) -> {
      long loans = 0;
      for (long c : counts) {
        loans += c;
      }
      List<ReportSection.MobPoint> points = new ArrayList<>();
      long bads = 0;
      for (int mob = 1; mob <= window; mob++) {
        bads += counts[mob];
        points.add(new ReportSection.MobPoint(mob, (double) bads / loans));
      }
      curves.add(new ReportSection.VintageCurve(month, loans, points));
    });
    return curves.isEmpty()
        ? new ReportSection.NotAvailable(SectionKind.VINTAGE, "no mature loan as of " + asOf)
        : new ReportSection.Vintages(curves);
  }

  private static Optional<JsonNode> readJson(SparkSession spark, String dir, String name) {
    try {
      return RunFolder.readJson(spark, dir, name);
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot read " + dir + "/" + name + ": " + e.getMessage(), e);
    }
  }
}
