package com.creditrisk.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Exact discrimination statistics of a risk score against a 0/1 label (1 = bad), as DESIGN.md
 * defines them: AUC = P(bad ranked riskier than good) + 0.5 P(tie), Gini = 2 AUC - 1, KS = the
 * largest distance between the empirical score distributions of bads and goods.
 *
 * <p>No bins: rows are grouped by distinct score, the groups are sorted across the cluster, and
 * two passes over the sorted groups give each partition's totals and then the pair counts with the
 * totals of the partitions before it. Only one row per partition reaches the driver. Pair counts
 * are whole numbers (twice the tie-weighted count), so the AUC is exact up to one final division.
 */
public final class Discrimination {
  private Discrimination() {}

  /**
   * @param n rows with a score and a label
   * @param nBad rows labelled bad
   * @param auc exact AUC with ties as one half; NaN when either class is empty
   * @param gini 2 AUC - 1
   * @param ks max |F_bad - F_good|; NaN when either class is empty
   * @param ksScore the score at which KS peaks (the distributions are compared up to and including it)
   */
  public record Result(long n, long nBad, double auc, double gini, double ks, Double ksScore) {}

  /**
   * @param scored rows with {@code riskCol} (numeric, higher = riskier) and {@code labelCol}
   *     (numeric 0/1); rows where either is null are left out
   */
  public static Result compute(Dataset<Row> scored, String riskCol, String labelCol) {
    Dataset<Row> groups = scored
        .where(col(riskCol).isNotNull().and(col(labelCol).isNotNull()))
        .groupBy(col(riskCol).cast("double").as("s"))
        .agg(sum(when(col(labelCol).equalTo(1), 1L).otherwise(0L)).as("b"),
            sum(when(col(labelCol).equalTo(1), 0L).otherwise(1L)).as("g"))
        .sort(col("s"));
    JavaRDD<Row> sorted = groups.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<long[]> totals = new ArrayList<>(sorted.mapPartitionsWithIndex(Discrimination::partitionTotals, true)
          .collect());
      totals.sort((a, b) -> Long.compare(a[0], b[0]));
      int parts = sorted.getNumPartitions();
      long[] badsBefore = new long[parts];
      long[] goodsBefore = new long[parts];
      long bads = 0;
      long goods = 0;
      for (long[] t : totals) {
        badsBefore[(int) t[0]] = bads;
        goodsBefore[(int) t[0]] = goods;
        bads += t[1];
        goods += t[2];
      }
      final long totalBads = bads;
      final long totalGoods = goods;
      List<Piece> pieces = new ArrayList<>(sorted.mapPartitionsWithIndex((i, it) ->
          partitionPairs(i, it, badsBefore[i], goodsBefore[i], totalBads, totalGoods), true).collect());
      pieces.sort((a, b) -> Integer.compare(a.index(), b.index()));
      long twicePairs = 0;
      double ks = totalBads == 0 || totalGoods == 0 ? Double.NaN : -1;
      Double ksScore = null;
      for (Piece p : pieces) {
        twicePairs += p.twicePairs();
        // Strictly greater: of equal peaks, the lowest score is reported.
        if (p.seen() > 0 && p.ks() > ks) {
          ks = p.ks();
          ksScore = p.ksScore();
        }
      }
      double auc = totalBads == 0 || totalGoods == 0
          ? Double.NaN
          : twicePairs / (2.0 * totalBads * totalGoods);
      return new Result(totalBads + totalGoods, totalBads, auc, 2 * auc - 1, ks, ksScore);
    } finally {
      sorted.unpersist(false);
    }
  }

  private static Iterator<long[]> partitionTotals(int index, Iterator<Row> rows) {
    long b = 0;
    long g = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      b += r.getLong(1);
      g += r.getLong(2);
    }
    return List.of(new long[] {index, b, g}).iterator();
  }

  /**
   * One partition's share: twice the number of (bad, good) pairs the score orders right (ties
   * counting one), and the partition's best KS point.
   */
  private record Piece(int index, long twicePairs, double ks, double ksScore, long seen) implements Serializable {}

  private static Iterator<Piece> partitionPairs(int index, Iterator<Row> rows, long badsBefore, long goodsBefore,
      long totalBads, long totalGoods) {
    long twice = 0;
    long cumBads = badsBefore;
    long cumGoods = goodsBefore;
    double best = -1;
    double bestScore = Double.NaN;
    long seen = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      long b = r.getLong(1);
      long g = r.getLong(2);
      // Bads here outrank every good at a lower score, and tie with the goods at this score.
      twice += b * (2 * cumGoods + g);
      cumBads += b;
      cumGoods += g;
      seen++;
      if (totalBads > 0 && totalGoods > 0) {
        double d = Math.abs((double) cumBads / totalBads - (double) cumGoods / totalGoods);
        if (d > best) {
          best = d;
          bestScore = r.getDouble(0);
        }
      }
    }
    return List.of(new Piece(index, twice, best, bestScore, seen)).iterator();
  }
}
