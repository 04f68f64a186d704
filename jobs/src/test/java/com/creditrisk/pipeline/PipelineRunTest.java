package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PipelineRunTest {
  @Test
  void aRerunWithTheSameAsOfDateLeavesTheSameTableContentsAndNoDuplicates() throws Exception {
    SparkSession spark = TestSpark.get();
    TrainedDemo.Fixture f = TrainedDemo.get();
    PipelineRun.Result first = PipelineRun.run(spark, new PipelineRun.Input(f.conf(), TrainedDemo.AS_OF, false));
    // The fixture trained this config as of the same date: recent enough, so the run scores with it.
    assertFalse(first.trained(), first.trainReason());
    assertEquals(f.trained().runId(), first.modelRunId());
    PipelineRun.Result second = PipelineRun.run(spark, new PipelineRun.Input(f.conf(), TrainedDemo.AS_OF, false));
    assertEquals(List.of("loan_performance", "model_dataset", "scored_applications", "cutoff_curve",
        "validation_metrics"),
        List.copyOf(first.tables().keySet()));
    for (String table : first.tables().keySet()) {
      TableFingerprint.SliceRecord a = first.tables().get(table);
      TableFingerprint.SliceRecord b = second.tables().get(table);
      assertTrue(a.rows() > 0, table);
      assertEquals(a.rows(), b.rows(), table + " rows");
      assertEquals(a.checksum(), b.checksum(), table + " content");
      assertTrue(b.version() > a.version(), table + " was rewritten, not left alone");
      // The whole table, all dates and runs, holds this run's slice once: the rerun replaced it.
      long all = spark.read().format("delta").load(b.path()).where(b.where()).count();
      assertEquals(b.rows(), all, table);
    }
    // No feature source declared: no evaluate-sources stage, no source section, no feature_sources in metrics.json.
    assertEquals(List.of("build-dataset", "score", "calibrate", "validate"), second.stages().stream().map(PipelineRun.Stage::name)
        .toList());
    assertNull(second.sources());
    assertFalse(Files.readString(Path.of(second.validated().reportPath())).contains("sec-source"));
    assertFalse(new ObjectMapper().readTree(new File(second.runDir(), "metrics.json")).has("feature_sources"));
  }

  @Test
  void checksumIgnoresRowOrderButSeesADuplicatedOrChangedRow() {
    SparkSession spark = TestSpark.get();
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("x", DataTypes.DoubleType);
    Dataset<Row> a = spark.createDataFrame(List.of(RowFactory.create(1, 0.5), RowFactory.create(2, 1.5)), schema);
    Dataset<Row> reordered = spark.createDataFrame(List.of(RowFactory.create(2, 1.5), RowFactory.create(1, 0.5)), schema)
        .repartition(2);
    Dataset<Row> duplicated = a.union(a.limit(1));
    Dataset<Row> changed = spark.createDataFrame(List.of(RowFactory.create(1, 0.5), RowFactory.create(2, 1.25)), schema);
    assertEquals(TableFingerprint.of(a), TableFingerprint.of(reordered));
    assertNotEquals(TableFingerprint.of(a).checksum(), TableFingerprint.of(duplicated).checksum());
    assertNotEquals(TableFingerprint.of(a).checksum(), TableFingerprint.of(changed).checksum());
  }
}
