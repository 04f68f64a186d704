package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The strategy curve: for every distinct score of a segment as a candidate cutoff, what approving
 * from it gives (DESIGN "Cutoffs": approve score >= c, or score <= c when higher means riskier).
 *
 * <p>Exact and independent of the number of candidates: rows are grouped by (key, score), the groups
 * are sorted across the cluster from the safest score down, and two passes give each partition's
 * per-key totals, then running sums that start from the totals of the partitions before it. One
 * small row per partition and key reaches the driver; the curve itself stays distributed.
 *
 * <p>Input columns: the key columns (non-null strings, e.g. segment), {@code score} (double; null
 * means the policy cannot approve the row: it counts in the segment's total only), {@code w_bad} and
 * {@code w_good} (the row's weight as a bad and as a good: 1/0 for an observed outcome, 0/0 for an
 * unknown one, fractions under reject inference), {@code profit} and {@code loss} (expected profit and
 * loss if approved), {@code hist_approved} (the historical policy approved it: candidates beyond the
 * most permissive historically approved score are extrapolated, no outcome was ever seen there).
 */
public final class CutoffCurve implements AutoCloseable {
  public static final String SCORE = "score";
  public static final String W_BAD = "w_bad";
  public static final String W_GOOD = "w_good";
  public static final String PROFIT = "profit";
  public static final String LOSS = "loss";
  public static final String HIST_APPROVED = "hist_approved";

  /** Columns of the curve after the key columns. */
  public static final List<String> CURVE_COLUMNS = List.of("cutoff", "n_total", "n_approved", "approval_rate",
      "n_labelled", "n_bad", "bad_rate", "bad_rate_upper", "expected_profit", "expected_loss", "extrapolated",
      "edge_score");

  private final JavaRDD<Row> sorted;
  private final Dataset<Row> table;

  private CutoffCurve(JavaRDD<Row> sorted, Dataset<Row> table) {
    this.sorted = sorted;
    this.table = table;
  }

  /** One row per key and candidate cutoff, columns: the keys, then {@link #CURVE_COLUMNS}. */
  public Dataset<Row> table() {
    return table;
  }

  /** Releases the cached sorted groups; the table must not be used afterwards. */
  @Override
  public void close() {
    sorted.unpersist(false);
  }

  /**
   * @param keys key columns, e.g. score_source, reject_inference, segment_set, segment
   * @param higherIsSafe true: approve score >= c; false: approve score <= c
   * @param confidence one-sided level of the Jeffreys upper bound (0.95 in DESIGN)
   */
  public static CutoffCurve compute(SparkSession spark, Dataset<Row> rows, List<String> keys, boolean higherIsSafe,
      double confidence) {
    List<Column> groupCols = new ArrayList<>();
    List<Column> order = new ArrayList<>();
    for (String k : keys) {
      groupCols.add(col(k));
      order.add(col(k).asc());
    }
    groupCols.add(col(SCORE).cast("double").as(SCORE));
    // Unscored rows first (they only add to the total), then the most selective cutoff first.
    order.add(higherIsSafe ? col(SCORE).desc_nulls_first() : col(SCORE).asc_nulls_first());
    Dataset<Row> groups = rows.groupBy(groupCols.toArray(new Column[0]))
        .agg(count(lit(1)).as("n"), sum(col(W_BAD)).as("wb"), sum(col(W_GOOD)).as("wg"),
            sum(col(PROFIT)).as("pr"), sum(col(LOSS)).as("ls"),
            max(when(col(HIST_APPROVED), 1).otherwise(0)).as("ha"))
        .sort(order.toArray(new Column[0]));
    int k = keys.size();
    JavaRDD<Row> sortedGroups = groups.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());

    List<PartTotals> parts = new ArrayList<>(sortedGroups.mapPartitionsWithIndex(
        (i, it) -> partitionTotals(i, it, k, higherIsSafe), true).collect());
    parts.sort((a, b) -> Integer.compare(a.index(), b.index()));
    // Running sums per key before each partition; totals and the historical edge per key.
    Map<Integer, Map<List<String>, double[]>> before = new HashMap<>();
    Map<List<String>, double[]> running = new HashMap<>();
    for (PartTotals p : parts) {
      Map<List<String>, double[]> mine = new HashMap<>();
      for (Map.Entry<List<String>, double[]> e : p.totals().entrySet()) {
        double[] r = running.computeIfAbsent(e.getKey(), x -> Acc.empty());
        mine.put(e.getKey(), r.clone());
        Acc.merge(r, e.getValue(), higherIsSafe);
      }
      before.put(p.index(), mine);
    }
    final Map<List<String>, double[]> totals = running;
    StructType schema = schema(groups.schema(), keys);
    JavaRDD<Row> curve = sortedGroups.mapPartitionsWithIndex((i, it) ->
        partitionCurve(it, k, before.getOrDefault(i, Map.of()), totals, higherIsSafe, confidence), true);
    return new CutoffCurve(sortedGroups, spark.createDataFrame(curve, schema));
  }

  private static StructType schema(StructType groups, List<String> keys) {
    List<StructField> f = new ArrayList<>();
    for (String key : keys) {
      f.add(DataTypes.createStructField(key, groups.apply(key).dataType(), false));
    }
    f.add(DataTypes.createStructField("cutoff", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("n_total", DataTypes.LongType, false));
    f.add(DataTypes.createStructField("n_approved", DataTypes.LongType, false));
    f.add(DataTypes.createStructField("approval_rate", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("n_labelled", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("n_bad", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("bad_rate", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("bad_rate_upper", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("expected_profit", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("expected_loss", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("extrapolated", DataTypes.BooleanType, false));
    f.add(DataTypes.createStructField("edge_score", DataTypes.DoubleType, true));
    return DataTypes.createStructType(f);
  }

  /** Sums of one key: scored rows, unscored rows, bads, goods, profit, loss, historical edge. */
  static final class Acc {
    static final int N = 0;
    static final int UNSCORED = 1;
    static final int BAD = 2;
    static final int GOOD = 3;
    static final int PROFIT = 4;
    static final int LOSS = 5;
    /** The most permissive historically approved score; NaN while none is seen. */
    static final int EDGE = 6;
    static final int SIZE = 7;

    private Acc() {}

    static double[] empty() {
      double[] a = new double[SIZE];
      a[EDGE] = Double.NaN;
      return a;
    }

    static void merge(double[] into, double[] from, boolean higherIsSafe) {
      for (int j = 0; j < EDGE; j++) {
        into[j] += from[j];
      }
      into[EDGE] = permissive(into[EDGE], from[EDGE], higherIsSafe);
    }

    static double permissive(double a, double b, boolean higherIsSafe) {
      if (Double.isNaN(a)) {
        return b;
      }
      if (Double.isNaN(b)) {
        return a;
      }
      return higherIsSafe ? Math.min(a, b) : Math.max(a, b);
    }
  }

  record PartTotals(int index, Map<List<String>, double[]> totals) implements Serializable {}

  private static List<String> key(Row r, int k) {
    List<String> key = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      key.add(r.getString(j));
    }
    return key;
  }

  private static Iterator<PartTotals> partitionTotals(int index, Iterator<Row> it, int k, boolean higherIsSafe) {
    Map<List<String>, double[]> totals = new LinkedHashMap<>();
    while (it.hasNext()) {
      Row r = it.next();
      double[] a = totals.computeIfAbsent(key(r, k), x -> Acc.empty());
      if (r.isNullAt(k)) {
        a[Acc.UNSCORED] += r.getLong(k + 1);
        continue;
      }
      double s = r.getDouble(k);
      a[Acc.N] += r.getLong(k + 1);
      a[Acc.BAD] += value(r, k + 2);
      a[Acc.GOOD] += value(r, k + 3);
      a[Acc.PROFIT] += value(r, k + 4);
      a[Acc.LOSS] += value(r, k + 5);
      if (r.getInt(k + 6) == 1) {
        a[Acc.EDGE] = Acc.permissive(a[Acc.EDGE], s, higherIsSafe);
      }
    }
    return List.of(new PartTotals(index, totals)).iterator();
  }

  private static double value(Row r, int i) {
    return r.isNullAt(i) ? 0.0 : ((Number) r.get(i)).doubleValue();
  }

  /** Emits the partition's curve rows lazily: a partition may hold many candidates. */
  private static Iterator<Row> partitionCurve(Iterator<Row> it, int k, Map<List<String>, double[]> before,
      Map<List<String>, double[]> totals, boolean higherIsSafe, double confidence) {
    Map<List<String>, double[]> run = new HashMap<>();
    return new Iterator<>() {
      private Row next = advance();

      private Row advance() {
        while (it.hasNext()) {
          Row r = it.next();
          if (!r.isNullAt(k)) {
            return curveRow(r);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Row r = next;
        next = advance();
        return r;
      }

      private Row curveRow(Row r) {
        List<String> key = key(r, k);
        double[] a = run.computeIfAbsent(key, x -> {
          double[] b = before.get(x);
          return b == null ? new double[Acc.SIZE] : b.clone();
        });
        a[Acc.N] += r.getLong(k + 1);
        a[Acc.BAD] += value(r, k + 2);
        a[Acc.GOOD] += value(r, k + 3);
        a[Acc.PROFIT] += value(r, k + 4);
        a[Acc.LOSS] += value(r, k + 5);
        double[] t = totals.get(key);
        long nTotal = Math.round(t[Acc.N] + t[Acc.UNSCORED]);
        double cutoff = r.getDouble(k);
        double labelled = a[Acc.BAD] + a[Acc.GOOD];
        double edge = t[Acc.EDGE];
        long approved = Math.round(a[Acc.N]);
        Object[] v = new Object[k + CURVE_COLUMNS.size()];
        for (int j = 0; j < k; j++) {
          v[j] = key.get(j);
        }
        v[k] = cutoff;
        v[k + 1] = nTotal;
        v[k + 2] = approved;
        v[k + 3] = nTotal == 0 ? 0.0 : (double) approved / nTotal;
        v[k + 4] = labelled;
        v[k + 5] = a[Acc.BAD];
        v[k + 6] = labelled > 0 ? a[Acc.BAD] / labelled : null;
        v[k + 7] = labelled > 0 ? Jeffreys.upperBound(a[Acc.BAD], labelled, confidence) : null;
        v[k + 8] = a[Acc.PROFIT];
        v[k + 9] = a[Acc.LOSS];
        v[k + 10] = Double.isNaN(edge) || (higherIsSafe ? cutoff < edge : cutoff > edge);
        v[k + 11] = Double.isNaN(edge) ? null : edge;
        return RowFactory.create(v);
      }
    };
  }
}
