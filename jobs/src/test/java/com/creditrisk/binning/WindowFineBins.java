package com.creditrisk.binning;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The fine-bin query before the one-shuffle plan (a partial aggregation by distinct value, then a
 * window sorted by feature and value), kept as the reference {@link FineBins#table} must agree
 * with row for row: the same rule written a second, independent way.
 */
final class WindowFineBins {
  private static final String MISSING = FineBins.MISSING;
  private static final String SPECIAL = FineBins.SPECIAL;
  private static final String RANGE = FineBins.RANGE;
  private static final String LEVEL = FineBins.LEVEL;

  private WindowFineBins() {}

  /**
   * The fine-bin table: feature, kind (missing | special | range | level), fine (range index),
   * special, level, count and bads of labelled rows, min and max value, unlabeled rows (null
   * label) and invalid labels (neither 0 nor 1). Its size is bounded by features x (maxBins +
   * special values + 1) plus the categories, never by rows.
   */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues) {
    // 1. Stack the features: one (feature, num, str) struct per feature and row.
    List<Column> cells = new ArrayList<>();
    for (String f : features) {
      Column c = col(FineBins.quote(f));
      boolean cat = categorical.contains(f);
      cells.add(struct(lit(f).as("feature"),
          (cat ? lit(null).cast(DataTypes.DoubleType) : c.cast(DataTypes.DoubleType)).as("num"),
          (cat ? c.cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType)).as("str"),
          lit(cat).as("cat")));
    }
    Column y = col(FineBins.quote(label)).cast(DataTypes.DoubleType);
    Dataset<Row> stacked = df.select(explode(array(cells.toArray(new Column[0]))).as("s"), y.as("y"))
        .select(col("s.feature").as("feature"), col("s.num").as("num"), col("s.str").as("str"),
            col("s.cat").as("cat"), col("y"));

    // 2. Count and bads per distinct value.
    Dataset<Row> distinct = stacked.groupBy("feature", "cat", "num", "str").agg(
        count("y").as("n"),
        sum(when(col("y").equalTo(1.0), 1L).otherwise(0L)).as("bads"),
        sum(when(col("y").isNull(), 1L).otherwise(0L)).as("unlabeled"),
        sum(when(col("y").isNotNull().and(col("y").notEqual(0.0)).and(col("y").notEqual(1.0)), 1L)
            .otherwise(0L)).as("invalid"));

    Column missing = col("cat").equalTo(false).and(col("num").isNull().or(isnan(col("num"))))
        .or(col("cat").equalTo(true).and(col("str").isNull()));
    Column special = specialValues.length == 0 ? lit(false)
        : col("cat").equalTo(false).and(col("num").isin(Arrays.stream(specialValues).boxed().toArray()));
    Dataset<Row> kinds = distinct.withColumn("kind",
        when(missing, MISSING).when(special, SPECIAL).when(col("cat"), LEVEL).otherwise(RANGE));

    // 3. Exact quantile cuts (DESIGN: x_(ceil(k n / G)), k = 1..G-1). With C the cumulative count
    // up to a distinct value and P the count before it, min(G-1, floor(m G / n)) of the positions
    // ceil(k n / G) are <= m, so the value holds a cut position iff that number grows from P to C.
    // A value's fine bin is the number of cut values below it (bins are right-closed).
    WindowSpec byValue = Window.partitionBy("feature", "kind").orderBy("num");
    long g = maxBins;
    Column n = sum("n").over(Window.partitionBy("feature", "kind"));
    Column cum = sum("n").over(byValue.rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    Dataset<Row> ranked = kinds.withColumn("total", n).withColumn("cum", cum)
        .withColumn("k_upto", positions("cum", g))
        .withColumn("k_before", positions("cum - n", g))
        .withColumn("is_cut", when(col("k_upto").gt(col("k_before")), 1L).otherwise(0L))
        .withColumn("fine", when(col("kind").equalTo(RANGE), coalesce(
            sum("is_cut").over(byValue.rowsBetween(Window.unboundedPreceding(), -1)), lit(0L))));

    // 4. Sum per fine bin, special value, category and missing.
    Column labelled = col("n").gt(0);
    return ranked.groupBy(col("feature"), col("kind"), col("fine"),
            when(col("kind").equalTo(SPECIAL), col("num")).as("special"), col("str").as("level"))
        .agg(sum("n").as("count"), sum("bads").as("bads"),
            min(when(labelled, col("num"))).as("min"), max(when(labelled, col("num"))).as("max"),
            sum("unlabeled").as("unlabeled"), sum("invalid").as("invalid"))
        .withColumn("distinct", lit(null).cast(DataTypes.LongType));
  }

  /** min(G - 1, floor(m G / n)): how many quantile positions ceil(k n / G) are at most m. */
  private static Column positions(String m, long g) {
    // Integer division (div), so the positions are exact at any size.
    return expr("CASE WHEN total = 0 THEN 0L ELSE least(" + (g - 1) + "L, ((" + m + ") * " + g + "L) div total) END");
  }

}
