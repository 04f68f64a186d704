package com.creditrisk.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.errors.Errors;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;

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
 * PDs), in decimal arithmetic: each group's terms rounded to 34 digits, their sums exact, so the
 * only rounding that shows is the final division, and a sweep cut into runs of groups (one per
 * partition) adds up to the same digits as one sweep. When the PDs take more distinct values than
 * the caller's bound (a Platt calibration of a model with many features), the same sweep runs
 * distributed instead ({@link #byKey}, which also runs many estimates at once, one per key): the
 * groups sorted across the cluster, one pass for each partition's totals and one for its share of
 * the sums, a few numbers per partition to the driver (as {@link SortedGroups} does for counts).
 *
 * <p><b>Its standard error</b> is that of the AUC the labels would realise, around the estimate,
 * when the PDs are right: the delta method on the ratio. With y_i ~ Bernoulli(p_i) independent, R
 * the expected AUC and c_ij = win(i, j) - R, the realised AUC minus R is Z / (m n) with
 * Z = sum_{i != j} y_i (1 - y_j) c_ij; the approximation is m n ~ E[m n] (the denominator above),
 * so SE = sqrt(Var Z) / denominator, and Var Z itself is exact: with e_i = y_i - p_i,
 * Z - E Z = sum_k e_k h_k - sum_{i < j} e_i e_j (1 - 2R), where h_k = sum_{j != k} q_j c_kj -
 * sum_{i != k} p_i c_ik (constant within a PD value, and h = a + R b with a and b read off the same
 * sweep before R is known, so sum p q h^2 needs no second sweep), and the two sums are
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
   * @param maxGroups the most distinct PDs brought to the driver, >= 0; beyond it (always, with 0)
   *     the estimate is computed distributed ({@link #byKey}: the rows are aggregated a second time)
   */
  public record Input(String table, String pdCol, String labelCol, int maxGroups) {
    public Input {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(pdCol, "pdCol");
      if (maxGroups < 0) {
        throw new IllegalArgumentException("Invalid maxGroups: " + maxGroups + " (must be >= 0)");
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
   * @param distributed whether the distinct PDs exceeded the bound and the estimate ran distributed
   * @param all the estimate over every row with a PD
   * @param labelled the estimate over the rows with a label only (n = 0 when none has one)
   * @param realised those rows' realised statistics (n = 0, NaNs when none has a label)
   */
  public record Result(long distinctPds, boolean distributed, Estimate all, Estimate labelled,
      Discrimination.Result realised) {
    /** The realised bad rate of the labelled rows; NaN when none has a label. */
    public double realisedBadRate() {
      return realised.n() == 0 ? Double.NaN : (double) realised.nBad() / realised.n();
    }
  }

  /**
   * One aggregation of the rows per distinct PD, then the estimates and the realised statistics on
   * the driver; distributed when the distinct PDs exceed {@code maxGroups}.
   *
   * @throws com.creditrisk.errors.CreditRiskException (bad input, exit 3) when a PD is outside [0, 1]
   */
  public static Result estimate(Dataset<Row> rows, Input in) {
    Column pd = col(in.pdCol());
    Column label = in.labelCol() == null ? lit(null).cast("int") : col(in.labelCol());
    Dataset<Row> groups = rows.where(pd.isNotNull())
        .groupBy(pd.cast("double").as("pd"))
        .agg(count(lit(1)).as("n"), count(label).as("labelled"), sum(when(label.equalTo(1), 1L).otherwise(0L)));
    // One partition, then the limit: one job, where a limit over many partitions takes a job per
    // growing batch of them. Sorted on the driver (NaN last, as Spark sorts it).
    List<Row> collected = new ArrayList<>(groups.coalesce(1).limit(in.maxGroups() + 1).collectAsList());
    if (collected.size() > in.maxGroups()) {
      return byKey(groups, 0, in).results().get(List.of());
    }
    collected.sort((x, y) -> Double.compare(x.getDouble(0), y.getDouble(0)));
    int k = collected.size();
    double[] p = new double[k];
    long[] n = new long[k];
    long[] labelled = new long[k];
    long[] bads = new long[k];
    for (int i = 0; i < k; i++) {
      Row r = collected.get(i);
      p[i] = r.getDouble(0);
      n[i] = r.getLong(1);
      labelled[i] = r.getLong(2);
      bads[i] = r.getLong(3);
    }
    return fromGroups(p, n, labelled, bads, in);
  }

  /**
   * {@link #estimate}'s answer from rows already counted per distinct PD, for a caller that
   * aggregated many estimates' rows in one pass and brought the groups to the driver itself.
   *
   * @param p distinct PDs, ascending (NaN last, as {@link Double#compare} sorts)
   * @param n rows per PD
   * @param labelled of those, rows with a label
   * @param bads of those, rows labelled 1
   * @param in names the table and the PD column in errors; its label column and bound are not read
   * @throws com.creditrisk.errors.CreditRiskException (bad input, exit 3) when a PD is outside [0, 1]
   */
  public static Result fromGroups(double[] p, long[] n, long[] labelled, long[] bads, Input in) {
    int k = p.length;
    int withLabel = 0;
    for (int i = 0; i < k; i++) {
      withLabel += labelled[i] > 0 ? 1 : 0;
    }
    if (k > 0) {
      checkRange(p[0], p[k - 1], in);
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
    return new Result(k, false, fromCounts(p, n), fromCounts(p, labelled), Discrimination.fromGroups(lp, lb, lg, 0));
  }

  /**
   * The estimate from rows counted per distinct PD.
   *
   * @param pd distinct PDs in [0, 1], ascending
   * @param n rows per PD (0 allowed)
   */
  public static Estimate fromCounts(double[] pd, long[] n) {
    Totals all = Totals.ZERO;
    for (int v = 0; v < pd.length; v++) {
      if (v > 0 && !(pd[v] > pd[v - 1])) {
        throw new IllegalArgumentException("PDs must be distinct and ascending: " + pd[v - 1] + " then " + pd[v]);
      }
      all = all.plus(pd[v], n[v]);
    }
    Sweep sweep = new Sweep(Totals.ZERO, all);
    for (int v = 0; v < pd.length; v++) {
      sweep.add(pd[v], n[v]);
    }
    return combine(all, List.of(sweep.piece()));
  }

  /** The most keys {@link #byKey} takes: each key's totals, and a share of its sums per partition it spans, reach the driver. */
  public static final int MAX_KEYS = 100_000;

  /**
   * {@link #byKey}'s answer.
   *
   * @param results per key (its values, in the key columns' order), the {@link #fromGroups} answer over
   *     its groups, with {@code distributed} true; a key without groups is absent
   * @param partitions the partitions the sorted groups were cut into
   * @param keysAcrossPartitions keys whose groups lay in more than one partition
   */
  public record ByKey(Map<List<Object>, Result> results, int partitions, long keysAcrossPartitions) {}

  /**
   * Many estimates in one distributed sweep, each over its key's groups: the groups sorted across
   * the cluster by (key columns, PD), so a partition holds a contiguous run of keys and a key may
   * span several partitions. A pass for each partition's totals per key (and its PD range), a pass
   * for each key's share of the sums given its totals in the partitions before; the realised
   * statistics of the labelled groups ({@link Discrimination#piece}) in the same pass. The keys
   * must be few ({@link #MAX_KEYS}): their totals and shares go to the driver, which adds them up in
   * exact decimals, so the answer is {@link #fromGroups}'s to the last digit however the groups are
   * cut. Nothing else reaches the driver.
   *
   * @param groups {@code keys} key columns, then pd (double), n, labelled and bads (long): one row
   *     per key and distinct PD, as {@link #estimate} counts them
   * @param keys the number of leading key columns; 0 for one estimate over every group
   * @param in names the table and the PD column in errors; its label column and bound are not read
   * @throws com.creditrisk.errors.CreditRiskException (bad input, exit 3) when a PD is outside [0, 1];
   *     (bad usage, exit 2) with more than {@link #MAX_KEYS} keys
   */
  public static ByKey byKey(Dataset<Row> groups, int keys, Input in) {
    String[] names = groups.columns();
    Column[] order = new Column[keys + 1];
    for (int k = 0; k <= keys; k++) {
      order[k] = col(names[k]);
    }
    JavaRDD<Row> sorted = groups.sort(order).javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // collect keeps the partitions' order, and each partition lists its runs in key order.
      List<KeyTotals> runs = sorted.mapPartitionsWithIndex((i, it) -> {
        List<KeyTotals> out = new ArrayList<>();
        while (it.hasNext()) {
          Row r = it.next();
          List<Object> key = keyOf(r, keys);
          if (out.isEmpty() || !out.get(out.size() - 1).key().equals(key)) {
            out.add(KeyTotals.of(i, key));
          }
          out.set(out.size() - 1, out.get(out.size() - 1).plus(r, keys));
        }
        return out.iterator();
      }, true).collect();
      Map<List<Object>, KeyTotals> totals = new LinkedHashMap<>();
      Map<Integer, Map<List<Object>, KeyTotals>> before = new HashMap<>();
      Set<List<Object>> across = new HashSet<>();
      for (KeyTotals run : runs) {
        KeyTotals sum = totals.get(run.key());
        if (sum != null) {
          before.computeIfAbsent(run.partition(), p -> new HashMap<>()).put(run.key(), sum);
          across.add(run.key());
        }
        totals.put(run.key(), sum == null ? run : sum.plus(run));
        if (totals.size() > MAX_KEYS) {
          throw Errors.badUsage("Cannot estimate performance from PDs by key: " + in.table() + " has more than "
              + MAX_KEYS + " keys (" + String.join(", ", java.util.Arrays.copyOf(names, keys)) + "); each key's "
              + "totals reach the driver. Estimate fewer at once (for monitor, a shorter --from .. --to)");
        }
      }
      for (KeyTotals t : totals.values()) {
        checkRange(t.lo(), t.hi(), in);
      }
      List<KeyPiece> pieces = sorted.mapPartitionsWithIndex((i, it) -> {
        List<KeyPiece> out = new ArrayList<>();
        Map<List<Object>, KeyTotals> earlier = before.getOrDefault(i, Map.of());
        KeyRun run = new KeyRun(it, keys);
        while (run.start()) {
          KeyTotals all = totals.get(run.key());
          KeyTotals b = earlier.getOrDefault(run.key(), KeyTotals.of(i, run.key()));
          run.sweep(new Sweep(b.all(), all.all()), new Sweep(b.labelled(), all.labelled()));
          Discrimination.Piece realised = Discrimination.piece(run, b.bads(), b.goods(), all.bads(), all.goods(), 0);
          run.finish();
          out.add(new KeyPiece(run.key(), run.all.piece(), run.labelled.piece(), realised));
        }
        return out.iterator();
      }, true).collect();
      Map<List<Object>, List<KeyPiece>> byKey = new HashMap<>();
      for (KeyPiece p : pieces) {
        byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
      }
      Map<List<Object>, Result> results = new LinkedHashMap<>();
      for (KeyTotals t : totals.values()) {
        List<KeyPiece> ps = byKey.get(t.key());
        results.put(t.key(), new Result(t.groups(), true, combine(t.all(), ps.stream().map(KeyPiece::all).toList()),
            combine(t.labelled(), ps.stream().map(KeyPiece::labelled).toList()),
            Discrimination.combine(ps.stream().map(KeyPiece::realised).toList(), t.bads(), t.goods())));
      }
      return new ByKey(results, sorted.getNumPartitions(), across.size());
    } finally {
      sorted.unpersist(false);
    }
  }

  private static List<Object> keyOf(Row r, int keys) {
    List<Object> key = new ArrayList<>(keys);
    for (int k = 0; k < keys; k++) {
      key.add(r.get(k));
    }
    return key;
  }

  /**
   * A key's groups in a run of partitions: their count, lowest and highest PD, the sweep's totals
   * over all rows and over the labelled ones, and the labelled rows' bads and goods.
   */
  private record KeyTotals(int partition, List<Object> key, long groups, double lo, double hi, Totals all,
      Totals labelled, long bads, long goods) implements Serializable {
    static KeyTotals of(int partition, List<Object> key) {
      return new KeyTotals(partition, key, 0, Double.NaN, Double.NaN, Totals.ZERO, Totals.ZERO, 0, 0);
    }

    KeyTotals plus(Row r, int keys) {
      double p = r.getDouble(keys);
      long labelledRows = r.getLong(keys + 2);
      long badRows = r.getLong(keys + 3);
      return new KeyTotals(partition, key, groups + 1, groups == 0 ? p : lo, p, all.plus(p, r.getLong(keys + 1)),
          labelled.plus(p, labelledRows), bads + badRows, goods + labelledRows - badRows);
    }

    /** These groups followed by {@code o}'s (of a later partition). */
    KeyTotals plus(KeyTotals o) {
      return new KeyTotals(o.partition, key, groups + o.groups, lo, o.hi, all.plus(o.all), labelled.plus(o.labelled),
          bads + o.bads, goods + o.goods);
    }
  }

  /** A key's share of the sums in one partition. */
  private record KeyPiece(List<Object> key, Piece all, Piece labelled, Discrimination.Piece realised)
      implements Serializable {}

  /**
   * One partition's sorted groups, a key's run at a time: every group of the run goes to both
   * sweeps, and the groups with a label are handed on as (pd, bads, goods), as
   * {@link Discrimination#piece} reads them.
   */
  private static final class KeyRun implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int keys;
    private Row head;
    private List<Object> key;
    private Row ready;
    private Sweep all;
    private Sweep labelled;

    KeyRun(Iterator<Row> rows, int keys) {
      this.rows = rows;
      this.keys = keys;
      this.head = rows.hasNext() ? rows.next() : null;
    }

    /** Moves to the next key's run; false at the end of the partition. */
    boolean start() {
      key = head == null ? null : keyOf(head, keys);
      return head != null;
    }

    List<Object> key() {
      return key;
    }

    void sweep(Sweep allRows, Sweep labelledRows) {
      all = allRows;
      labelled = labelledRows;
    }

    @Override
    public boolean hasNext() {
      while (ready == null && head != null && keyOf(head, keys).equals(key)) {
        Row r = head;
        head = rows.hasNext() ? rows.next() : null;
        double p = r.getDouble(keys);
        long labelledRows = r.getLong(keys + 2);
        long badRows = r.getLong(keys + 3);
        all.add(p, r.getLong(keys + 1));
        labelled.add(p, labelledRows);
        if (labelledRows > 0) {
          ready = RowFactory.create(p, badRows, labelledRows - badRows);
        }
      }
      return ready != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = ready;
      ready = null;
      return r;
    }

    /** Reads the rest of the key's run (its groups after the last labelled one). */
    void finish() {
      while (hasNext()) {
        next();
      }
    }
  }

  private static void checkRange(double lo, double hi, Input in) {
    // NaN sorts above every number, so the range's ends show every bad value.
    for (double p : new double[] {lo, hi}) {
      if (!(p >= 0 && p <= 1)) {
        throw Errors.unusableStageInput("estimate performance from PDs", in.table(), "has " + in.pdCol() + " = "
            + p + " outside [0, 1]; a calibrated PD is a probability");
      }
    }
  }

  /** The estimate from the sweeps' shares, in order, over rows with the given totals. */
  private static Estimate combine(Totals all, List<Piece> pieces) {
    if (all.rows() == 0) {
      return new Estimate(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Piece s = Piece.ZERO;
    for (Piece p : pieces) {
      s = s.plus(p);
    }
    double badRate = all.bads().doubleValue() / all.rows();
    double badRateSe = Math.sqrt(s.variance().doubleValue()) / all.rows();
    BigDecimal pairs = all.bads().multiply(all.goods(), MC).subtract(s.variance(), MC);
    if (pairs.signum() <= 0) {
      return new Estimate(all.rows(), badRate, badRateSe, Double.NaN, Double.NaN);
    }
    double auc = s.wins().divide(pairs, MC).doubleValue();
    double variance = s.variance().doubleValue();
    double linear = s.aa().doubleValue() + 2 * auc * s.ab().doubleValue() + auc * auc * s.bb().doubleValue();
    double quadratic = (1 - 2 * auc) * (1 - 2 * auc) * (variance * variance - s.varianceSquares().doubleValue()) / 2;
    return new Estimate(all.rows(), badRate, badRateSe, auc,
        Math.sqrt(Math.max(0, linear + quadratic)) / pairs.doubleValue());
  }

  /** Over a run of distinct PDs: rows, expected bads (sum n p) and expected goods (sum n q). */
  private record Totals(long rows, BigDecimal bads, BigDecimal goods) implements Serializable {
    static final Totals ZERO = new Totals(0, BigDecimal.ZERO, BigDecimal.ZERO);

    Totals plus(double p, long n) {
      BigDecimal nv = BigDecimal.valueOf(n);
      BigDecimal pv = new BigDecimal(p);
      return new Totals(rows + n, bads.add(nv.multiply(pv, MC)), goods.add(nv.multiply(BigDecimal.ONE.subtract(pv), MC)));
    }

    Totals plus(Totals o) {
      return new Totals(rows + o.rows, bads.add(o.bads), goods.add(o.goods));
    }
  }

  /** One partition's totals in the distributed first pass, with its lowest and highest PD. */
  private record PartTotals(int partition, long groups, double lo, double hi, Totals all, Totals labelled)
      implements Serializable {}

  /**
   * A run of distinct PDs' share of the sums: wins (the numerator), sum n p q, sum n (p q)^2, and
   * sum n p q a^2, a b, b^2 where one row's h = a + R b.
   */
  private record Piece(BigDecimal wins, BigDecimal variance, BigDecimal varianceSquares, BigDecimal aa, BigDecimal ab,
      BigDecimal bb) implements Serializable {
    static final Piece ZERO = new Piece(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, BigDecimal.ZERO);

    Piece plus(Piece o) {
      return new Piece(wins.add(o.wins), variance.add(o.variance), varianceSquares.add(o.varianceSquares),
          aa.add(o.aa), ab.add(o.ab), bb.add(o.bb));
    }
  }

  /** The sorted sweep over distinct PDs, ascending, from the totals of the PDs before the run. */
  private static final class Sweep {
    private final double bads;
    private final double goods;
    private Totals before;
    private Piece piece = Piece.ZERO;

    Sweep(Totals before, Totals all) {
      this.before = before;
      this.bads = all.bads().doubleValue();
      this.goods = all.goods().doubleValue();
    }

    void add(double pd, long n) {
      if (n == 0) {
        return;
      }
      BigDecimal p = new BigDecimal(pd);
      BigDecimal nv = BigDecimal.valueOf(n);
      BigDecimal pq = p.multiply(BigDecimal.ONE.subtract(p), MC);
      // Bads here outrank the expected goods of every lower PD, and tie with the others at this PD.
      BigDecimal wins = nv.multiply(p, MC).multiply(before.goods(), MC)
          .add(nv.multiply(BigDecimal.valueOf(n - 1)).multiply(pq, MC).multiply(HALF), MC);
      double q = 1 - pd;
      double others = n - 1;
      double goodsBelow = before.goods().doubleValue();
      double badsAbove = bads - before.bads().doubleValue() - n * pd;
      // h of one row at this PD, how much Z moves with that row's label: a + R b.
      double a = goodsBelow + others * q / 2 - badsAbove - others * pd / 2;
      double b = (bads - pd) - (goods - q);
      double w = n * pd * q;
      piece = piece.plus(new Piece(wins, nv.multiply(pq, MC), nv.multiply(pq.multiply(pq, MC), MC),
          new BigDecimal(w * a * a, MC), new BigDecimal(w * a * b, MC), new BigDecimal(w * b * b, MC)));
      before = before.plus(pd, n);
    }

    Piece piece() {
      return piece;
    }
  }
}
