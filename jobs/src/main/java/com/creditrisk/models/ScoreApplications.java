package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig.PointsScaling;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code score}: applies every model of a train run to every application of model_dataset as of a
 * date, rejected ones included (reject inference needs them), and writes {@code scored_applications}:
 * one row per application and model with the PD, the model's score in points, the risk grade and,
 * for the scorecard, reason codes. A rerun replaces the rows of the same as-of date and model run.
 */
public final class ScoreApplications {
  public static final String SCORED_APPLICATIONS = "scored_applications";

  private ScoreApplications() {}

  /** @param modelRunId the run folder holding the models (train's RUN_ID) */
  public record Input(CreditRiskConfig conf, LocalDate asOf, String modelRunId) {}

  public record Result(String path, long version, Map<String, Long> rowsByModel) {}

  /** Columns of model_dataset carried into scored_applications. */
  static final List<String> CARRIED = List.of("application_id", "customer_id", "application_time", "application_month",
      "product", "channel", "requested_amount", "decision", "score_at_application", "status", "label", "split");

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    String action = "score as of " + in.asOf();
    String runDir = RunFolder.path(conf, in.modelRunId());
    JsonNode card;
    try {
      card = RunFolder.readJson(spark, runDir, "model_card.json").orElseThrow(() -> Errors.missingStageOutput(action,
          "the model card of run " + in.modelRunId(), runDir + "/model_card.json",
          "run train first, or name a run that has models with --model"));
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot read " + runDir + "/model_card.json: " + e.getMessage(), e);
    }
    JsonNode s = card.get("scaling");
    PointsScaling scaling = new PointsScaling(s.get("base_score").asDouble(), s.get("base_odds").asDouble(),
        s.get("pdo").asDouble());
    String mdPath = conf.warehousePath() + "/" + TrainModels.MODEL_DATASET;
    long mdVersion = DeltaTables.currentVersion(spark, mdPath).orElseThrow(() -> Errors.missingStageOutput(action,
        "table " + TrainModels.MODEL_DATASET, mdPath, "run build-dataset --as-of " + in.asOf() + " first"));
    Dataset<Row> dataset = spark.read().format("delta").option("versionAsOf", mdVersion).load(mdPath)
        .where(col("as_of_date").equalTo(lit(in.asOf().toString()).cast("date")));

    Dataset<Row> scored = null;
    List<String> names = ModelCard.modelNames(card);
    for (String name : names) {
      ModelKind kind = ModelKind.of(name);
      PipelineModel model = PipelineModel.load(runDir + "/models/" + name);
      Column reasons = kind == ModelKind.SCORECARD
          ? new Scorecard.Points(model, scaling).reasonCodes(conf.train().reasonCodes())
          : lit(null).cast(DataTypes.createArrayType(DataTypes.StringType));
      List<Column> out = new ArrayList<>();
      for (String c : CARRIED) {
        out.add(col(c));
      }
      out.add(lit(name).as("model"));
      out.add(kind.pd().as("pd"));
      out.add(kind.score(scaling).as("model_score"));
      out.add(grade(kind.pd(), conf.train().gradeBounds()).as("risk_grade"));
      out.add(reasons.as("reason_codes"));
      Dataset<Row> one = model.transform(dataset).select(out.toArray(new Column[0]));
      scored = scored == null ? one : scored.unionByName(one);
    }
    if (scored == null) {
      throw Errors.missingStageOutput(action, "models in run " + in.modelRunId(), runDir + "/models",
          "run train first");
    }
    List<Column> perModel = new ArrayList<>();
    for (String name : names) {
      perModel.add(sum(when(col("model").equalTo(name), 1L).otherwise(0L)).as(name));
    }
    Observation written = new Observation("scored_applications");
    Dataset<Row> rows = scored
        .withColumn("as_of_date", lit(in.asOf().toString()).cast("date"))
        .withColumn("model_run_id", lit(in.modelRunId()))
        .observe(written, perModel.get(0), perModel.subList(1, perModel.size()).toArray(new Column[0]));
    String path = conf.warehousePath() + "/" + SCORED_APPLICATIONS;
    spark.sparkContext().setJobGroup("score-" + in.asOf(), "score as of " + in.asOf() + " with " + in.modelRunId(), false);
    try {
      long version = DeltaTables.replaceRows(spark, rows, path,
          "as_of_date = '" + in.asOf() + "' AND model_run_id = '" + in.modelRunId().replace("'", "''") + "'", "as_of_date");
      Map<String, Long> byModel = new LinkedHashMap<>();
      Map<String, Object> m = written.getAsJava();
      for (String name : names) {
        byModel.put(name, ((Number) m.get(name)).longValue());
      }
      return new Result(path, version, byModel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CreditRiskException(ErrorCode.INTERNAL, "Interrupted while scoring", e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** Risk grade 1..n: the first grade whose upper PD bound is not below the PD. */
  public static Column grade(Column pd, List<Double> bounds) {
    Column g = lit(bounds.size() + 1);
    for (int i = bounds.size() - 1; i >= 0; i--) {
      g = when(pd.leq(bounds.get(i)), lit(i + 1)).otherwise(g);
    }
    return g;
  }
}
