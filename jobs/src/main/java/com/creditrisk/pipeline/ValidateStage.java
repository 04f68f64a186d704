package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.col;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.calibrate.CutoffsFile;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.io.WarehouseColumns;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.models.ModelKind;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SmallCells;
import com.creditrisk.run.ModelCardFile;
import com.creditrisk.run.RunFolder;
import com.creditrisk.run.SourcesFile;
import com.creditrisk.validation.DevelopmentPsi;
import com.creditrisk.validation.MetricsFile;
import com.creditrisk.validation.Stability;
import com.creditrisk.validation.TrafficLights;
import com.creditrisk.validation.ValidateScores;
import com.creditrisk.validation.ValidationMetricsRows;
import com.creditrisk.validation.ValidationReport;
import com.creditrisk.validation.ValidationResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code validate --as-of}: the validation pack of every model of a train run on its out-of-time
 * rows in scored_applications, with PSI per application month against the development period, the
 * paired DeLong test against the score-only model, calibrate's strategy curve and the vintage
 * curves; with feature sources, the value of each (this run's sources.json) and the CSI of the
 * source features. Writes runs/RUN_ID/metrics.json, report.html (the deployed model, with the
 * others' ROC curves), report-MODEL.html for the others, each model's validation/MODEL/metrics.json, and the
 * rows of validation_metrics (a rerun replaces the run's rows). The statistics are the
 * {@code validation} package's; this stage reads, calls and writes.
 */
public final class ValidateStage {
  /** The score-only model every other model must beat: the paired DeLong test compares with it. */
  static final String BENCHMARK_MODEL = "score_logistic";
  private static final String COMPARE_SCORE = "__benchmark_score";
  /** The model whose selected features get a CSI: the scorecard states them, ranked by information value. */
  static final String SCORECARD = ModelKind.SCORECARD.modelName();
  /**
   * At most this many of the scorecard's features, the highest information values first, get a
   * CSI: each costs a quantile cut and two aggregations of model_dataset, and a scorecard rarely
   * selects more.
   */
  static final int CSI_TOP_FEATURES = 10;

  private ValidateStage() {}

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
    ModelCardFile card = ModelCardFile.read(spark, conf, in.modelRunId(), action);
    List<String> models = card.models();
    WarehouseTable scoredTable = WarehouseTable.SCORED_APPLICATIONS;
    String scoreFirst = "run score --as-of " + in.asOf() + " --model " + in.modelRunId() + " first";
    long scoredVersion = scoredTable.requireVersion(spark, conf, action, scoreFirst);
    String runId = RunFolder.runId(in.asOf(), conf);
    String runDir = RunFolder.path(conf, runId);
    String deployed = models.contains(conf.calibrate().model()) ? conf.calibrate().model() : models.get(0);

    // Every model's statistics read the same few columns: one read of the pinned version.
    Set<String> kept = new LinkedHashSet<>(List.of("application_id", "application_month", "model", "model_score",
        "pd", WarehouseColumns.RISK_GRADE, "label", "split"));
    Map<String, List<String>> segmentSets = new LinkedHashMap<>();
    conf.calibrate().segmentSets().forEach(set -> {
      segmentSets.put(CalibrateJob.segmentSetName(set), set);
      kept.addAll(set);
    });
    Dataset<Row> apps = scoredTable.readRun(spark, conf, scoredVersion, in.asOf(), in.modelRunId())
        .select(kept.stream().map(functions::col).toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, ValidationResult> results = new LinkedHashMap<>();
    List<ApprovalAtCutoff.Rate> approvals;
    try {
      if (apps.where(col("model").equalTo(deployed)).isEmpty()) {
        throw Errors.missingStageOutput(action, "scored applications of run " + in.modelRunId() + " as of "
            + in.asOf(), scoredTable.path(conf), scoreFirst);
      }
      for (String m : models) {
        ValidationResult r = validateModel(conf, apps, m, models.contains(BENCHMARK_MODEL), scoredVersion,
            card.developmentAuc(m).orElse(null), runDir);
        results.put(m, r);
      }
      approvals = approvals(spark, conf, apps, models, runDir, in.modelRunId(), segmentSets);
    } finally {
      apps.unpersist(false);
    }

    Map<String, Long> versions = new LinkedHashMap<>();
    versions.put(scoredTable.tableName(), scoredVersion);
    ReportSection strategy = ValidationSections.strategy(spark, conf, in.asOf(), in.modelRunId(), runDir, versions);
    ReportSection vintages = ValidationSections.vintages(spark, conf, in.asOf(), versions);
    // Only a config with sources has these sections: one without keeps its report and metrics.json.
    ReportSection sourceValues = null;
    ReportSection sourceStability = null;
    Map<String, Object> sourcesJson = null;
    List<String> sourceFeatures = ValidationSections.sourceFeatures(conf);
    List<String> topFeatures = card.scorecardFeatures().stream().limit(CSI_TOP_FEATURES).toList();
    Set<String> csiFeatures = new LinkedHashSet<>(sourceFeatures);
    csiFeatures.addAll(topFeatures);
    // One read of model_dataset for the CSI of the source features and of the scorecard's.
    Map<String, Stability.Psi> csi = ValidationSections.csi(spark, conf, in.asOf(), versions, csiFeatures);
    if (!conf.featureSources().isEmpty()) {
      Optional<SourcesFile> file = SourcesFile.read(spark, runDir);
      sourceValues = ValidationSections.sourceValues(in.asOf(), runDir, file);
      Map<String, Stability.Psi> sourceCsi = ValidationSections.only(csi, sourceFeatures);
      sourceStability = ValidationSections.sourceStability(sourceCsi, in.asOf());
      sourcesJson = sourcesJson(runDir, file, sourceCsi);
    }
    Map<String, Stability.Psi> scorecardCsi = ValidationSections.only(csi, topFeatures);
    if (!scorecardCsi.isEmpty() && results.containsKey(SCORECARD)) {
      results.put(SCORECARD, DevelopmentPsi.withFeatureCsi(results.get(SCORECARD), scorecardCsi,
          conf.validation()));
    }
    String verdict = TrafficLights.verdict(results.values().stream().flatMap(r -> r.lights().stream()).toList());

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
    SmallCells cells = new SmallCells(conf.minCellCount());
    if (!approvals.isEmpty()) {
      json.put("approval_at_chosen_cutoff", approvalJson(conf.calibrate().model(), approvals, cells));
    }
    if (sourcesJson != null) {
      json.put("feature_sources", sourcesJson);
    }
    // The reports are laid out before any file is written: each model's metrics.json flags the
    // small cells of its own report.
    Map<String, ReportModel> reports = reportModels(in, deployed, results, verdict, strategy, vintages,
        sourceValues, sourceStability, cells);
    Map<String, Object> perModel = new LinkedHashMap<>();
    results.forEach((m, r) -> perModel.put(m, ValidationReport.metricsJson(r, reports.get(m), cells)));
    perModel.forEach((m, j) -> MetricsFile.write(spark, modelDir(runDir, m), j));
    json.put("models", perModel);
    MetricsFile.write(spark, runDir, json);
    String reportPath = null;
    for (Map.Entry<String, ReportModel> e : reports.entrySet()) {
      boolean main = e.getKey().equals(deployed);
      String path = ValidationReport.write(spark, runDir, main ? "report.html" : "report-" + e.getKey() + ".html",
          e.getValue(), cells);
      reportPath = main ? path : reportPath;
    }
    // A validate run owns its run id's rows (as-of date and config), not the train run's slice:
    // two configs validating the same models keep their rows apart.
    String tablePath = WarehouseTable.VALIDATION_METRICS.path(conf);
    List<ValidationMetricsRows.Extra> extras = new ArrayList<>();
    // A segment under privacy.min_cell_count stays out of the history: monitor would chart it.
    for (ApprovalAtCutoff.Rate a : approvals.stream().filter(a -> !cells.hides(a.applications())).toList()) {
      String model = conf.calibrate().model();
      extras.add(new ValidationMetricsRows.Extra(model, a.segment(), ApprovalAtCutoff.RATE, a.rate()));
      extras.add(new ValidationMetricsRows.Extra(model, a.segment(), ApprovalAtCutoff.CUTOFF, a.cutoff()));
      extras.add(new ValidationMetricsRows.Extra(model, a.segment(), ApprovalAtCutoff.APPLICATIONS,
          a.applications()));
    }
    long version = DeltaTables.replaceRows(spark, ValidationMetricsRows.frame(spark, runId, in.asOf(),
        in.modelRunId(), results, extras), tablePath, "run_id = '" + runId.replace("'", "''") + "'");
    return new Result(runId, runDir, in.modelRunId(), deployed, results, verdict, reportPath, tablePath, version,
        strategy instanceof ReportSection.Strategy);
  }

  /**
   * The approval rate of calibrate's model at the cutoffs calibrate chose in this run folder (for
   * the same train run), on the through-the-door applications after the development months: every
   * scored application, rejected ones included, of the application months after those holding
   * train rows, the sample of the score's total PSI, so a shift of the score shows beside what it
   * does to approvals. One aggregation of the cached slice; empty without a cutoffs.json of the
   * train run, a chosen cutoff or a later month.
   */
  private static List<ApprovalAtCutoff.Rate> approvals(SparkSession spark, CreditRiskConfig conf,
      Dataset<Row> apps, List<String> models, String runDir, String modelRunId,
      Map<String, List<String>> segmentSets) {
    String model = conf.calibrate().model();
    Optional<CutoffsFile> cutoffs = CutoffsFile.read(spark, runDir);
    if (!models.contains(model) || cutoffs.isEmpty() || !modelRunId.equals(cutoffs.get().modelRunId())) {
      return List.of();
    }
    Dataset<Row> mine = apps.where(col("model").equalTo(model));
    return ApprovalAtCutoff.of(mine.where(functions.not(DevelopmentPsi.inMonths(DevelopmentPsi.months(mine)))),
        cutoffs.get().modelCutoffs(), segmentSets);
  }

  /** metrics.json's {@code approval_at_chosen_cutoff}: the sample and each segment's figures. */
  private static Map<String, Object> approvalJson(String model, List<ApprovalAtCutoff.Rate> approvals,
      SmallCells cells) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("sample", "every scored application (rejected ones included) of the application months after the "
        + "development months; approved when the model score in whole points is at least the segment's chosen "
        + "cutoff (cutoffs.json, without reject inference)");
    m.put("segments", approvals.stream().map(a -> {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("segment", a.segment());
      r.put("cutoff", a.cutoff());
      r.put("applications", a.applications());
      r.put("approved", a.approved());
      r.put("approval_rate", a.rate());
      r.put("small_cell", cells.hides(a.applications()));
      return r;
    }).toList());
    return m;
  }

  /**
   * metrics.json's {@code feature_sources}: where the value of each source comes from (this run's
   * sources.json, or null when there is none) and the CSI of each numeric source feature, not
   * counted in the verdict (it judges the models' scores; a source's shift is there to review).
   */
  private static Map<String, Object> sourcesJson(String runDir, Optional<SourcesFile> file,
      Map<String, Stability.Psi> csi) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value_from", file.isEmpty() ? null : runDir + "/" + SourcesFile.NAME);
    m.put("value", file.map(f -> f.sources().stream().map(s -> {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("source", s.name());
      v.put("coverage", num(s.coverage()));
      v.put("over_score", gainJson(s.overScore()));
      v.put("over_other_sources", gainJson(s.overOtherSources()));
      v.put("bads_avoided_per_1000_approvals", num(s.badsAvoidedPer1000Approvals()));
      v.put("extra_approvals_per_1000_applications", num(s.extraApprovalsPer1000()));
      v.put("net_value_per_1000_applications", num(s.valuePer1000()));
      v.put("verdict", s.verdict());
      return v;
    }).toList()).orElse(null));
    m.put("csi_baseline", ValidationSections.CSI_BASELINE);
    m.put("csi_current", ValidationSections.CSI_CURRENT);
    Map<String, Object> byFeature = new LinkedHashMap<>();
    csi.forEach((f, p) -> byFeature.put(f, ValidationResult.psiJson(p)));
    m.put("csi", byFeature);
    return m;
  }

  private static Map<String, Object> gainJson(SourcesFile.AucGain g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auc_difference", num(g.difference()));
    m.put("auc_difference_ci95", java.util.Arrays.asList(num(g.ciLow()), num(g.ciHigh())));
    m.put("p_value", num(g.pValue()));
    return m;
  }

  /** NaN (undefined, e.g. one class only), which JSON cannot hold, as null, as the rest of metrics.json. */
  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String modelDir(String runDir, String model) {
    return runDir + "/validation/" + model;
  }

  /** The model's pack on its oot rows, then PSI per month of all its applications against the development months. */
  private static ValidationResult validateModel(CreditRiskConfig conf, Dataset<Row> apps, String m,
      boolean benchmarkScored, long scoredVersion, Double devAuc, String runDir) {
    Dataset<Row> mine = apps.where(col("model").equalTo(m));
    Dataset<Row> oot = mine.where(col("split").equalTo("oot").and(col("label").isNotNull()));
    boolean compare = benchmarkScored && !m.equals(BENCHMARK_MODEL);
    if (compare) {
      oot = oot.join(apps.where(col("model").equalTo(BENCHMARK_MODEL).and(col("split").equalTo("oot")))
          .select(col("application_id"), col("model_score").as(COMPARE_SCORE)), "application_id");
    }
    ValidateScores.Input vin = new ValidateScores.Input(WarehouseTable.SCORED_APPLICATIONS.tableName()
        + " (Delta version " + scoredVersion + "), model " + m + ", split oot", "delta", "model_score", "label", null,
        true, "pd", WarehouseColumns.RISK_GRADE, null, null, compare ? COMPARE_SCORE : null, List.of(),
        List.of(conf.calibrate().targetBadRate()), devAuc, modelDir(runDir, m));
    ValidationResult base = ValidateScores.validate(conf, vin, "delta", oot, null);
    return DevelopmentPsi.apply(base, mine, conf.validation(), compare ? BENCHMARK_MODEL : null);
  }

  /** Each model's report: the deployed model's with the others' ROC curves and the strategy curve. */
  private static Map<String, ReportModel> reportModels(Input in, String deployed,
      Map<String, ValidationResult> results, String verdict, ReportSection strategy, ReportSection vintages,
      ReportSection sourceValues, ReportSection sourceStability, SmallCells cells) {
    Map<String, ReportModel> reports = new LinkedHashMap<>();
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
      reports.put(m, ValidationReport.build(e.getValue(), new ValidationReport.Extras("Validation report: " + m,
          subtitle, m, "Model score of " + m + " (points, higher = safer)", others, main ? strategy : null,
          vintages, main ? sourceValues : null, main ? sourceStability : null, null), cells));
    }
    return reports;
  }
}
