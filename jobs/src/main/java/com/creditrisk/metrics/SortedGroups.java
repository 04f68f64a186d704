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

  private SortedGroups(JavaRDD<Row> rows, long[][] before, long[] totals) {
    this.rows = rows;
    this.before = before;
    this.totals = totals;
  }

  /**
   * @param sorted rows already sorted (a global {@code sort}), one per distinct value
   * @param countCols indices of the long columns to total
   */
  public static SortedGroups of(Dataset<Row> sorted, int... countCols) {
    JavaRDD<Row> rows = sorted.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    int[] cols = countCols.clone();
    List<long[]> parts = new ArrayList<>(rows.mapPartitionsWithIndex((i, it) -> {
      long[] t = new long[cols.length + 1];
      t[0] = i;
      while (it.hasNext()) {
        Row r = it.next();
        for (int k = 0; k < cols.length; k++) {
          t[k + 1] += r.getLong(cols[k]);
        }
      }
      return List.of(t).iterator();
    }, true).collect());
    parts.sort((a, b) -> Long.compare(a[0], b[0]));
    long[][] before = new long[rows.getNumPartitions()][cols.length];
    long[] running = new long[cols.length];
    for (long[] t : parts) {
      before[(int) t[0]] = running.clone();
      for (int k = 0; k < cols.length; k++) {
        running[k] += t[k + 1];
      }
    }
    return new SortedGroups(rows, before, running);
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

  @Override
  public void close() {
    rows.unpersist(false);
  }
}
