package com.creditrisk.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.errors.Errors;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The performance a model expects on rows whose labels are not known yet, from its calibrated PDs
 * alone (confidence-based performance estimation, as NannyML calls it): if each row i were bad
 * with probability p_i, independently, what bad rate and AUC would the labels show?
 *
 * <p><b>Expected bad rate</b> = mean PD. Its standard error under those Bernoulli labels is
 * sqrt(sum p (1 - p)) / N.
 *
 * <p><b>Expected AUC</b> = E[pairs ordered right] / E[bad-good pairs]: over ordered pairs of distinct
 * rows (i, j), the win of i over j (1 when p_i > p_j, 1/2 on a tie, else 0) weighted by the
 * probability p_i (1 - p_j) that i is the bad and j the good of the pair, divided by sum over i != j
 * of p_i (1 - p_j). A row is never paired with itself. Over the distinct PD values v (ascending)
 * with n_v rows each, and q = 1 - p:
 * <pre>
 *   numerator   = sum_v n_v p_v G_v + 1/2 sum_v n_v (n_v - 1) p_v q_v,   G_v = sum_{u < v} n_u q_u
 *   denominator = (sum_v n_v p_v)(sum_v n_v q_v) - sum_v n_v p_v q_v
 * </pre>
 * (the second term of the numerator: the pairs of two different rows at the same PD, each a tie).
 * One aggregation on Spark (rows per distinct PD), then one sorted sweep on the driver, O(distinct
 * PDs), in 34-digit decimal arithmetic: the only rounding that shows is the final division.
 *
 * <p><b>Its standard error</b> is that of the AUC the labels would realise, around the estimate,
 * when the PDs are right: the delta method on the ratio. With y_i ~ Bernoulli(p_i) independent, R
 * the expected AUC and c_ij = win(i, j) - R, the realised AUC minus R is Z / (m n) with
 * Z = sum_{i != j} y_i (1 - y_j) c_ij; the approximation is m n ~ E[m n] (the denominator above),
 * so SE = sqrt(Var Z) / denominator, and Var Z itself is exact: with e_i = y_i - p_i,
 * Z - E Z = sum_k e_k h_k - sum_{i < j} e_i e_j (1 - 2R), where h_k = sum_{j != k} q_j c_kj -
 * sum_{i != k} p_i c_ik (constant within a PD value, read off the same sweep), and the two sums are
 * uncorrelated, so Var Z = sum_k p_k q_k h_k^2 + (1 - 2R)^2 ((sum p q)^2 - sum (p q)^2) / 2. The
 * delta method leaves an error of order 1/N relative to the SE, and it ignores the draws with no
 * bad or no good, where the realised AUC is undefined: negligible at monitoring sizes. It measures
 * the labels' randomness only: a model whose PDs are miscalibrated misses by more, which is what a
 * back-test ({@link EstimateBackTest}) shows.
 *
 * <p>When some rows have labels, the same rows' realised bad rate and AUC ({@link Discrimination},
 * from the same counts) are returned beside the estimate for exactly those rows, so the two can be
 * compared like for like.
 */
public final class ExpectedPerformance {
  private static final MathContext MC = MathContext.DECIMAL128;
  private static final BigDecimal HALF = new BigDecimal("0.5");

  private ExpectedPerformance() {}

  /**
   * What to estimate on.
   *
   * @param table the rows' table, named in errors
   * @param pdCol calibrated PD column, in [0, 1]; rows with a null PD are left out
   * @param labelCol 0/1 label (1 = bad) where known, null elsewhere; or null when no row has one
   * @param maxGroups the most distinct PDs brought to the driver, >= 1
   * @param maxGroupsSetting the setting that raises maxGroups, named in the error when it is exceeded
   */
  public record Input(String table, String pdCol, String labelCol, int maxGroups, String maxGroupsSetting) {
    public Input {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(pdCol, "pdCol");
      Objects.requireNonNull(maxGroupsSetting, "maxGroupsSetting");
      if (maxGroups < 1) {
        throw new IllegalArgumentException("Invalid maxGroups: " + maxGroups + " (must be >= 1)");
      }
    }
  }

  /**
   * The performance expected from PDs.
   *
   * @param n rows
   * @param badRate mean PD; NaN without rows
   * @param badRateSe sqrt(sum p (1 - p)) / n
   * @param auc expected AUC; NaN when no pair of rows can be a bad and a good (fewer than two rows,
   *     or every PD 0, or every PD 1)
   * @param aucSe standard error of the realised AUC around it under Bernoulli(p) labels; NaN with the AUC
   */
  public record Estimate(long n, double badRate, double badRateSe, double auc, double aucSe) {}

  /**
   * @param distinctPds distinct PD values of all rows
   * @param all the estimate over every row with a PD
   * @param labelled the estimate over the rows with a label only (n = 0 when none has one)
   * @param realised those rows' realised statistics (n = 0, NaNs when none has a label)
   */
  public record Result(int distinctPds, Estimate all, Estimate labelled, Discrimination.Result realised) {
    /** The realised bad rate of the labelled rows; NaN when none has a label. */
    public double realisedBadRate() {
      return realised.n() == 0 ? Double.NaN : (double) realised.nBad() / realised.n();
    }
  }

  /**
   * One aggregation of the rows per distinct PD, then the estimates and the realised statistics on
   * the driver.
   *
   * @throws com.creditrisk.errors.CreditRiskException (bad input, exit 3) when the PDs take more than
   *     {@code maxGroups} distinct values, or a value outside [0, 1]
   */
  public static Result estimate(Dataset<Row> rows, Input in) {
    Column pd = col(in.pdCol());
    Column label = in.labelCol() == null ? lit(null).cast("int") : col(in.labelCol());
    List<Row> groups = rows.where(pd.isNotNull())
        .groupBy(pd.cast("double").as("pd"))
        .agg(count(lit(1)).as("n"), count(label).as("labelled"), sum(when(label.equalTo(1), 1L).otherwise(0L)))
        .orderBy("pd")
        .limit(in.maxGroups() + 1)
        .collectAsList();
    if (groups.size() > in.maxGroups()) {
      throw Errors.unusableStageInput("estimate performance from PDs", in.table(), "has more than "
          + in.maxGroups() + " distinct values of " + in.pdCol() + " (" + in.maxGroupsSetting() + "); raise it");
    }
    int k = groups.size();
    double[] p = new double[k];
    long[] n = new long[k];
    long[] labelled = new long[k];
    long[] bads = new long[k];
    int withLabel = 0;
    for (int i = 0; i < k; i++) {
      Row r = groups.get(i);
      p[i] = r.getDouble(0);
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw Errors.unusableStageInput("estimate performance from PDs", in.table(), "has " + in.pdCol() + " = "
            + p[i] + " outside [0, 1]; a calibrated PD is a probability");
      }
      n[i] = r.getLong(1);
      labelled[i] = r.getLong(2);
      bads[i] = r.getLong(3);
      withLabel += labelled[i] > 0 ? 1 : 0;
    }
    // The realised statistics from the groups that hold a label, as Discrimination wants them.
    double[] lp = new double[withLabel];
    long[] lb = new long[withLabel];
    long[] lg = new long[withLabel];
    for (int i = 0, j = 0; i < k; i++) {
      if (labelled[i] > 0) {
        lp[j] = p[i];
        lb[j] = bads[i];
        lg[j] = labelled[i] - bads[i];
        j++;
      }
    }
    return new Result(k, fromCounts(p, n), fromCounts(p, labelled), Discrimination.fromGroups(lp, lb, lg, 0));
  }

  /**
   * The estimate from rows counted per distinct PD.
   *
   * @param pd distinct PDs in [0, 1], ascending
   * @param n rows per PD (0 allowed)
   */
  public static Estimate fromCounts(double[] pd, long[] n) {
    long rows = 0;
    BigDecimal bads = BigDecimal.ZERO;
    BigDecimal goods = BigDecimal.ZERO;
    BigDecimal variance = BigDecimal.ZERO;
    BigDecimal varianceSquares = BigDecimal.ZERO;
    BigDecimal wins = BigDecimal.ZERO;
    for (int v = 0; v < pd.length; v++) {
      if (v > 0 && !(pd[v] > pd[v - 1])) {
        throw new IllegalArgumentException("PDs must be distinct and ascending: " + pd[v - 1] + " then " + pd[v]);
      }
      BigDecimal p = new BigDecimal(pd[v]);
      BigDecimal q = BigDecimal.ONE.subtract(p);
      BigDecimal nv = BigDecimal.valueOf(n[v]);
      BigDecimal pq = p.multiply(q, MC);
      // Bads here outrank the expected goods of every lower PD, and tie with the others at this PD.
      wins = wins.add(nv.multiply(p, MC).multiply(goods, MC), MC)
          .add(nv.multiply(BigDecimal.valueOf(n[v] - 1)).multiply(pq, MC).multiply(HALF), MC);
      rows += n[v];
      bads = bads.add(nv.multiply(p, MC), MC);
      goods = goods.add(nv.multiply(q, MC), MC);
      variance = variance.add(nv.multiply(pq, MC), MC);
      varianceSquares = varianceSquares.add(nv.multiply(pq.multiply(pq, MC), MC), MC);
    }
    if (rows == 0) {
      return new Estimate(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double badRate = bads.doubleValue() / rows;
    double badRateSe = Math.sqrt(variance.doubleValue()) / rows;
    BigDecimal pairs = bads.multiply(goods, MC).subtract(variance, MC);
    if (pairs.signum() <= 0) {
      return new Estimate(rows, badRate, badRateSe, Double.NaN, Double.NaN);
    }
    double auc = wins.divide(pairs, MC).doubleValue();
    return new Estimate(rows, badRate, badRateSe, auc,
        aucSe(pd, n, auc, bads.doubleValue(), goods.doubleValue(), variance.doubleValue(),
            varianceSquares.doubleValue(), pairs.doubleValue()));
  }

  /** sqrt(Var Z) / pairs, Var Z as the class comment derives it; a second sweep once the AUC is known. */
  private static double aucSe(double[] pd, long[] n, double auc, double bads, double goods, double variance,
      double varianceSquares, double pairs) {
    double linear = 0;
    double goodsBelow = 0;
    double badsBelow = 0;
    for (int v = 0; v < pd.length; v++) {
      double p = pd[v];
      double q = 1 - p;
      double others = n[v] - 1;
      double badsAbove = bads - badsBelow - n[v] * p;
      // h of one row at this PD: how much Z moves when that row's label moves by its own residual.
      double h = goodsBelow + others * q / 2 - auc * (goods - q) - badsAbove - others * p / 2 + auc * (bads - p);
      linear += n[v] * p * q * h * h;
      goodsBelow += n[v] * q;
      badsBelow += n[v] * p;
    }
    double quadratic = (1 - 2 * auc) * (1 - 2 * auc) * (variance * variance - varianceSquares) / 2;
    return Math.sqrt(Math.max(0, linear + quadratic)) / pairs;
  }
}
