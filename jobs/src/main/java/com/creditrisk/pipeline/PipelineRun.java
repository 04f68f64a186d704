package com.creditrisk.pipeline;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.dataset.BuildDataset;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.models.TrainModels;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}: every stage as of one date in one Spark application: build-dataset, train (when due
 * or asked), score, calibrate, validate. Records {@code runs/<RUN_ID>/pipeline.json}: each stage's time and
 * headline figures, the train run whose models scored, and for every table the Delta version written
 * with the rows and a content checksum of this run's slice, so a rerun can be checked to leave the
 * same contents and any figure can be reproduced from Delta time travel.
 */
public final class PipelineRun {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

  private PipelineRun() {}

  /** @param retrain train even when the last train run is recent enough */
  public record Input(CreditRiskConfig conf, LocalDate asOf, boolean retrain) {}

  public record Stage(String name, long elapsedMs, Map<String, Object> figures) {}

  public record Result(String runId, String runDir, String modelRunId, boolean trained, String trainReason,
      BuildDataset.Result built, TrainModels.Result training, ScoreApplications.Result scored,
      CalibrateJob.Result calibrated, ValidateStage.Result validated, List<Stage> stages, Map<String, Map<String, Object>> tables, String pipelineJson) {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    LocalDate asOf = in.asOf();
    String runId = RunFolder.runId(asOf, conf);
    Instant started = Instant.now();
    List<Stage> stages = new ArrayList<>();

    BuildDataset.Result built = stage(stages, "build-dataset", () -> BuildDataset.run(spark,
        new BuildDataset.Input(conf, asOf)), b -> Map.of("applications", b.statusCounts().values().stream()
        .mapToLong(Long::longValue).sum(), "status", b.statusCounts(), "splits", b.splitCounts()));

    Optional<LocalDate> last = lastTrainRun(spark, conf, asOf);
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
        Map<String, Object> auc = new LinkedHashMap<>();
        t.models().forEach((m, r) -> auc.put(m, r.metrics().get("oot").auc()));
        return Map.of("oot_auc", auc);
      });
      modelRunId = training.runId();
    } else {
      modelRunId = RunFolder.runId(last.get(), conf);
      LOG.info("train skipped: {}", reason);
    }
    final String models = modelRunId;
    ScoreApplications.Result scored = stage(stages, "score", () -> ScoreApplications.run(spark,
        new ScoreApplications.Input(conf, asOf, models)), s -> Map.of("rows_by_model", s.rowsByModel()));
    CalibrateJob.Result calibrated = stage(stages, "calibrate", () -> CalibrateJob.run(spark,
        new CalibrateJob.Input(conf, asOf, models)), c -> Map.of("curve_rows", c.curveRows(),
        "cutoff_curve_version", c.curveVersion()));
    ValidateStage.Result validated = stage(stages, "validate", () -> ValidateStage.run(spark,
        new ValidateStage.Input(conf, asOf, models)), v -> {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("verdict", v.verdict());
          Map<String, Object> auc = new LinkedHashMap<>();
          v.models().forEach((m, r) -> auc.put(m, r.discrimination().auc()));
          f.put("oot_auc", auc);
          f.put("report", v.reportPath());
          return f;
        });

    Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
    String wh = conf.warehousePath();
    String date = "as_of_date = '" + asOf + "'";
    String run = date + " AND model_run_id = '" + modelRunId.replace("'", "''") + "'";
    tables.put("loan_performance", fingerprint(spark, wh + "/" + BuildDataset.LOAN_PERFORMANCE, date));
    tables.put("model_dataset", fingerprint(spark, wh + "/" + TrainModels.MODEL_DATASET, date));
    tables.put(ScoreApplications.SCORED_APPLICATIONS, fingerprint(spark, scored.path(), run));
    tables.put(com.creditrisk.io.WarehouseTable.CUTOFF_CURVE.tableName(), fingerprint(spark, calibrated.curvePath(), run));
    tables.put(com.creditrisk.io.WarehouseTable.VALIDATION_METRICS.tableName(), fingerprint(spark, validated.tablePath(),
        "run_id = '" + validated.runId().replace("'", "''") + "'"));

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
    record.put("tables", tables);
    record.put("inputs", built.manifest().get("inputs"));
    String runDir = RunFolder.path(conf, runId);
    try {
      String json = RunFolder.writeJson(spark, runDir, "pipeline.json", record);
      return new Result(runId, runDir, modelRunId, train, reason, built, training, scored, calibrated, validated,
          stages, tables, json);
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot write " + runDir + "/pipeline.json: " + e.getMessage(), e);
    }
  }

  private static <T> T stage(List<Stage> stages, String name, Supplier<T> body,
      java.util.function.Function<T, Map<String, Object>> figures) {
    long t0 = System.nanoTime();
    LOG.info("stage {} started", name);
    T result = body.get();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("stage {} finished in {} s", name, String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0));
    stages.add(new Stage(name, ms, figures.apply(result)));
    return result;
  }

  /** The Delta version of a table with the rows and checksum of the slice matching {@code where}. */
  static Map<String, Object> fingerprint(SparkSession spark, String path, String where) {
    long version = com.creditrisk.io.DeltaTables.currentVersion(spark, path).orElse(-1L);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("version", version);
    m.put("where", where);
    if (version >= 0) {
      Dataset<Row> slice = spark.read().format("delta").option("versionAsOf", version).load(path).where(where);
      TableFingerprint.Print p = TableFingerprint.of(slice);
      m.put("rows", p.rows());
      m.put("checksum", p.checksum());
    }
    return m;
  }

  /** The latest as-of date on or before {@code asOf} with a train run (model card) of this config. */
  static Optional<LocalDate> lastTrainRun(SparkSession spark, CreditRiskConfig conf, LocalDate asOf) {
    Path runs = new Path(conf.warehousePath() + "/runs");
    String suffix = "-" + conf.fingerprint();
    try {
      FileSystem fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(runs)) {
        return Optional.empty();
      }
      LocalDate best = null;
      for (FileStatus s : fs.listStatus(runs)) {
        String name = s.getPath().getName();
        if (!s.isDirectory() || !name.endsWith(suffix) || !fs.exists(new Path(s.getPath(), "model_card.json"))) {
          continue;
        }
        try {
          LocalDate d = LocalDate.parse(name.substring(0, name.length() - suffix.length()));
          if (!d.isAfter(asOf) && (best == null || d.isAfter(best))) {
            best = d;
          }
        } catch (DateTimeParseException e) {
          // Not a run folder of ours.
        }
      }
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot list " + runs + ": " + e.getMessage(), e);
    }
  }
}
