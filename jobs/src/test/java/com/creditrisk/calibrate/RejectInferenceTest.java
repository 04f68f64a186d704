package com.creditrisk.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.CutoffCurve;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RejectInferenceTest {
  static final StructType POPULATION = new StructType()
      .add("status", DataTypes.StringType).add("decision", DataTypes.StringType)
      .add("split", DataTypes.StringType).add("label", DataTypes.IntegerType)
      .add("model_score", DataTypes.DoubleType).add("score_at_application", DataTypes.IntegerType)
      .add("product", DataTypes.StringType).add("channel", DataTypes.StringType)
      .add("requested_amount", DataTypes.DoubleType).add(PdCalibration.PD_CAL, DataTypes.DoubleType);

  static Row app(String status, Integer label, double points, Integer score, double pd) {
    boolean known = label != null;
    return RowFactory.create(status, status.equals("rejected") ? "rejected" : "approved", known ? "oot" : null, label,
        points, score, "paylater", "web", 500.0, pd);
  }

  /**
   * Four approved loans with outcomes in the band [600, 620) (1 bad of 4) and one in [560, 580) (bad),
   * three rejects: at 610 and 605 (band 600: observed bad rate 1/4) and at 545 (band 540: no outcomes;
   * the nearest band with outcomes is 560, bad rate 1/1), and one immature approved loan (no outcome).
   */
  static List<Row> population() {
    return List.of(
        app("good", 0, 615, 700, 0.05), app("good", 0, 612, 690, 0.05), app("good", 0, 608, 680, 0.06),
        app("bad", 1, 601, 670, 0.08), app("bad", 1, 565, 650, 0.2),
        app("rejected", null, 610, 590, 0.1), app("rejected", null, 605, 580, 0.5), app("rejected", null, 545, 560, 0.9),
        app("immature", null, 630, 720, 0.03));
  }

  static CalibrateConfig conf(String method) {
    return CreditRiskConfig.defaults().with(List.of("calibrate.reject_inference.method=" + method,
        "calibrate.reject_inference.parcelling.factor=1.5")).calibrate();
  }

  @Test
  void fuzzyAugmentationWeighsEachRejectOnceAsBadByItsPdAndLeavesObservedOutcomesAlone() {
    SparkSession spark = TestSpark.get();
    Dataset<Row> w = RejectInference.weigh(spark.createDataFrame(population(), POPULATION), conf("fuzzy"));
    Row rejects = w.where("status = 'rejected'").selectExpr("sum(w_bad_ri + w_good_ri)", "sum(w_bad_ri)",
        "sum(w_bad_none + w_good_none)").first();
    assertEquals(3.0, rejects.getDouble(0), 1e-12, "the weights sum to the rejects' count");
    assertEquals(0.1 + 0.5 + 0.9, rejects.getDouble(1), 1e-12);
    assertEquals(0.0, rejects.getDouble(2));
    Row known = w.where("split is not null").selectExpr("sum(w_bad_ri)", "sum(w_good_ri)", "sum(w_bad_none)").first();
    assertEquals(2.0, known.getDouble(0));
    assertEquals(3.0, known.getDouble(1));
    assertEquals(2.0, known.getDouble(2));
    assertEquals(0.0, w.where("status = 'immature'").selectExpr("sum(w_bad_ri + w_good_ri)").first().getDouble(0));
  }

  @Test
  void parcellingGivesRejectsTheirBandsObservedBadRateTimesTheFactorCappedAtOne() {
    SparkSession spark = TestSpark.get();
    Dataset<Row> w = RejectInference.weigh(spark.createDataFrame(population(), POPULATION), conf("parcelling"));
    List<Row> r = w.where("status = 'rejected'").orderBy("model_score").select("model_score", "w_bad_ri", "w_good_ri")
        .collectAsList();
    assertEquals(1.0, r.get(0).getDouble(1), 1e-12, "band 540 borrows band 560's rate 1, times 1.5, capped at 1");
    assertEquals(0.375, r.get(1).getDouble(1), 1e-12, "band 600: 1/4 times 1.5");
    assertEquals(0.375, r.get(2).getDouble(1), 1e-12);
    assertEquals(0.625, r.get(2).getDouble(2), 1e-12);
  }

  @Test
  void withNoRejectsTheInferredCurveEqualsThePlainOne() {
    SparkSession spark = TestSpark.get();
    for (String method : List.of("fuzzy", "parcelling")) {
      Dataset<Row> noRejects = spark.createDataFrame(population(), POPULATION).where("status <> 'rejected'");
      Dataset<Row> in = CurveInput.rows(RejectInference.weigh(noRejects, conf(method)), conf(method));
      try (CutoffCurve c = CutoffCurve.compute(spark, in, CalibrateJob.KEYS, true, 0.95)) {
        Dataset<Row> plain = c.table().where("reject_inference = 'none'").drop("reject_inference");
        Dataset<Row> inferred = c.table().where("reject_inference = '" + method + "'").drop("reject_inference");
        assertEquals(plain.count(), inferred.count());
        assertEquals(0, plain.exceptAll(inferred).count(), method);
        assertEquals(0, inferred.exceptAll(plain).count(), method);
      }
    }
  }
}
