package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig.PointsScaling;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseColumns;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.run.ModelCardFile;
import com.creditrisk.run.FinishedBuilds;
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
 * one row per application and model with the PD (within calibrate.pd_floor), the model's score in points, the risk grade and,
 * for the scorecard, reason codes. A rerun replaces the rows of the same as-of date and model run.
 */
public final class ScoreApplications {
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
    ModelCardFile card = ModelCardFile.read(spark, conf, in.modelRunId(), action);
    String runDir = card.runDir();
    PointsScaling scaling = card.scaling();
    WarehouseTable md = WarehouseTable.MODEL_DATASET;
    long mdVersion = FinishedBuilds.requireVersion(spark, conf, md, in.asOf(), action);
    Dataset<Row> dataset = md.readAsOf(spark, conf, mdVersion, in.asOf());

    Dataset<Row> scored = null;
    List<String> names = card.models();
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
      double floor = conf.calibrate().pdFloor();
      out.add(kind.pd(model, floor).as("pd"));
      out.add(kind.score(model, scaling, floor).as("model_score"));
      out.add(WarehouseColumns.riskGrade(kind.pd(model, floor), conf.train().gradeBounds()).as(WarehouseColumns.RISK_GRADE));
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
    WarehouseTable table = WarehouseTable.SCORED_APPLICATIONS;
    spark.sparkContext().setJobGroup("score-" + in.asOf(), "score as of " + in.asOf() + " with " + in.modelRunId(), false);
    try {
      long version = table.replaceRun(spark, conf, rows, in.asOf(), in.modelRunId(), "as_of_date");
      Map<String, Long> byModel = new LinkedHashMap<>();
      Map<String, Object> m = written.getAsJava();
      for (String name : names) {
        byModel.put(name, ((Number) m.get(name)).longValue());
      }
      return new Result(table.path(conf), version, byModel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interrupted("scoring", e);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

}
