package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The report's strategy curve is thinned by rank where it lies. Cutoffs 500, 510, ... shuffled over
 * three partitions; with 10 rows and 4 points, step = ceil(10 / 4) = 3, so ranks 1, 4, 7 and 10
 * (the last) are kept: cutoffs 500, 530, 560, 590. With 11 rows the last rank, 11, is not on the
 * step (1, 4, 7, 10) and is added: 500, 530, 560, 590, 600.
 */
class StrategyThinningTest {
  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("cutoff", DataTypes.DoubleType, false),
      DataTypes.createStructField("n_approved", DataTypes.LongType, false),
      DataTypes.createStructField("one", DataTypes.LongType, false)));

  private final SparkSession spark = TestSpark.get();

  private Dataset<Row> curve(int rows) {
    List<Row> out = new ArrayList<>();
    for (int k = 0; k < rows; k++) {
      out.add(RowFactory.create(500.0 + 10 * k, (long) (rows - k), 1L));
    }
    Collections.shuffle(out, new Random(11));
    return spark.createDataFrame(out, SCHEMA).repartition(3);
  }

  private static List<Double> cutoffs(List<Row> rows) {
    return rows.stream().map(r -> r.getDouble(0)).toList();
  }

  @Test
  void keepsEveryStepthRankFromTheFirstAndTheLast() {
    assertEquals(List.of(500.0, 530.0, 560.0, 590.0), cutoffs(ValidationSections.thin(curve(10), 4)));
    assertEquals(List.of(500.0, 530.0, 560.0, 590.0, 600.0), cutoffs(ValidationSections.thin(curve(11), 4)));
  }

  @Test
  void keepsEveryRowInOrderWhenThePointsAreEnough() {
    List<Row> kept = ValidationSections.thin(curve(5), 200);
    assertEquals(List.of(500.0, 510.0, 520.0, 530.0, 540.0), cutoffs(kept));
    assertEquals(List.of(5L, 4L, 3L, 2L, 1L), kept.stream().map(r -> r.getLong(1)).toList());
  }

  @Test
  void anEmptyCurveKeepsNothing() {
    assertEquals(List.of(), ValidationSections.thin(curve(0), 4));
  }
}
