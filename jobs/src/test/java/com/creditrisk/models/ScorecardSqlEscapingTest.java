package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.binning.WoeBinning;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig.PointsScaling;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The scorecard's SQL export with hostile data values: levels with a single quote, a backtick, a
 * backslash or SQL of their own, and a feature name with a backtick. The statement of
 * scorecard.sql, run as text by Spark SQL, must parse and give every row the points of its own
 * bin, exactly as the fitted pipeline's WoE says.
 */
class ScorecardSqlEscapingTest {
  private static final List<String> LEVELS = List.of("Pay 'Later'", "back`tick", "back\\slash",
      "x' OR '1'='1", "plain");

  @Test
  void exportedSqlWithQuotesAndBackticksInLevelsParsesAndScoresEveryRowLikeThePipeline() {
    SparkSession spark = TestSpark.get();
    String product = "pro`duct";
    StructType schema = new StructType().add(product, DataTypes.StringType).add("amount", DataTypes.DoubleType)
        .add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int level = i % LEVELS.size();
      // Each level has its own bad rate (5%..45%), so each keeps a bin of its own.
      boolean bad = (i * 7919 % 100) < 5 + 10 * level;
      rows.add(RowFactory.create(LEVELS.get(level), 100.0 + (i % 37) * 10, bad ? 1.0 : 0.0));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema);
    WoeBinning binning = new WoeBinning().setInputCols(product, "amount").setOutputCols("p_woe", "a_woe")
        .setCategoricalCols(product).setLabelCol("label").setMaxBins(5).setMinBinShare(0.05)
        .setRareLevelShare(0.0).setHandleInvalid("keep");
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {binning,
        new VectorAssembler().setInputCols(new String[] {"p_woe", "a_woe"}).setOutputCol("features"),
        new LogisticRegression().setLabelCol("label")}).fit(data);
    PointsScaling scaling = CreditRiskConfig.defaults().train().scaling();
    Scorecard.Points points = new Scorecard.Points(model, scaling);

    data.createOrReplaceTempView("hostile_levels");
    Dataset<Row> viaSql = spark.sql("SELECT *, " + points.scoreSql() + " AS sql_score FROM hostile_levels");
    List<Row> scored = model.transform(viaSql).select(col("`" + product.replace("`", "``") + "`"), col("p_woe"),
        col("a_woe"), col("sql_score")).collectAsList();
    assertEquals(rows.size(), scored.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Row r : scored) {
      double expected = points.points(product, r.getDouble(1)) + points.points("amount", r.getDouble(2));
      assertEquals(expected, r.getDouble(3), 1e-9, r.getString(0));
      seen.add(r.getString(0));
    }
    assertEquals(new java.util.HashSet<>(LEVELS), seen);
    // The levels' bins differ, so a level that fell to the ELSE branch would have been caught above.
    assertTrue(points.lines().stream().filter(l -> l.feature().equals(product)).count() > 1, points.lines().toString());
  }
}
