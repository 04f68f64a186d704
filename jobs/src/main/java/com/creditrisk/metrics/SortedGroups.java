package com.creditrisk.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows grouped by a distinct value and sorted across the cluster, with the running totals of some
 * count columns at the start of every partition: the exact, distributed alternative to collecting
 * a column or to percentile aggregates that buffer a whole column in one task.
 *
 * <p>The first pass sums the count columns per partition (one small array per partition reaches
 * the driver); a second pass, {@link #map}, hands each partition its rows together with the totals
 * of all partitions before it. The rows are cached between the passes; close to release them.
 */
public final class SortedGroups implements AutoCloseable {
  /** One partition's work in the second pass. */
  @FunctionalInterface
  public interface Pass<T> extends Serializable {
    /**
     * @param partition the partition's index
     * @param rows its sorted rows
     * @param before the count columns summed over every earlier partition, in the order given to {@link #of}
     */
    Iterator<T> apply(int partition, Iterator<Row> rows, long[] before) throws Exception;
  }

  private final JavaRDD<Row> rows;
  private final long[][] before;
  private final long[] totals;
  private final double[] range;

  private SortedGroups(JavaRDD<Row> rows, long[][] before, long[] totals, double[] range) {
    this.rows = rows;
    this.before = before;
    this.totals = totals;
    this.range = range;
  }

  /**
   * @param sorted rows already sorted (a global {@code sort}), one per distinct value
   * @param countCols indices of the long columns to total
   */
  public static SortedGroups of(Dataset<Row> sorted, int... countCols) {
    return withRange(sorted, -1, -1, countCols);
  }

  /**
   * As {@link #of(Dataset, int...)}, and the range of the data in the same pass: the lowest and
   * highest {@code keyCol} (a double column) among the rows whose {@code weightCol} (a long column)
   * is positive, null and NaN keys left out. Each partition is sorted, so it reports its first and
   * last such key.
   */
  public static SortedGroups withRange(Dataset<Row> sorted, int keyCol, int weightCol, int... countCols) {
    JavaRDD<Row> rows = sorted.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    int[] cols = countCols.clone();
    int w = cols.length + 1;
    // Per partition: its index, the count columns' sums, then (when a key is asked for) whether it
    // has a weighted key and the bits of its first and last.
    List<long[]> parts = new ArrayList<>(rows.mapPartitionsWithIndex((i, it) -> {
      long[] t = new long[cols.length + 4];
      t[0] = i;
      while (it.hasNext()) {
        Row r = it.next();
        for (int k = 0; k < cols.length; k++) {
          t[k + 1] += r.getLong(cols[k]);
        }
        if (keyCol >= 0 && !r.isNullAt(keyCol) && !Double.isNaN(r.getDouble(keyCol)) && r.getLong(weightCol) > 0) {
          long bits = Double.doubleToRawLongBits(r.getDouble(keyCol));
          if (t[w] == 0) {
            t[w] = 1;
            t[w + 1] = bits;
          }
          t[w + 2] = bits;
        }
      }
      return List.of(t).iterator();
    }, true).collect());
    parts.sort((a, b) -> Long.compare(a[0], b[0]));
    long[][] before = new long[rows.getNumPartitions()][cols.length];
    long[] running = new long[cols.length];
    double[] range = null;
    for (long[] t : parts) {
      before[(int) t[0]] = running.clone();
      for (int k = 0; k < cols.length; k++) {
        running[k] += t[k + 1];
      }
      if (t[w] == 1) {
        range = range == null ? new double[] {Double.longBitsToDouble(t[w + 1]), 0} : range;
        range[1] = Double.longBitsToDouble(t[w + 2]);
      }
    }
    return new SortedGroups(rows, before, running, range);
  }

  /**
   * The lowest and highest weighted key, {lo, hi}, when {@link #withRange} was
   * asked for them and there is one; else null.
   */
  public double[] range() {
    return range == null ? null : range.clone();
  }

  /** A count column's total over all rows, by its position in {@link #of}'s countCols. */
  public long total(int k) {
    return totals[k];
  }

  /** The second pass, lazily: each partition's output from its rows and the totals before it. */
  public <T> JavaRDD<T> map(Pass<T> pass) {
    long[][] b = before;
    return rows.mapPartitionsWithIndex((i, it) -> pass.apply(i, it, b[i]), true);
  }

  /** The second pass, collected in partition order; the pass must emit a bounded amount per partition. */
  public <T> List<T> collect(Pass<T> pass) {
    JavaRDD<Object[]> tagged = map((i, it, b) -> {
      List<Object[]> out = new ArrayList<>();
      Iterator<T> r = pass.apply(i, it, b);
      while (r.hasNext()) {
        out.add(new Object[] {i, r.next()});
      }
      return out.iterator();
    });
    List<Object[]> all = new ArrayList<>(tagged.collect());
    all.sort((x, y) -> Integer.compare((Integer) x[0], (Integer) y[0]));
    List<T> out = new ArrayList<>(all.size());
    for (Object[] o : all) {
      @SuppressWarnings("unchecked")
      T t = (T) o[1];
      out.add(t);
    }
    return out;
  }

  /**
   * Waits for the cached groups to be removed: a command often ends right after, and blocks still
   * being removed from disk when the JVM's shutdown stops the SparkContext print a
   * RejectedExecutionException per block (seen at 100M rows, whose groups spill to disk).
   */
  @Override
  public void close() {
    rows.unpersist(true);
  }
}
