package com.creditrisk.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CalibrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PdCalibrationTest {
  static final double FLOOR = 0.0003;
  static final StructType ROWS = new StructType().add("model_score", DataTypes.DoubleType)
      .add("label", DataTypes.IntegerType).add("split", DataTypes.StringType);

  /**
   * Scores 500..520 with bads at 500, 500, 505 and 515 (hand-worked pool-adjacent-violators on the
   * descending fit): blocks {500: 2/2}, {505: 1/1}, {510, 515: 1/2}, {520: 0/1}. The all-bad blocks
   * get the cap 1 - pd_floor and the block without a bad the floor, never 1 or 0.
   */
  @Test
  void isotonicFitOfAHandWorkedSampleGivesTheBlockBadRatesWithinTheFloorAndTheCap() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = List.of(RowFactory.create(500.0, 1, "test"), RowFactory.create(500.0, 1, "test"),
        RowFactory.create(505.0, 1, "test"), RowFactory.create(510.0, 0, "test"), RowFactory.create(515.0, 1, "test"),
        RowFactory.create(520.0, 0, "test"));
    Dataset<Row> d = spark.createDataFrame(rows, ROWS);
    PdCalibration cal = PdCalibration.fit(d, CalibrateConfig.Method.ISOTONIC, FLOOR);
    List<Row> out = cal.transform(d).orderBy("model_score").select(PdCalibration.PD_CAL).collectAsList();
    double[] expected = {1 - FLOOR, 1 - FLOOR, 1 - FLOOR, 0.5, 0.5, FLOOR};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out.get(i).getDouble(0), 1e-12, "row " + i);
    }
  }

  /**
   * The same hand-worked fit predicts its steps, also between fitted points: 507.5 lies between the
   * all-bad block ending at 505 and the block {510, 515} at 0.5, and takes the lower-scoring, riskier
   * block's PD (MLlib interpolates 0.75); 517.5 takes 0.5 (MLlib 0.25). Every prediction is a step.
   */
  @Test
  void isotonicCalibrationPredictsTheFittedStepsBetweenFittedPoints() {
    SparkSession spark = TestSpark.get();
    List<Row> fit = List.of(RowFactory.create(500.0, 1, "test"), RowFactory.create(500.0, 1, "test"),
        RowFactory.create(505.0, 1, "test"), RowFactory.create(510.0, 0, "test"), RowFactory.create(515.0, 1, "test"),
        RowFactory.create(520.0, 0, "test"));
    PdCalibration cal = PdCalibration.fit(spark.createDataFrame(fit, ROWS), CalibrateConfig.Method.ISOTONIC, FLOOR);
    double[] scores = {450, 502.5, 507.5, 512, 517.5, 519.99, 600};
    double[] expected = {1 - FLOOR, 1 - FLOOR, 1 - FLOOR, 0.5, 0.5, 0.5, FLOOR};
    List<Row> between = new ArrayList<>();
    for (double sc : scores) {
      between.add(RowFactory.create(sc, 0, "oot"));
    }
    List<Row> out = cal.transform(spark.createDataFrame(between, ROWS)).orderBy("model_score")
        .select(PdCalibration.PD_CAL).collectAsList();
    for (int i = 0; i < scores.length; i++) {
      assertEquals(expected[i], out.get(i).getDouble(0), 1e-12, "score " + scores[i]);
    }
  }

  @Test
  void isotonicCalibrationIsMonotoneAndItsGradePdsEqualTheObservedBadRatesOnTheFittingRows() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = new ArrayList<>();
    Random rnd = new Random(11);
    for (int i = 0; i < 4000; i++) {
      double score = 450 + rnd.nextInt(250);
      double pd = 1 / (1 + Math.exp((score - 520) / 25.0));
      rows.add(RowFactory.create(score, rnd.nextDouble() < pd ? 1 : 0, i % 3 == 0 ? "oot" : "test"));
    }
    Dataset<Row> d = spark.createDataFrame(rows, ROWS).cache();
    PdCalibration cal = PdCalibration.fit(d.where("split = 'test'"), CalibrateConfig.Method.ISOTONIC, FLOOR);
    Dataset<Row> withPd = cal.transform(d);
    // Non-increasing in the score, over every row (oot scores between fitted points included).
    List<Row> ordered = withPd.orderBy("model_score").select("model_score", PdCalibration.PD_CAL).collectAsList();
    for (int i = 1; i < ordered.size(); i++) {
      assertTrue(ordered.get(i).getDouble(1) <= ordered.get(i - 1).getDouble(1) + 1e-15, "at " + ordered.get(i));
    }
    List<Double> bounds = List.of(0.02, 0.05, 0.1, 0.2, 0.4);
    int grades = 0;
    for (Row g : PdCalibration.masterScale(withPd, bounds)) {
      // The floor moves a block's PD by at most pd_floor, so a grade's mean PD by no more.
      assertTrue(g.<Double>getAs("min_pd") >= FLOOR, "no grade has PD 0: " + g);
      if (g.getString(0).equals("test")) {
        double observed = ((Number) g.getAs("bads")).doubleValue() / g.<Long>getAs("n");
        assertEquals(observed, g.<Double>getAs("mean_pd"), FLOOR + 1e-9, "grade " + g.getAs("grade"));
        grades++;
      }
    }
    assertTrue(grades >= 4, "grades " + grades);
    d.unpersist();
  }

  @Test
  void plattCalibrationMatchesTheBadRateInTheLargeOnItsFittingRows() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = new ArrayList<>();
    Random rnd = new Random(5);
    for (int i = 0; i < 3000; i++) {
      double score = 450 + rnd.nextInt(250);
      rows.add(RowFactory.create(score, rnd.nextDouble() < 1 / (1 + Math.exp((score - 500) / 30.0)) ? 1 : 0, "test"));
    }
    Dataset<Row> d = spark.createDataFrame(rows, ROWS);
    PdCalibration cal = PdCalibration.fit(d, CalibrateConfig.Method.PLATT, FLOOR);
    PdCalibration.Check c = PdCalibration.checkBySplit(cal.transform(d), PdCalibration.PD_CAL).get("test");
    // A logistic fit with an intercept reproduces the sample's bad rate (its score equation).
    assertEquals(c.observedBadRate(), c.meanPd(), 1e-6);
    assertTrue((double) cal.describe().get("slope_per_point") < 0, "higher score, lower PD");
  }

  /**
   * Scores that separate the labels perfectly drive an unregularised Platt fit to PDs of exactly 0
   * and 1: they get the floor and the cap, and the master scale's best grade has the floor's PD.
   */
  @Test
  void plattPdsOfASeparableSampleStayWithinTheFloorAndTheCap() {
    SparkSession spark = TestSpark.get();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double score = 400 + i * 0.5;
      rows.add(RowFactory.create(score, score < 500 ? 1 : 0, "test"));
    }
    Dataset<Row> d = spark.createDataFrame(rows, ROWS);
    Dataset<Row> withPd = PdCalibration.fit(d, CalibrateConfig.Method.PLATT, FLOOR).transform(d);
    Row range = withPd.agg(org.apache.spark.sql.functions.min(PdCalibration.PD_CAL),
        org.apache.spark.sql.functions.max(PdCalibration.PD_CAL)).first();
    assertEquals(FLOOR, range.getDouble(0), 0.0);
    assertEquals(1 - FLOOR, range.getDouble(1), 0.0);
    Row best = PdCalibration.masterScale(withPd, List.of(0.02, 0.05, 0.1, 0.2, 0.4)).get(0);
    assertEquals(1, best.<Integer>getAs("grade"));
    assertEquals(FLOOR, best.<Double>getAs("mean_pd"), 1e-15);
  }
}
