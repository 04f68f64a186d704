package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save/load round trips of the model, the estimator and a PipelineModel; the model's parent. */
class WoeBinningPersistenceTest {
  @TempDir Path dir;

  static void assertSameRows(Dataset<Row> a, Dataset<Row> b) {
    assertEquals(0, a.exceptAll(b).count(), "rows only in the first");
    assertEquals(0, b.exceptAll(a).count(), "rows only in the second");
  }

  @Test
  void modelRoundTripGivesIdenticalBinsParamsAndTransform() throws Exception {
    Dataset<Row> df = BinningFixtures.generated(11, 1500);
    WoeBinningModel m = WoeBinningPropertyTest.binning().setHandleInvalid("keep").fit(df);
    String path = dir.resolve("model").toString();
    m.write().overwrite().save(path);
    WoeBinningModel loaded = WoeBinningModel.load(path);
    assertEquals(m.uid(), loaded.uid());
    assertEquals(m.allBins(), loaded.allBins());
    assertEquals(m.unlabeledRows(), loaded.unlabeledRows());
    assertEquals("keep", loaded.getHandleInvalid());
    assertEquals(m.informationValue(), loaded.informationValue());
    assertEquals(java.util.Arrays.asList(m.getCategoricalCols()), java.util.Arrays.asList(loaded.getCategoricalCols()));
    assertSameRows(m.transform(df), loaded.transform(df));
  }

  @Test
  void estimatorRoundTripKeepsItsParams() throws Exception {
    WoeBinning b = new WoeBinning().setInputCols("a", "b").setMaxBins(7).setSpecialValues(-9.0)
        .setMonotonicityOverrides("a:descending").setRareLevelShare(0.0);
    String path = dir.resolve("est").toString();
    b.write().overwrite().save(path);
    WoeBinning loaded = WoeBinning.load(path);
    assertEquals(7, loaded.getMaxBins());
    assertEquals(-9.0, loaded.getSpecialValues()[0]);
    assertEquals("descending", loaded.monotonicityOf("a"));
    assertEquals(0.0, loaded.getRareLevelShare());
  }

  @Test
  void pipelineModelRoundTripScoresTheSame() throws Exception {
    Dataset<Row> df = BinningFixtures.generated(12, 1500);
    Pipeline p = new Pipeline().setStages(new PipelineStage[] {WoeBinningPropertyTest.binning()});
    PipelineModel pm = p.fit(df);
    String path = dir.resolve("pipeline").toString();
    pm.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    WoeBinningModel stage = (WoeBinningModel) loaded.stages()[0];
    assertEquals(((WoeBinningModel) pm.stages()[0]).allBins(), stage.allBins());
    assertSameRows(pm.transform(df), loaded.transform(df));
  }

  @Test
  void theFittedModelHasItsEstimatorAsParentAndCopiesKeepIt() {
    WoeBinning est = WoeBinningPropertyTest.binning();
    WoeBinningModel m = est.fit(BinningFixtures.generated(13, 800));
    assertSame(est, m.parent());
    WoeBinningModel copy = m.copy(new org.apache.spark.ml.param.ParamMap());
    assertSame(est, copy.parent());
    assertEquals(m.allBins(), copy.allBins());
  }
}
