package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * BoostingStop on fitted MLlib models, on data whose right tree count is known: 40 rows, bad when
 * x >= 20, which every depth-1 tree splits the same way, so each tree moves every row's log-odds
 * further towards its label.
 */
class BoostingStopFitTest {
  private static final int MAX_ITER = 8;
  private final SparkSession spark = TestSpark.get();

  private Dataset<Row> rows(boolean inverted) {
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add(ModelKind.LABEL, DataTypes.DoubleType)
        .add(ModelKind.WEIGHT, DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int x = 0; x < 40; x++) {
      rows.add(RowFactory.create((double) x, (x >= 20) != inverted ? 1.0 : 0.0, 1.0));
    }
    return spark.createDataFrame(rows, schema);
  }

  private PipelineModel fit(int maxIter) {
    GBTClassifier gbt = new GBTClassifier().setLabelCol(ModelKind.LABEL).setFeaturesCol(ModelKind.FEATURES)
        .setRawPredictionCol(ModelKind.RAW).setProbabilityCol(ModelKind.PROBABILITY)
        .setPredictionCol(ModelKind.PREDICTION).setMaxIter(maxIter).setMaxDepth(1).setStepSize(0.1)
        .setMinInstancesPerNode(1).setSeed(7);
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol(ModelKind.FEATURES), gbt})
        .fit(rows(false));
  }

  private static int trees(PipelineModel m) {
    return ((GBTClassificationModel) m.stages()[m.stages().length - 1]).getNumTrees();
  }

  private double[] pds(PipelineModel m) {
    return m.transform(rows(false)).select(ModelKind.GBT.pd(m, 0.0)).collectAsList().stream()
        .mapToDouble(r -> r.getDouble(0)).toArray();
  }

  @Test
  void validationRowsLikeTheTrainingRowsImproveWithEveryTreeSoAllAreKept() {
    assertEquals(MAX_ITER, trees(BoostingStop.keepBest(fit(MAX_ITER), rows(false), 2, 0.0)));
  }

  @Test
  void validationRowsWithTheOppositeLabelsGetWorseFromTheSecondTreeSoOneIsKept() {
    PipelineModel kept = BoostingStop.keepBest(fit(MAX_ITER), rows(true), 3, 0.0);
    assertEquals(1, trees(kept));
  }

  @Test
  void aModelCutToItsFirstTreesPredictsAsAFitOfThatManyTrees() {
    PipelineModel full = fit(MAX_ITER);
    GBTClassificationModel cut = BoostingStop.firstTrees((GBTClassificationModel) full.stages()[1], 3);
    PipelineModel cutPipeline = new PipelineModel("cut", new org.apache.spark.ml.Transformer[] {full.stages()[0], cut});
    assertArrayEquals(pds(fit(3)), pds(cutPipeline), 1e-12);
    assertEquals(ModelKind.PROBABILITY, cut.getProbabilityCol(), "the cut model keeps the fitted model's params");
  }
}
