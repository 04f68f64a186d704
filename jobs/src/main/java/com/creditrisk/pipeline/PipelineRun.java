package com.creditrisk.pipeline;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.dataset.BuildDataset;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.models.SourceValue;
import com.creditrisk.models.TrainModels;
import com.creditrisk.run.ModelCardFile;
import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}: every stage as of one date in one Spark application: build-dataset, train (when due
 * or asked), score, calibrate, evaluate-sources (when a feature source is declared), validate. Records {@code runs/<RUN_ID>/pipeline.json}: each stage's time and
 * headline figures, the train run whose models scored, and for every table the Delta version written
 * with the rows and a content checksum of this run's slice, so a rerun can be checked to leave the
 * same contents and any figure can be reproduced from Delta time travel.
 */
public final class PipelineRun {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

  private PipelineRun() {}

  /**
   * @param retrain train even when the last train run is recent enough
   * @param valueSources run evaluate-sources when a feature source is declared; without it the
   *     run writes no sources.json and its report has no source values (the demo's months before
   *     its last: no stage after it reads sources.json, and monitor never does)
   */
  public record Input(CreditRiskConfig conf, LocalDate asOf, boolean retrain, boolean valueSources) {
    /** Every stage, as {@code run} does. */
    public Input(CreditRiskConfig conf, LocalDate asOf, boolean retrain) {
      this(conf, asOf, retrain, true);
    }
  }

  /** A stage as pipeline.json records it (the keys are the component names). */
  public record Stage(String name, long elapsedMs, Figures figures) {}

  /** A stage's headline figures in pipeline.json, one record per stage. */
  public sealed interface Figures permits DatasetFigures, TrainFigures, ScoreFigures, CalibrateFigures,
      SourcesFigures, ValidateFigures {}

  /** build-dataset: applications as of the date, by status and by split. */
  @JsonPropertyOrder({"applications", "status", "splits"})
  public record DatasetFigures(long applications, Map<String, Long> status, Map<String, Long> splits)
      implements Figures {}

  /** train: each model's AUC on the out-of-time split. */
  public record TrainFigures(@JsonProperty("oot_auc") Map<String, Double> ootAuc) implements Figures {}

  /** score: rows written per model. */
  public record ScoreFigures(@JsonProperty("rows_by_model") Map<String, Long> rowsByModel) implements Figures {}

  /** calibrate: rows of the cutoff curve and the version of cutoff_curve written. */
  @JsonPropertyOrder({"curve_rows", "cutoff_curve_version"})
  public record CalibrateFigures(@JsonProperty("curve_rows") long curveRows,
      @JsonProperty("cutoff_curve_version") long cutoffCurveVersion) implements Figures {}

  /** evaluate-sources: each source's value, in the order the config declares them. */
  @JsonPropertyOrder({"rows", "approval_rate", "sources"})
  public record SourcesFigures(long rows, @JsonProperty("approval_rate") double approvalRate,
      List<SourceFigures> sources) implements Figures {
    static SourcesFigures of(SourceValue.Result r) {
      return new SourcesFigures(r.rows(), r.approvalRate(), r.values().stream().map(v -> new SourceFigures(
          v.source(), v.overOthers().test().difference(), List.of(v.overOthers().ciLow(), v.overOthers().ciHigh()),
          v.overOthers().test().pValue(), v.valuePer1000(), v.verdict())).toList());
    }
  }

  /**
   * One source in {@link SourcesFigures}: the AUC gain over every other source (the score alone
   * with one source) with its 95% CI and paired DeLong p, the net value per 1,000 applications and
   * the verdict.
   */
  @JsonPropertyOrder({"source", "auc_gain", "auc_gain_ci95", "p_value", "value_per_1000", "verdict"})
  public record SourceFigures(String source, @JsonProperty("auc_gain") double aucGain,
      @JsonProperty("auc_gain_ci95") List<Double> aucGainCi95, @JsonProperty("p_value") double pValue,
      @JsonProperty("value_per_1000") double valuePer1000, String verdict) {}

  /** validate: the run's verdict, each model's out-of-time AUC and the deployed model's report. */
  @JsonPropertyOrder({"verdict", "oot_auc", "report"})
  public record ValidateFigures(String verdict, @JsonProperty("oot_auc") Map<String, Double> ootAuc, String report)
      implements Figures {}

  public record Result(String runId, String runDir, String modelRunId, boolean trained, String trainReason,
      BuildDataset.Result built, TrainModels.Result training, ScoreApplications.Result scored,
      CalibrateJob.Result calibrated, SourceValue.Result sources, ValidateStage.Result validated, List<Stage> stages,
      Map<String, TableFingerprint.SliceRecord> tables, String pipelineJson) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    LocalDate asOf = in.asOf();
    String runId = RunFolder.runId(asOf, conf);
    Instant started = Instant.now();
    List<Stage> stages = new ArrayList<>();

    BuildDataset.Result built = stage(stages, "build-dataset", () -> BuildDataset.run(spark,
        new BuildDataset.Input(conf, asOf)), b -> new DatasetFigures(b.statusCounts().values().stream()
        .mapToLong(Long::longValue).sum(), b.statusCounts(), b.splitCounts()));

    Optional<LocalDate> last = ModelCardFile.latestTrainRun(spark, conf, asOf);
    String reason;
    boolean train;
    if (in.retrain()) {
      train = true;
      reason = "--retrain";
    } else if (last.isEmpty()) {
      train = true;
      reason = "no train run of this config on or before " + asOf;
    } else {
      long days = ChronoUnit.DAYS.between(last.get(), asOf);
      train = days >= conf.retrainEveryDays();
      reason = train
          ? "the last train run (" + last.get() + ") is " + days + " days old, run.retrain_every_days = " + conf.retrainEveryDays()
          : "the models of " + last.get() + " are " + days + " days old, under run.retrain_every_days = " + conf.retrainEveryDays();
    }
    TrainModels.Result training = null;
    String modelRunId;
    if (train) {
      training = stage(stages, "train", () -> TrainModels.run(spark, new TrainModels.Input(conf, asOf)), t -> {
        Map<String, Double> auc = new LinkedHashMap<>();
        t.models().forEach((m, r) -> auc.put(m, r.metrics().get("oot").auc()));
        return new TrainFigures(auc);
      });
      modelRunId = training.runId();
    } else {
      modelRunId = RunFolder.runId(last.get(), conf);
      LOG.info("train skipped: {}", reason);
    }
    final String models = modelRunId;
    ScoreApplications.Result scored = stage(stages, "score", () -> ScoreApplications.run(spark,
        new ScoreApplications.Input(conf, asOf, models)), s -> new ScoreFigures(s.rowsByModel()));
    CalibrateJob.Result calibrated = stage(stages, "calibrate", () -> CalibrateJob.run(spark,
        new CalibrateJob.Input(conf, asOf, models)), c -> new CalibrateFigures(c.curveRows(), c.curveVersion()));
    // Before validate, which shows this run's sources.json. Without a source there is nothing to
    // value: no stage, so such a config's pipeline.json and outputs stay as they were.
    SourceValue.Result sources = null;
    Map<String, String> skipped = new LinkedHashMap<>();
    if (conf.featureSources().isEmpty()) {
      LOG.info("stage evaluate-sources skipped: no feature source is declared (feature_sources)");
    } else if (!in.valueSources()) {
      skipped.put("evaluate-sources", SOURCES_NOT_ASKED);
      LOG.info("stage evaluate-sources skipped: {}", SOURCES_NOT_ASKED);
    } else {
      sources = stage(stages, "evaluate-sources", () -> SourceValue.run(spark, new SourceValue.Input(conf, asOf)),
          SourcesFigures::of);
    }
    ValidateStage.Result validated = stage(stages, "validate", () -> ValidateStage.run(spark,
        new ValidateStage.Input(conf, asOf, models)), v -> {
          Map<String, Double> auc = new LinkedHashMap<>();
          v.models().forEach((m, r) -> auc.put(m, r.discrimination().auc()));
          return new ValidateFigures(v.verdict(), auc, v.reportPath());
        });

    // Every table the stages wrote, with the slice this run owns of it.
    Map<String, TableFingerprint.SliceRecord> tables = new LinkedHashMap<>();
    for (WarehouseTable t : WarehouseTable.pipelineTables()) {
      String where = switch (t.slice()) {
        case AS_OF, MODEL_RUN -> t.predicate(asOf, modelRunId);
        case RUN -> t.runPredicate(validated.runId());
        case AS_OF_RANGE -> throw new IllegalStateException(t.tableName() + " is not a pipeline table");
      };
      tables.put(t.tableName(), fingerprint(spark, conf, t, where));
    }

    Map<String, Object> record = new LinkedHashMap<>();
    record.put("run_id", runId);
    record.put("command", "run");
    record.put("as_of_date", asOf.toString());
    record.put("code_version", RunFolder.codeVersion());
    record.put("spark_version", spark.version());
    record.put("config_fingerprint", conf.fingerprint());
    record.put("config", conf.toMap());
    record.put("model_run_id", modelRunId);
    record.put("trained", train);
    record.put("train_reason", reason);
    record.put("started_at", started.toString());
    record.put("finished_at", Instant.now().toString());
    record.put("stages", stages);
    // Only when a stage was left out on purpose, so a full run's pipeline.json stays as it was.
    if (!skipped.isEmpty()) {
      record.put("skipped_stages", skipped);
    }
    record.put("tables", tables);
    record.put("inputs", built.manifest().inputs());
    String runDir = RunFolder.path(conf, runId);
    try {
      String json = RunFolder.writeJson(spark, runDir, "pipeline.json", record);
      return new Result(runId, runDir, modelRunId, train, reason, built, training, scored, calibrated, sources,
          validated,
          stages, tables, json);
    } catch (IOException e) {
      throw Errors.cannot("write " + runDir + "/pipeline.json", e);
    }
  }

  /** Why a run without {@link Input#valueSources()} has no evaluate-sources stage, in pipeline.json and the log. */
  static final String SOURCES_NOT_ASKED = "not asked for this date: no sources.json, so this date's "
      + "report shows no source values";

  private static <T> T stage(List<Stage> stages, String name, Supplier<T> body,
      Function<T, Figures> figures) {
    long t0 = System.nanoTime();
    LOG.info("stage {} started", name);
    T result = body.get();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("stage {} finished in {} s", name, String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0));
    stages.add(new Stage(name, ms, figures.apply(result)));
    return result;
  }

  /** The latest version of a table with the rows and checksum of the slice matching {@code where}. */
  static TableFingerprint.SliceRecord fingerprint(SparkSession spark, CreditRiskConfig conf, WarehouseTable table,
      String where) {
    Optional<Long> version = table.currentVersion(spark, conf);
    if (version.isEmpty()) {
      return new TableFingerprint.SliceRecord(table.path(conf), -1L, where, null, null);
    }
    TableFingerprint.Print p = TableFingerprint.of(table.readAt(spark, conf, version.get()).where(where));
    return new TableFingerprint.SliceRecord(table.path(conf), version.get(), where, p.rows(), p.checksum());
  }
}
