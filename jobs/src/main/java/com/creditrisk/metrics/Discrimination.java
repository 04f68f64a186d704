package com.creditrisk.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exact discrimination statistics of a risk score against a 0/1 label (1 = bad), as DESIGN.md
 * defines them: AUC = P(bad ranked riskier than good) + 0.5 P(tie), its DeLong standard error and
 * 95% interval, Gini = 2 AUC - 1, KS = the largest distance between the empirical score
 * distributions of bads and goods; and the paired DeLong test of two scores on the same rows.
 *
 * <p>No bins: rows are grouped by distinct score and the groups sorted across the cluster
 * ({@link SortedGroups}); a pass over the sorted groups with the totals of the partitions before
 * each one gives the pair counts. Only a few values per partition reach the driver. Pair counts are
 * whole numbers (twice the tie-weighted count), and so are the DeLong sums of squares (kept as
 * BigInteger), so the AUC and its variance are exact up to one final division each.
 *
 * <p>DeLong placement values: a bad at score s has V10 = (goods below s + goods at s / 2) / n, a
 * good has V01 = (bads above s + bads at s / 2) / m. They are equal within a distinct-score group,
 * so twice the placement times the other class's total is an integer read off the same running
 * totals: x = 2 goodsBefore + g for the bads of a group, y = 2 (m - badsBefore) - b for its goods.
 */
public final class Discrimination {
  /** Phi^-1(0.975), the 95% two-sided normal quantile. */
  public static final double Z975 = new NormalDistribution().inverseCumulativeProbability(0.975);

  private Discrimination() {}

  /**
   * @param n rows with a score and a label
   * @param nBad rows labelled bad
   * @param auc exact AUC with ties as one half; NaN when either class is empty
   * @param gini 2 AUC - 1
   * @param ks max |F_bad - F_good|; NaN when either class is empty
   * @param ksScore the score at which KS peaks (the distributions are compared up to and including it)
   * @param aucSe DeLong standard error; NaN with fewer than two rows in a class
   * @param aucCi95 AUC -/+ Phi^-1(0.975) SE, clipped to [0, 1]; NaNs when the SE is NaN
   * @param curve at most about {@code curvePoints} points of the ROC and KS curves, for charts only
   */
  public record Result(long n, long nBad, double auc, double gini, double ks, Double ksScore, double aucSe,
      Interval aucCi95, List<CurvePoint> curve) {
    /** Without the DeLong error or a curve. */
    public Result(long n, long nBad, double auc, double gini, double ks, Double ksScore) {
      this(n, nBad, auc, gini, ks, ksScore, Double.NaN, Interval.NONE, List.of());
    }
  }

  /** A confidence interval [lo, hi]; NaN bounds when there is none. */
  public record Interval(double lo, double hi) implements Serializable {
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);
  }

  /**
   * One point of the curves, after all rows with a risk score up to {@code score}: the cumulative
   * shares of bads and goods (the KS curve), so the ROC point is (1 - goodShare, 1 - badShare).
   */
  public record CurvePoint(double score, double badShare, double goodShare) implements Serializable {}

  /** The paired DeLong test of two risk scores on the same rows: AUC of a minus AUC of b. */
  public record Paired(long n, long nBad, double aucA, double aucB, double difference, double se, double z,
      double pValue) {}

  /**
   * @param scored rows with {@code riskCol} (numeric, higher = riskier) and {@code labelCol}
   *     (numeric 0/1); rows where either is null are left out
   */
  public static Result compute(Dataset<Row> scored, String riskCol, String labelCol) {
    return compute(scored, riskCol, labelCol, 0);
  }

  /** As {@link #compute(Dataset, String, String)}, plus about {@code curvePoints} curve points (0 for none). */
  public static Result compute(Dataset<Row> scored, String riskCol, String labelCol, int curvePoints) {
    try (SortedGroups groups = SortedGroups.of(groups(scored, col(riskCol), col(labelCol)), 1, 2)) {
      long totalBads = groups.total(0);
      long totalGoods = groups.total(1);
      List<Piece> pieces = groups.collect((i, it, before) ->
          List.of(piece(it, before[0], before[1], totalBads, totalGoods, curvePoints)).iterator());
      return combine(pieces, totalBads, totalGoods);
    }
  }

  /**
   * The same statistics from the distinct risk values already counted on the driver (the
   * validation pack's one-pass summary): one piece over all groups instead of one per partition.
   *
   * @param risk distinct risk values, ascending (higher = riskier)
   * @param bads bads per value
   * @param goods goods per value
   */
  public static Result fromGroups(double[] risk, long[] bads, long[] goods, int curvePoints) {
    long totalBads = 0;
    long totalGoods = 0;
    for (int i = 0; i < risk.length; i++) {
      totalBads += bads[i];
      totalGoods += goods[i];
    }
    // The arrays read in place: a Row per group would be millions of objects.
    Cursor groups = new Cursor() {
      private int i = -1;

      @Override
      public boolean next() {
        return ++i < risk.length;
      }

      @Override
      public double risk() {
        return risk[i];
      }

      @Override
      public long bads() {
        return bads[i];
      }

      @Override
      public long goods() {
        return goods[i];
      }
    };
    return combine(List.of(piece(groups, 0, 0, totalBads, totalGoods, curvePoints)), totalBads, totalGoods);
  }

  /**
   * The statistics from the pieces of consecutive runs of the groups, in ascending risk order (so
   * of equal KS peaks the lowest risk is reported, as in one piece).
   */
  public static Result combine(List<Piece> pieces, long totalBads, long totalGoods) {
    long twicePairs = 0;
    BigInteger badSquares = BigInteger.ZERO;
    BigInteger goodSquares = BigInteger.ZERO;
    double ks = totalBads == 0 || totalGoods == 0 ? Double.NaN : -1;
    Double ksScore = null;
    List<CurvePoint> curve = new ArrayList<>();
    for (Piece p : pieces) {
      twicePairs += p.twicePairs();
      badSquares = badSquares.add(p.badSquares());
      goodSquares = goodSquares.add(p.goodSquares());
      curve.addAll(p.curve());
      // Strictly greater: of equal peaks, the lowest score is reported.
      if (p.seen() > 0 && p.ks() > ks) {
        ks = p.ks();
        ksScore = p.ksScore();
      }
    }
    if (totalBads == 0 || totalGoods == 0) {
      return new Result(totalBads + totalGoods, totalBads, Double.NaN, Double.NaN, ks, ksScore, Double.NaN,
          Interval.NONE, List.copyOf(curve));
    }
    double auc = twicePairs / (2.0 * totalBads * totalGoods);
    double se = Math.sqrt(deLongVariance(totalBads, totalGoods, twicePairs, badSquares, goodSquares));
    Interval ci = Double.isNaN(se)
        ? Interval.NONE
        : new Interval(Math.max(0, auc - Z975 * se), Math.min(1, auc + Z975 * se));
    return new Result(totalBads + totalGoods, totalBads, auc, 2 * auc - 1, ks, ksScore, se, ci, List.copyOf(curve));
  }

  /**
   * The paired DeLong test (DeLong, DeLong and Clarke-Pearson 1988) of two risk scores on the same
   * rows. Each row needs both models' placement values: they are computed per distinct score of
   * each model and joined back onto the rows by score value, so nothing is collected.
   *
   * @param scored rows with both risk columns (higher = riskier) and the 0/1 label; a row with any
   *     of the three null is left out
   */
  public static Paired paired(Dataset<Row> scored, String riskA, String riskB, String labelCol) {
    Dataset<Row> rows = scored
        .where(col(riskA).isNotNull().and(col(riskB).isNotNull()).and(col(labelCol).isNotNull()))
        .select(col(riskA).cast("double").as("a"), col(riskB).cast("double").as("b"),
            col(labelCol).equalTo(1).as("bad"));
    SparkSession spark = scored.sparkSession();
    try (SortedGroups ga = SortedGroups.of(groups(rows, col("a"), col("bad").cast("int")), 1, 2);
        SortedGroups gb = SortedGroups.of(groups(rows, col("b"), col("bad").cast("int")), 1, 2)) {
      long m = ga.total(0);
      long n = ga.total(1);
      Dataset<Row> pa = placements(spark, ga, m);
      Dataset<Row> pb = placements(spark, gb, m);
      // Products of two placements reach (2 m n)^2: exact in decimal(38, 0) for any table Spark can hold.
      Column bad = col("bad");
      Column good = functions.not(bad);
      Row s = rows
          .join(pa.withColumnRenamed("s", "a").withColumnRenamed("x", "x_a").withColumnRenamed("y", "y_a"), "a")
          .join(pb.withColumnRenamed("s", "b").withColumnRenamed("x", "x_b").withColumnRenamed("y", "y_b"), "b")
          .agg(sum(when(bad, product("x_a", "x_a"))), sum(when(bad, product("x_b", "x_b"))),
              sum(when(bad, product("x_a", "x_b"))), sum(when(good, product("y_a", "y_a"))),
              sum(when(good, product("y_b", "y_b"))), sum(when(good, product("y_a", "y_b"))),
              sum(when(bad, col("x_a"))), sum(when(bad, col("x_b"))))
          .first();
      BigInteger[] v = new BigInteger[6];
      for (int k = 0; k < 6; k++) {
        v[k] = s.isNullAt(k) ? BigInteger.ZERO : s.getDecimal(k).toBigIntegerExact();
      }
      return paired(m, n, v, s.isNullAt(6) ? 0 : s.getLong(6), s.isNullAt(7) ? 0 : s.getLong(7));
    }
  }

  /**
   * The paired test from groups of rows sharing both risk values, already counted on the driver
   * (the validation pack's one-pass summary). Each model's placements come from its own distinct
   * values, totalled over the groups.
   *
   * @param a model a's risk per group (higher = riskier)
   * @param b model b's risk per group
   * @param bads bads per group
   * @param goods goods per group
   */
  public static Paired pairedFromGroups(double[] a, double[] b, long[] bads, long[] goods) {
    long m = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      m += bads[i];
      n += goods[i];
    }
    long[][] pa = placements(a, bads, goods, m);
    long[][] pb = placements(b, bads, goods, m);
    BigInteger[] v = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
        BigInteger.ZERO};
    long ta = 0;
    long tb = 0;
    for (int i = 0; i < a.length; i++) {
      BigInteger xa = BigInteger.valueOf(pa[0][i]);
      BigInteger xb = BigInteger.valueOf(pb[0][i]);
      BigInteger ya = BigInteger.valueOf(pa[1][i]);
      BigInteger yb = BigInteger.valueOf(pb[1][i]);
      BigInteger bad = BigInteger.valueOf(bads[i]);
      BigInteger good = BigInteger.valueOf(goods[i]);
      v[0] = v[0].add(xa.multiply(xa).multiply(bad));
      v[1] = v[1].add(xb.multiply(xb).multiply(bad));
      v[2] = v[2].add(xa.multiply(xb).multiply(bad));
      v[3] = v[3].add(ya.multiply(ya).multiply(good));
      v[4] = v[4].add(yb.multiply(yb).multiply(good));
      v[5] = v[5].add(ya.multiply(yb).multiply(good));
      ta += bads[i] * pa[0][i];
      tb += bads[i] * pb[0][i];
    }
    return paired(m, n, v, ta, tb);
  }

  /**
   * Per group, x = 2 n V10 and y = 2 m V01 of its value of {@code risk}: the groups are ordered by
   * that value and the running totals of goods and bads read at each distinct value.
   */
  private static long[][] placements(double[] risk, long[] bads, long[] goods, long totalBads) {
    Integer[] order = new Integer[risk.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (i, j) -> Double.compare(risk[i], risk[j]));
    long[][] out = new long[2][risk.length];
    long cumBads = 0;
    long cumGoods = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      long b = 0;
      long g = 0;
      while (end < order.length && Double.compare(risk[order[end]], risk[order[start]]) == 0) {
        b += bads[order[end]];
        g += goods[order[end]];
        end++;
      }
      for (int k = start; k < end; k++) {
        out[0][order[k]] = 2 * cumGoods + g;
        out[1][order[k]] = 2 * (totalBads - cumBads) - b;
      }
      cumBads += b;
      cumGoods += g;
      start = end;
    }
    return out;
  }

  /** The test from the exact sums: v = sums of xa^2, xb^2, xa xb over bads and ya^2, yb^2, ya yb over goods. */
  private static Paired paired(long m, long n, BigInteger[] v, long ta, long tb) {
    if (m == 0 || n == 0) {
      return new Paired(m + n, m, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double aucA = ta / (2.0 * m * n);
    double aucB = tb / (2.0 * m * n);
    double varA = deLongVariance(m, n, ta, v[0], v[3]);
    double varB = deLongVariance(m, n, tb, v[1], v[4]);
    double cov = deLongCovariance(m, n, ta, tb, v[2], v[5]);
    double se = Math.sqrt(Math.max(0, varA + varB - 2 * cov));
    double diff = aucA - aucB;
    double z = diff / se;
    double p = 2 * new NormalDistribution().cumulativeProbability(-Math.abs(z));
    return new Paired(m + n, m, aucA, aucB, diff, se, z, p);
  }

  private static Column product(String a, String b) {
    return col(a).cast("decimal(20,0)").multiply(col(b).cast("decimal(20,0)"));
  }

  /** Rows grouped by distinct risk value s (double), with their bads b and goods g, sorted by s. */
  static Dataset<Row> groups(Dataset<Row> scored, Column risk, Column label) {
    return scored
        .where(risk.isNotNull().and(label.isNotNull()))
        .groupBy(risk.cast("double").as("s"))
        .agg(sum(when(label.equalTo(1), 1L).otherwise(0L)).as("b"),
            sum(when(label.equalTo(1), 0L).otherwise(1L)).as("g"))
        .sort(col("s"));
  }

  /** Per distinct score: s, x = 2 n V10 (its bads' placement) and y = 2 m V01 (its goods'). */
  private static Dataset<Row> placements(SparkSession spark, SortedGroups groups, long totalBads) {
    JavaRDD<Row> rows = groups.map((i, it, before) -> {
      List<Row> out = new ArrayList<>();
      long cumBads = before[0];
      long cumGoods = before[1];
      while (it.hasNext()) {
        Row r = it.next();
        long b = r.getLong(1);
        long g = r.getLong(2);
        out.add(RowFactory.create(r.getDouble(0), 2 * cumGoods + g, 2 * (totalBads - cumBads) - b));
        cumBads += b;
        cumGoods += g;
      }
      return out.iterator();
    });
    StructType schema = new StructType().add("s", DataTypes.DoubleType).add("x", DataTypes.LongType)
        .add("y", DataTypes.LongType);
    return spark.createDataFrame(rows, schema);
  }

  /**
   * S10 / m + S01 / n from exact sums: with T = twice the pair count (the sum of x over bads and of
   * y over goods), (m - 1) S10 = (m sum x^2 - T^2) / (4 n^2 m), and (n - 1) S01 likewise.
   */
  static double deLongVariance(long m, long n, long twicePairs, BigInteger sumX2, BigInteger sumY2) {
    if (m < 2 || n < 2) {
      return Double.NaN;
    }
    BigInteger t2 = BigInteger.valueOf(twicePairs).pow(2);
    double s10 = ratio(BigInteger.valueOf(m).multiply(sumX2).subtract(t2), 4.0 * n * n * m * (m - 1));
    double s01 = ratio(BigInteger.valueOf(n).multiply(sumY2).subtract(t2), 4.0 * m * m * n * (n - 1));
    return s10 / m + s01 / n;
  }

  /** The covariance term of the paired test: S10(a, b) / m + S01(a, b) / n, from exact cross sums. */
  static double deLongCovariance(long m, long n, long ta, long tb, BigInteger sumXaXb, BigInteger sumYaYb) {
    if (m < 2 || n < 2) {
      return Double.NaN;
    }
    BigInteger tt = BigInteger.valueOf(ta).multiply(BigInteger.valueOf(tb));
    double s10 = ratio(BigInteger.valueOf(m).multiply(sumXaXb).subtract(tt), 4.0 * n * n * m * (m - 1));
    double s01 = ratio(BigInteger.valueOf(n).multiply(sumYaYb).subtract(tt), 4.0 * m * m * n * (n - 1));
    return s10 / m + s01 / n;
  }

  private static double ratio(BigInteger numerator, double denominator) {
    return new java.math.BigDecimal(numerator).divide(new java.math.BigDecimal(denominator),
        java.math.MathContext.DECIMAL128).doubleValue();
  }

  /**
   * One partition's share: twice the number of (bad, good) pairs the score orders right (ties
   * counting one), the sums of squared doubled placements, its best KS point and its curve points.
   */
  public record Piece(long twicePairs, BigInteger badSquares, BigInteger goodSquares, double ks, double ksScore,
      long seen, List<CurvePoint> curve) implements Serializable {}

  /**
   * One run of consecutive groups' piece: exact sums, so pieces of any cut of the groups add up to
   * the same figures.
   *
   * @param rows (risk double, bads long, goods long), ascending risk
   * @param badsBefore bads of every group before the run, in risk order
   * @param goodsBefore goods of every group before the run
   */
  public static Piece piece(java.util.Iterator<Row> rows, long badsBefore, long goodsBefore,
      long totalBads, long totalGoods, int curvePoints) {
    Cursor groups = new Cursor() {
      private Row r;

      @Override
      public boolean next() {
        r = rows.hasNext() ? rows.next() : null;
        return r != null;
      }

      @Override
      public double risk() {
        return r.getDouble(0);
      }

      @Override
      public long bads() {
        return r.getLong(1);
      }

      @Override
      public long goods() {
        return r.getLong(2);
      }
    };
    return piece(groups, badsBefore, goodsBefore, totalBads, totalGoods, curvePoints);
  }

  /** Groups in ascending risk order, read one at a time. */
  private interface Cursor {
    boolean next();

    double risk();

    long bads();

    long goods();
  }

  /**
   * An exact sum of x * x * c over non-negative x and c: in 128 bits of two longs while the terms
   * fit, as a BigInteger per term otherwise; the same sum as BigInteger arithmetic throughout,
   * without allocating per group.
   */
  private static final class SquareSum {
    private static final long SQUARE_FITS = 3_037_000_499L;
    private long hi;
    private long lo;
    private BigInteger big = BigInteger.ZERO;

    void add(long x, long c) {
      if (x < 0 || x > SQUARE_FITS || c < 0) {
        big = big.add(BigInteger.valueOf(x).pow(2).multiply(BigInteger.valueOf(c)));
        return;
      }
      long sq = x * x;
      long sum = lo + sq * c;
      hi += Math.multiplyHigh(sq, c) + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
      lo = sum;
      if (hi > 1L << 60) {
        flush();
      }
    }

    BigInteger value() {
      flush();
      return big;
    }

    private void flush() {
      BigInteger low = BigInteger.valueOf(lo >>> 1).shiftLeft(1).or(BigInteger.valueOf(lo & 1));
      big = big.add(BigInteger.valueOf(hi).shiftLeft(64).add(low));
      hi = 0;
      lo = 0;
    }
  }

  private static Piece piece(Cursor rows, long badsBefore, long goodsBefore, long totalBads, long totalGoods,
      int curvePoints) {
    long twice = 0;
    SquareSum badSquares = new SquareSum();
    SquareSum goodSquares = new SquareSum();
    long cumBads = badsBefore;
    long cumGoods = goodsBefore;
    long total = totalBads + totalGoods;
    double best = -1;
    double bestScore = Double.NaN;
    long seen = 0;
    List<CurvePoint> curve = new ArrayList<>();
    while (rows.next()) {
      long b = rows.bads();
      long g = rows.goods();
      // Bads here outrank every good at a lower score, and tie with the goods at this score.
      long x = 2 * cumGoods + g;
      long y = 2 * (totalBads - cumBads) - b;
      twice += b * x;
      badSquares.add(x, b);
      goodSquares.add(y, g);
      long rowsBefore = cumBads + cumGoods;
      cumBads += b;
      cumGoods += g;
      seen++;
      if (totalBads > 0 && totalGoods > 0) {
        double fb = (double) cumBads / totalBads;
        double fg = (double) cumGoods / totalGoods;
        double d = Math.abs(fb - fg);
        if (d > best) {
          best = d;
          bestScore = rows.risk();
        }
        // A point each time the rows seen cross another 1/curvePoints of all rows: bounded, whatever the data.
        if (curvePoints > 0 && (rowsBefore == 0 || cumBads + cumGoods == total
            || rowsBefore * curvePoints / total != (cumBads + cumGoods) * curvePoints / total)) {
          curve.add(new CurvePoint(rows.risk(), fb, fg));
        }
      }
    }
    return new Piece(twice, badSquares.value(), goodSquares.value(), best, bestScore, seen, List.copyOf(curve));
  }
}
