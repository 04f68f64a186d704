package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.InputTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * train and score end to end on generated demo data (12,000 customers, seed 7, as of the extract
 * date 2025-12-31). The generator's true default probability depends on the channel, the product,
 * the amount and the score's trend besides the score itself (docs/generator.md), so models that see
 * those features must rank the out-of-time loans better than the score alone.
 */
class TrainModelsTest {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static SparkSession spark;
  static Path dir;
  static String wh;
  static TrainModels.Result trained;
  static CreditRiskConfig conf;

  @BeforeAll
  static void trainOnDemoData() throws Exception {
    spark = TestSpark.get();
    TrainedDemo.Fixture f = TrainedDemo.get();
    dir = f.dir();
    wh = f.warehouse();
    conf = f.conf();
    trained = f.trained();
  }

  @Test
  void multiFeatureModelsRankOutOfTimeLoansBetterThanTheScoreAlone() {
    double baseline = Math.max(oot("score_logistic"), oot("score_isotonic"));
    assertTrue(oot("scorecard") > baseline, "scorecard " + oot("scorecard") + " vs score only " + baseline);
    assertTrue(oot("gbt") > baseline, "gbt " + oot("gbt") + " vs score only " + baseline);
    // The score carries most of the signal: even the baseline ranks far better than chance.
    assertTrue(baseline > 0.6, "score-only oot AUC " + baseline);
  }

  private static double oot(String model) {
    return trained.models().get(model).metrics().get("oot").auc();
  }

  @Test
  void modelCardRecordsDataVersionsCountsParametersAndMetricsPerSplit() throws Exception {
    JsonNode card = new ObjectMapper().readTree(new File(trained.modelCard()));
    assertEquals(AS_OF.toString(), card.get("as_of_date").asText());
    assertTrue(card.at("/training_data/model_dataset/delta_version").isNumber());
    JsonNode rows = card.at("/training_data/rows_by_split_and_status");
    long trainRows = rows.at("/train/bad").asLong() + rows.at("/train/good").asLong();
    assertTrue(rows.at("/none/rejected").asLong() > 0, "rejected applications are counted");
    for (String m : List.of("score_logistic", "score_isotonic", "scorecard", "gbt")) {
      JsonNode metrics = card.at("/models/" + m + "/metrics");
      assertEquals(trainRows, metrics.at("/train/n").asLong(), m);
      for (String s : TrainModels.SPLITS) {
        double auc = metrics.at("/" + s + "/auc").asDouble();
        assertEquals(2 * auc - 1, metrics.at("/" + s + "/gini").asDouble(), 1e-12);
        assertTrue(metrics.at("/" + s + "/ks").asDouble() > 0);
      }
      assertTrue(new File(trained.runDir() + "/models/" + m).isDirectory(), m);
    }
    assertEquals(conf.train().gbtMaxDepths().size(), card.at("/models/gbt/tuning").size(), "every depth tried on test");
    // The input table versions come from the build-dataset run that made the rows.
    JsonNode inputs = card.at("/training_data/inputs").elements().next();
    assertTrue(inputs.isObject() && inputs.size() > 0, inputs.toString());
    assertTrue(new File(trained.runDir(), "model_card.md").isFile());
    assertTrue(new File(trained.runDir(), "scorecard.csv").isFile());
  }

  /**
   * With WoE = ln(%good / %bad) and label 1 = bad, the bounded fit never gives a positive
   * coefficient, so within every feature a bin with a lower bad rate never earns fewer points.
   */
  @Test
  void scorecardPointsNeverRewardAHigherBadRate() throws Exception {
    Scorecard.Points points = new Scorecard.Points(
        PipelineModel.load(trained.runDir() + "/models/scorecard"), conf.train().scaling());
    assertFalse(points.features().isEmpty());
    List<Scorecard.Line> lines = points.lines();
    for (Scorecard.Line a : lines) {
      assertTrue(a.coefficient() <= 0, a.feature() + " coefficient " + a.coefficient());
      for (Scorecard.Line b : lines) {
        if (a.feature().equals(b.feature()) && a.count() > 0 && b.count() > 0 && a.badRate() < b.badRate()) {
          assertTrue(a.points() >= b.points() - 1e-9, a + " vs " + b);
        }
      }
    }
  }

  /** The SQL expression written to scorecard.sql scores every application exactly like the pipeline. */
  @Test
  void scorecardSqlExpressionGivesThePipelineScoreForEveryRow() throws Exception {
    PipelineModel model = PipelineModel.load(trained.runDir() + "/models/scorecard");
    Scorecard.Points points = new Scorecard.Points(model, conf.train().scaling());
    Dataset<Row> md = spark.read().format("delta").load(wh + "/model_dataset");
    List<Row> rows = model.transform(md)
        .select(col("application_id"),
            ModelKind.SCORECARD.score(model, conf.train().scaling(), conf.calibrate().pdFloor()).as("pipeline"),
            points.scoreFromSql().as("sql"))
        .collectAsList();
    assertTrue(rows.size() > 10_000);
    for (Row r : rows) {
      assertEquals(r.getDouble(1), r.getDouble(2), 1e-9 * Math.max(1, Math.abs(r.getDouble(1))), r.getString(0));
    }
    String sql = Files.readString(Path.of(trained.runDir(), "scorecard.sql"));
    md.createOrReplaceTempView("model_dataset");
    long viaFile = spark.sql(sql.replaceAll("(?m)^--.*$", "")).count();
    assertEquals(rows.size(), viaFile);
  }

  /** Reason codes recomputed in Java from each row's WoE values and the scorecard's points. */
  @Test
  void reasonCodesNameTheFeaturesThatCostTheMostPointsAgainstTheirBestBin() throws Exception {
    PipelineModel model = PipelineModel.load(trained.runDir() + "/models/scorecard");
    Scorecard.Points points = new Scorecard.Points(model, conf.train().scaling());
    java.util.Map<String, Double> best = new java.util.HashMap<>();
    for (String f : points.features()) {
      best.put(f, points.points(f, 0.0));
    }
    for (Scorecard.Line l : points.lines()) {
      best.merge(l.feature(), l.points(), Math::max);
    }
    List<Column> cols = new ArrayList<>(List.of(points.reasonCodes(3).as("codes")));
    for (String f : points.features()) {
      cols.add(col(f + "_woe"));
    }
    List<Row> rows = model.transform(spark.read().format("delta").load(wh + "/model_dataset"))
        .select(cols.toArray(new Column[0])).limit(2000).collectAsList();
    int withCodes = 0;
    for (Row r : rows) {
      List<String> expected = new ArrayList<>();
      List<double[]> lost = new ArrayList<>();
      for (int i = 0; i < points.features().size(); i++) {
        String f = points.features().get(i);
        double l = best.get(f) - points.points(f, r.getDouble(i + 1));
        if (l > 1e-9) {
          lost.add(new double[] {l, i});
        }
      }
      lost.sort((a, b) -> Double.compare(b[0], a[0]));
      for (double[] l : lost.subList(0, Math.min(3, lost.size()))) {
        expected.add(points.features().get((int) l[1]));
      }
      assertEquals(expected, r.getList(0));
      withCodes += expected.isEmpty() ? 0 : 1;
    }
    assertTrue(withCodes > 1000, "most applications lose points somewhere: " + withCodes);
  }

  @Test
  void scoreWritesEveryApplicationOncePerModelAndARerunReplacesItsRows() {
    StringWriter out = new StringWriter();
    String[] args = {"score", "--as-of", AS_OF.toString(), "--model", trained.runId(),
        "--set", "warehouse.path=" + wh};
    assertEquals(0, CreditRisk.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), args));
    assertEquals(0, CreditRisk.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), args));
    Dataset<Row> scored = spark.read().format("delta").load(wh + "/scored_applications");
    long apps = spark.read().format("delta").load(wh + "/model_dataset").count();
    assertEquals(4 * apps, scored.count());
    assertEquals(4 * apps, scored.select("application_id", "model").distinct().count());
    assertTrue(scored.where(col("status").equalTo("rejected").and(col("pd").isNotNull())).count() > 0);
    double floor = conf.calibrate().pdFloor();
    assertEquals(0, scored.where(col("pd").isNull().or(col("pd").lt(floor)).or(col("pd").gt(1 - floor))).count());
    // The isotonic baseline's top step has no bad on the demo: its PD is the floor, not 0, and its
    // score is the floor's (no longer the 1e-12 clip's 1284.39).
    List<Row> atFloor = scored.where(col("model").equalTo("score_isotonic").and(col("pd").equalTo(floor)))
        .select("model_score").distinct().collectAsList();
    assertEquals(1, atFloor.size(), "isotonic rows at the floor: " + atFloor);
    assertEquals(scoreOf(floor), atFloor.get(0).getDouble(0), 1e-9);
    // Reason codes name scorecard features only, at most reason_codes of them.
    List<Row> reasons = scored.where(col("model").equalTo("scorecard")).select("reason_codes").limit(500).collectAsList();
    for (Row r : reasons) {
      List<String> codes = r.getList(0);
      assertTrue(codes.size() <= conf.train().reasonCodes());
    }
    assertTrue(out.toString().contains("scorecard"));
  }

  /** The model score of a PD: offset - factor ln(odds bad:good). */
  private static double scoreOf(double pd) {
    return conf.train().scaling().offset() - conf.train().scaling().factor() * Math.log(pd / (1 - pd));
  }

  /**
   * A row the model gives PD 0 or 1 gets the floor or the cap, and a score derived from its PD is
   * the floored PD's, always finite. Logistic and isotonic get there from hostile scores at
   * application; boosted trees and the scorecard cannot be pushed to exactly 0 or 1 by any input, so
   * their probability output is set to it, as a saturated model would give.
   */
  @Test
  void everyModelKindFloorsAPdOf0CapsAPdOf1AndScoresTheFlooredPd() {
    double floor = conf.calibrate().pdFloor();
    Dataset<Row> md = spark.read().format("delta").load(wh + "/model_dataset").where(col("split").isNotNull()).limit(1);
    for (ModelKind kind : ModelKind.values()) {
      PipelineModel model = PipelineModel.load(trained.runDir() + "/models/" + kind.modelName());
      Column probability = org.apache.spark.ml.functions.vector_to_array(col(ModelKind.PROBABILITY), "float64").getItem(1);
      Column raw = kind == ModelKind.SCORE_ISOTONIC ? col(ModelKind.PREDICTION) : probability;
      for (double hostile : new double[] {0.0, 1.0}) {
        Dataset<Row> out;
        if (kind == ModelKind.SCORE_LOGISTIC || kind == ModelKind.SCORE_ISOTONIC) {
          // Far above (PD 0) or below (PD 1) every score: the fitted function's extremes.
          int score = hostile == 0.0 ? 1_000_000 : -1_000_000;
          out = model.transform(md.withColumn("score_at_application", org.apache.spark.sql.functions.lit(score)));
        } else {
          out = model.transform(md).withColumn(ModelKind.PROBABILITY, org.apache.spark.ml.functions.array_to_vector(
              org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lit(1 - hostile),
                  org.apache.spark.sql.functions.lit(hostile))));
        }
        Row r = out.select(raw, kind.pd(model, floor), kind.score(model, conf.train().scaling(), floor)).first();
        String what = kind.modelName() + " at raw PD " + r.getDouble(0);
        if (kind == ModelKind.SCORE_ISOTONIC && hostile == 1.0) {
          // Its lowest step is the bad rate of the lowest scores, never 1: nothing to cap.
          assertTrue(r.getDouble(0) < 1 - floor && r.getDouble(1) == r.getDouble(0), what);
          continue;
        }
        assertEquals(hostile, r.getDouble(0), 0.0, "the model itself gives " + hostile + ": " + what);
        double expected = hostile == 0.0 ? floor : 1 - floor;
        assertEquals(expected, r.getDouble(1), 1e-15, what);
        assertTrue(Double.isFinite(r.getDouble(2)), what + ": score " + r.getDouble(2));
        if (kind != ModelKind.SCORECARD) {
          assertEquals(scoreOf(expected), r.getDouble(2), 1e-9, what);
        }
      }
    }
  }

  /**
   * The isotonic baseline predicts its steps: a score between the last point of one step and the
   * first of the next (a fractional score, as a rescaled bureau score may be) gets the lower step's
   * PD, where MLlib's prediction interpolates to a PD no step has.
   */
  @Test
  void isotonicBaselinePredictsItsStepsBetweenFittedScores() {
    double floor = conf.calibrate().pdFloor();
    PipelineModel model = PipelineModel.load(trained.runDir() + "/models/score_isotonic");
    org.apache.spark.ml.regression.IsotonicRegressionModel iso =
        (org.apache.spark.ml.regression.IsotonicRegressionModel) model.stages()[model.stages().length - 1];
    double[] b = iso.boundaries().toArray();
    double[] p = iso.predictions().toArray();
    java.util.Set<Double> steps = new java.util.HashSet<>();
    for (double v : p) {
      steps.add(Math.min(Math.max(v, floor), 1 - floor));
    }
    Dataset<Row> md = spark.read().format("delta").load(wh + "/model_dataset").limit(1);
    int gaps = 0;
    for (int k = 0; k + 1 < b.length; k++) {
      if (p[k] == p[k + 1]) {
        continue; // inside one step
      }
      gaps++;
      // The model's input is (score - score.min) / 100: the midpoint back in score points.
      double mid = conf.scoreMin() + 100 * (b[k] + b[k + 1]) / 2;
      Row r = model.transform(md.withColumn("score_at_application", org.apache.spark.sql.functions.lit(mid)))
          .select(ModelKind.SCORE_ISOTONIC.pd(model, floor), col(ModelKind.PREDICTION)).first();
      assertEquals(Math.min(Math.max(p[k], floor), 1 - floor), r.getDouble(0), 1e-15, "score " + mid);
      assertTrue(steps.contains(r.getDouble(0)), "score " + mid);
      assertTrue(Math.abs(r.getDouble(1) - r.getDouble(0)) > 1e-12, "MLlib interpolates at " + mid + ": " + r);
    }
    assertTrue(gaps > 3, "steps of the demo's isotonic fit: " + gaps);
  }

  @Test
  void aRerunWithTheSameConfigGivesTheSameModels() {
    CreditRiskConfig again = conf.with(List.of("train.models=[scorecard, gbt]"));
    TrainModels.Result r = TrainModels.run(spark, new TrainModels.Input(again, AS_OF));
    for (String m : List.of("scorecard", "gbt")) {
      for (String s : TrainModels.SPLITS) {
        assertEquals(trained.models().get(m).metrics().get(s), r.models().get(m).metrics().get(s), m + " " + s);
      }
    }
  }

  @Test
  void trainWithoutABuiltDatasetExitsWithBadInputNamingTheFix() {
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "train", "--as-of", "2025-12-31", "--set", "warehouse.path=" + dir.resolve("empty"));
    assertEquals(3, code);
    assertTrue(err.toString().contains("model_dataset") && err.toString().contains("build-dataset --as-of 2025-12-31"),
        err.toString());
  }

  @Test
  void scoreWithoutATrainRunExitsWithBadInput() {
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "score", "--as-of", "2025-12-31", "--model", "2025-12-31-nosuchrun", "--set", "warehouse.path=" + wh);
    assertEquals(3, code);
    assertTrue(err.toString().contains("model_card.json"), err.toString());
  }
}
