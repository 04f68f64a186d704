package com.creditrisk.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The sorted engine's two plans to its groups, the aggregation before the shuffle and the runs of
 * equal scores counted after a range-partitioned sort, give the same rows: one per distinct score,
 * null first and NaN last, -0.0 counted with 0.0, every label class counted as Profile.of does.
 */
class SortedEngineGroupsTest {
  private final SparkSession spark = TestSpark.get();

  private static final StructType PREPARED = new StructType().add(ScoreColumns.SCORE, DataTypes.DoubleType)
      .add(ScoreColumns.LABEL, DataTypes.DoubleType);

  /** Ten rows worked by hand; the expected groups are (s, bads, goods, other, null label, rows, bad score, labelled). */
  private Dataset<Row> tenRows() {
    return spark.createDataFrame(List.of(RowFactory.create(null, 1.0), RowFactory.create(Double.NaN, 0.0),
        RowFactory.create(Double.NaN, null), RowFactory.create(-0.0, 1.0), RowFactory.create(0.0, 0.0),
        RowFactory.create(0.5, 1.0), RowFactory.create(0.5, 0.0), RowFactory.create(0.5, 7.0),
        RowFactory.create(0.25, null), RowFactory.create(0.5, Double.NaN)), PREPARED).repartition(3);
  }

  private static final List<String> EXPECTED = List.of("[null,1,0,0,0,1,1,1]", "[0.0,1,1,0,0,2,0,2]",
      "[0.25,0,0,0,1,1,0,0]", "[0.5,1,1,2,0,4,0,4]", "[NaN,0,1,0,1,2,1,1]");

  private List<String> groups(boolean aggregateFirst) {
    return SortedEngine.groups(SortedEngine.parsed(tenRows()), aggregateFirst).collectAsList().stream()
        .map(Row::toString).toList();
  }

  @Test
  void theAggregationFirstCountsEachDistinctScoreInOrder() {
    assertEquals(EXPECTED, groups(true));
  }

  @Test
  void theRangePartitionedRunsGiveTheSameGroupsAsTheAggregation() {
    assertEquals(EXPECTED, groups(false));
  }

  @Test
  void fewDistinctScoresAreAggregatedFirstAndOnePerRowAreNot() {
    // 4 distinct non-null scores among 10 rows: at most half.
    assertTrue(SortedEngine.aggregateFirst(SortedEngine.parsed(tenRows())));
    Dataset<Row> continuous = spark.range(0, 2000, 1, 3).selectExpr("cast(id as double) / 7 as " + ScoreColumns.SCORE,
        "cast(id % 2 as double) as " + ScoreColumns.LABEL);
    assertFalse(SortedEngine.aggregateFirst(SortedEngine.parsed(continuous)));
  }
}
