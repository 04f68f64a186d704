package com.creditrisk.validation;

import static com.creditrisk.run.Timings.timed;
import static com.creditrisk.validation.Profile.countIf;
import static com.creditrisk.validation.ScoreColumns.LABEL;
import static com.creditrisk.validation.ScoreColumns.SCORE;
import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.ValidationConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.metrics.SortedGroups;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The pack for a continuous score (about one distinct value per row), exact, with driver memory
 * that grows with the partitions, not the rows. The rows are counted per distinct score and the
 * groups sorted across the cluster ({@link SortedGroups}): its first pass totals each partition
 * (the input checks' counts and the score's range come from those totals); one second pass hands
 * each partition its groups with the totals of the partitions before it, and each returns a
 * {@link Part}: its share of the AUC's pair count and DeLong sums, its KS peak and curve points,
 * the quantile cuts that fall in it with the running totals there, its distribution and PSI bin
 * counts, and its first qualifying cutoff per target. The baseline's PSI cuts and bin counts come
 * from its own sorted groups the same way. Every figure is the arithmetic {@link CountsEngine} does
 * over the same groups, cut into partitions at points where its running totals are known, so the
 * two give the same metrics.json.
 *
 * <p>It covers a score with a label, a baseline and cutoff targets: what {@code validate --scores}
 * computes without {@code --pd-col}, {@code --grade-col}, {@code --month-col}, {@code --compare-col}
 * or {@code --csi-cols}. {@link ValidationEngine#open} picks it only then ({@link #covers}).
 */
final class SortedEngine implements ValidationEngine {
  // The groups' columns: the score, bads, goods, other labels, null labels, rows, labelled rows
  // with a null or NaN score, labelled rows.
  private static final int S = 0;
  private static final int B = 1;
  private static final int G = 2;
  private static final int O = 3;
  private static final int U = 4;
  private static final int N = 5;
  private static final int X = 6;
  private static final int L = 7;

  private final SortedGroups groups;
  private final Dataset<Row> baselineRaw;
  private final Profile profile;
  private final ValidateScores.Input in;
  private final ValidationConfig vc;
  private final Map<String, Long> ms;
  private List<Part> parts;
  private QuantileCuts.Binned baseline;

  private SortedEngine(SortedGroups groups, Dataset<Row> baselineRaw, Profile profile, ValidateScores.Input in,
      ValidationConfig vc, Map<String, Long> timings) {
    this.groups = groups;
    this.baselineRaw = baselineRaw;
    this.profile = profile;
    this.in = in;
    this.vc = vc;
    this.ms = timings;
  }

  /** Whether every statistic the input asks for is one this engine computes. */
  static boolean covers(ValidateScores.Input in) {
    return in.pdCol() == null && in.gradeCol() == null && in.monthCol() == null && in.compareCol() == null
        && in.csiCols().isEmpty();
  }

  /**
   * Whether the score looks continuous without reading a row: a fractional type, in a table that
   * may hold more rows than {@code maxGroups}. Only a CSV's size bounds its rows (at least two bytes
   * each: a character and a line break); a Parquet or Delta file's compressed size does not.
   */
  static boolean continuous(Dataset<Row> raw, String format, ValidateScores.Input in, int maxGroups) {
    DataType t = raw.schema().apply(in.scoreCol()).dataType();
    if (ScoreColumns.whole(t)) {
      return false;
    }
    if (!"csv".equals(format)) {
      return true;
    }
    scala.math.BigInt bytes = raw.queryExecution().optimizedPlan().stats().sizeInBytes();
    return bytes.isValidLong() ? continuousCsv(bytes.toLong(), maxGroups) : true;
  }

  /** {@link #continuous}'s rule for a CSV of a fractional score, by the file's size in bytes. */
  static boolean continuousCsv(long bytes, int maxGroups) {
    return maxGroups <= 0 || bytes > 2L * maxGroups;
  }

  /**
   * Distinct scores at most this share of the rows: the groups are counted before the shuffle (a
   * partial aggregation shrinks the rows); above it, the rows are shuffled as they are and counted
   * after the sort, since a partial aggregation by a score with about one value per row shrinks
   * nothing and is the most expensive step of the plan.
   */
  static final double AGGREGATE_FIRST_MAX_DISTINCT_SHARE = 0.5;

  /** The groups' schema, the columns in the order of {@link #S} .. {@link #L}. */
  private static final StructType GROUPS = new StructType().add("s", DataTypes.DoubleType)
      .add("b", DataTypes.LongType, false).add("g", DataTypes.LongType, false).add("o", DataTypes.LongType, false)
      .add("u", DataTypes.LongType, false).add("n", DataTypes.LongType, false).add("x", DataTypes.LongType, false)
      .add("l", DataTypes.LongType, false);

  // The label's class per row (the column "c"), under Profile.of's conditions: bad, good, any other
  // value (NaN included), none.
  private static final int BAD = 1;
  private static final int GOOD = 0;
  private static final int OTHER = 2;
  private static final int NONE = 3;

  /** @param prepared the rows under {@link ScoreColumns}' names, scores as doubles */
  static SortedEngine open(Dataset<Row> prepared, Dataset<Row> baselineRaw, ValidateScores.Input in,
      ValidationConfig vc, Map<String, Long> timings) {
    // The table is parsed once: both plans of groups() and the range partitioning's sampling read
    // this cache of the two columns the pack needs.
    Dataset<Row> parsed = parsed(prepared).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      SortedGroups groups = timed(timings, "score_groups", () -> SortedGroups.withRange(groups(parsed), S, L, B, G,
          O, U, N, X));
      try {
        double[] range = groups.range();
        Profile profile = new Profile(groups.total(4), groups.total(3), groups.total(2), groups.total(0),
            groups.total(1), groups.total(5), 0, 0, range == null ? null : range[0], range == null ? null : range[1]);
        return new SortedEngine(groups, baselineRaw, profile, in, vc, timings);
      } catch (RuntimeException e) {
        groups.close();
        throw e;
      }
    } finally {
      // The groups are kept by SortedGroups' first pass, which has run: the parsed rows are no longer read.
      parsed.unpersist(false);
    }
  }

  /**
   * Each row's score and label class (column c): -0.0 becomes 0.0 here, as a grouping key is
   * normalised, so that equal scores are equal doubles in the sorted runs.
   */
  static Dataset<Row> parsed(Dataset<Row> prepared) {
    Column label = col(LABEL);
    Column score = col(SCORE);
    Column s = when(score.equalTo(0), lit(0.0)).otherwise(score).as("s");
    Column c = when(label.isNull(), lit(NONE)).when(label.equalTo(1), lit(BAD)).when(label.equalTo(0), lit(GOOD))
        .otherwise(lit(OTHER)).cast("tinyint").as("c");
    return Arrays.asList(prepared.columns()).contains(ScoreColumns.UNPARSED)
        ? prepared.select(s, c, col(ScoreColumns.UNPARSED).as("f")) : prepared.select(s, c);
  }

  /**
   * One row per distinct score ({@link #GROUPS}), sorted across the partitions. The first job
   * parses the table into the cache and estimates how many distinct scores it holds; few, and they
   * are counted by an aggregation, then sorted; about one per row, and the rows are range-
   * partitioned by score (equal scores land in one partition), sorted within each partition, and
   * each run of equal scores is counted as the sort returns it: one shuffle of the rows instead
   * of a partial aggregation that shrinks nothing, its shuffle, the final aggregation and the sort's.
   */
  static Dataset<Row> groups(Dataset<Row> parsed) {
    boolean aggregateFirst = aggregateFirst(parsed);
    return groups(parsed.select(col("s"), col("c")), aggregateFirst);
  }

  /** Whether the distinct scores, estimated (HyperLogLog++, nulls left out), are few enough to aggregate first. */
  static boolean aggregateFirst(Dataset<Row> parsed) {
    boolean plain = Arrays.asList(parsed.columns()).contains("f");
    // Rows read as plain numbers are vouched for in the same pass: no line with a cell that is not
    // a number, and some score (a column with none is inferred as a string).
    Row seen = parsed.agg(count(lit(1)), approx_count_distinct(col("s")),
        plain ? count(when(col("f"), lit(1))) : lit(0L),
        count(col("s"))).first();
    if (plain && (seen.getLong(2) > 0 || seen.getLong(3) == 0)) {
      throw new PlainNumbers.NotPlain(seen.getLong(2) + " lines with a cell that is not a plain number, "
          + seen.getLong(3) + " scores");
    }
    return seen.getLong(1) <= AGGREGATE_FIRST_MAX_DISTINCT_SHARE * seen.getLong(0);
  }

  /** As {@link #groups(Dataset)}, by the plan given: the same rows either way. */
  static Dataset<Row> groups(Dataset<Row> parsed, boolean aggregateFirst) {
    Column c = col("c");
    if (aggregateFirst) {
      Column labelled = c.notEqual(NONE);
      return parsed.groupBy(col("s")).agg(countIf(c.equalTo(BAD)).as("b"), countIf(c.equalTo(GOOD)).as("g"),
          countIf(c.equalTo(OTHER)).as("o"), countIf(c.equalTo(NONE)).as("u"), count(lit(1)).as("n"),
          countIf(labelled.and(col("s").isNull().or(col("s").isNaN()))).as("x"), countIf(labelled).as("l"))
          .sort(col("s"));
    }
    // A hand-written fold: Spark's sort-based aggregation cannot take over here, as the grouping
    // key of a double is wrapped in a NaN and -0.0 normalisation that the sort order does not match.
    return parsed.repartitionByRange(col("s")).sortWithinPartitions(col("s"))
        .mapPartitions((MapPartitionsFunction<Row, Row>) SortedEngine::countRuns, Encoders.row(GROUPS));
  }

  /** Each run of equal scores in sorted rows (s, c) as one {@link #GROUPS} row; NaNs are one run, as nulls are. */
  private static Iterator<Row> countRuns(Iterator<Row> rows) {
    return new Iterator<>() {
      private Row next = rows.hasNext() ? rows.next() : null;

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Double s = next.isNullAt(0) ? null : next.getDouble(0);
        long[] byClass = new long[4];
        long n = 0;
        do {
          byClass[next.getByte(1)]++;
          n++;
          next = rows.hasNext() ? rows.next() : null;
        } while (next != null && sameScore(s, next));
        long labelled = byClass[BAD] + byClass[GOOD] + byClass[OTHER];
        boolean badScore = s == null || s.isNaN();
        return RowFactory.create(badScore && s != null ? (Double) Double.NaN : s, byClass[BAD], byClass[GOOD],
            byClass[OTHER], byClass[NONE], n, badScore ? labelled : 0L, labelled);
      }
    };
  }

  private static boolean sameScore(Double s, Row r) {
    if (s == null || r.isNullAt(0)) {
      return s == null && r.isNullAt(0);
    }
    double v = r.getDouble(0);
    return v == s || (Double.isNaN(v) && s.isNaN());
  }

  @Override
  public Profile profile() {
    return profile;
  }

  /** One partition's share of every statistic; see the class comment. */
  record Part(int partition, Discrimination.Piece piece, List<QuantileCuts.Hit> hits, long[] distGoods,
      long[] distBads, long[] psiActual, TargetCutoffs.Candidate[] plain, TargetCutoffs.Candidate[] conservative)
      implements Serializable {}

  /** The second pass, once, when the first statistic asks (after the profile's checks passed). */
  private List<Part> parts() {
    if (parts != null) {
      return parts;
    }
    double[] psiCuts = null;
    if (baselineRaw != null) {
      Column v = ScoreColumns.number(baselineRaw.schema(), in.scoreCol(), true);
      baseline = timed(ms, "psi_baseline", () -> QuantileCuts.binned(baselineRaw, v, Stability.BINS));
      psiCuts = baseline.cuts();
    }
    long bads = profile.bads();
    long goods = profile.goods();
    boolean safe = in.higherIsSafe();
    int curvePoints = vc.curvePoints();
    ScoreBins bins = profile.minScore() == null ? null
        : ScoreBins.of(profile.minScore(), profile.maxScore(), vc.distributionBins());
    List<Double> targets = in.targetBadRates();
    double[] cuts = psiCuts;
    parts = timed(ms, "score_pass", () -> groups.collect((i, it, before) -> List.of(part(i, it, before[0],
        before[1], bads, goods, safe, curvePoints, bins, cuts, targets)).iterator()));
    return parts;
  }

  private static Part part(int partition, Iterator<Row> it, long badsBefore, long goodsBefore, long bads, long goods,
      boolean safe, int curvePoints, ScoreBins bins, double[] psiCuts, List<Double> targets) {
    // The partition's labelled groups, held in the task so they can be walked both ways.
    List<double[]> s = new ArrayList<>();
    List<long[]> bg = new ArrayList<>();
    long partBads = 0;
    long partGoods = 0;
    while (it.hasNext()) {
      Row r = it.next();
      long b = r.getLong(B);
      long g = r.getLong(G);
      if (b + g > 0) {
        s.add(new double[] {r.getDouble(S)});
        bg.add(new long[] {b, g});
        partBads += b;
        partGoods += g;
      }
    }
    int k = s.size();
    long total = bads + goods;
    // Discrimination on the risk scale, ascending risk: the score's order, or its reverse when higher is safe.
    List<Row> risk = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      int at = safe ? k - 1 - j : j;
      risk.add(RowFactory.create(safe ? -s.get(at)[0] : s.get(at)[0], bg.get(at)[0], bg.get(at)[1]));
    }
    Discrimination.Piece piece = safe
        ? Discrimination.piece(risk.iterator(), bads - badsBefore - partBads, goods - goodsBefore - partGoods, bads,
            goods, curvePoints)
        : Discrimination.piece(risk.iterator(), badsBefore, goodsBefore, bads, goods, curvePoints);

    List<QuantileCuts.Hit> hits = new ArrayList<>();
    long[] distGoods = bins == null ? new long[0] : new long[bins.k()];
    long[] distBads = bins == null ? new long[0] : new long[bins.k()];
    long[] psiActual = psiCuts == null ? null : new long[psiCuts.length + 1];
    // Approved rows and bads at each candidate, most permissive first.
    long[] approvedN = new long[k];
    long[] approvedBads = new long[k];
    double[] candidate = new double[k];
    long cumBads = badsBefore;
    long cumRows = badsBefore + goodsBefore;
    for (int j = 0; j < k; j++) {
      double v = s.get(j)[0];
      long b = bg.get(j)[0];
      long g = bg.get(j)[1];
      hits.addAll(QuantileCuts.hits(v, b + g, b, cumRows, cumBads, total, RankOrdering.BANDS));
      if (bins != null) {
        int bin = bins.binOf(v);
        distGoods[bin] += g;
        distBads[bin] += b;
      }
      if (psiActual != null) {
        psiActual[QuantileCuts.binOf(v, psiCuts)] += b + g;
      }
      // Higher is safe: approve score >= c, the most permissive is the lowest score; else the mirror image.
      int at = safe ? j : k - 1 - j;
      candidate[at] = v;
      approvedN[at] = safe ? total - cumRows : cumRows + b + g;
      approvedBads[at] = safe ? bads - cumBads : cumBads + b;
      cumBads += b;
      cumRows += b + g;
    }
    int[] first = TargetCutoffs.firstQualifying(approvedN, approvedBads, total, targets);
    TargetCutoffs.Candidate[] plain = new TargetCutoffs.Candidate[targets.size()];
    TargetCutoffs.Candidate[] conservative = new TargetCutoffs.Candidate[targets.size()];
    for (int t = 0; t < targets.size(); t++) {
      plain[t] = TargetCutoffs.candidate(first[2 * t], candidate, approvedN, approvedBads);
      conservative[t] = TargetCutoffs.candidate(first[2 * t + 1], candidate, approvedN, approvedBads);
    }
    return new Part(partition, piece, hits, distGoods, distBads, psiActual, plain, conservative);
  }

  @Override
  public Discrimination.Result discrimination() {
    List<Discrimination.Piece> pieces = new ArrayList<>(parts().stream().map(Part::piece).toList());
    if (in.higherIsSafe()) {
      Collections.reverse(pieces);
    }
    return timed(ms, "discrimination", () -> ValidateScores.onScoreScale(
        Discrimination.combine(pieces, profile.bads(), profile.goods()), in.higherIsSafe()));
  }

  @Override
  public Discrimination.Paired paired() {
    return null;
  }

  @Override
  public RankOrdering.Result rankOrdering() {
    List<QuantileCuts.Hit> hits = parts().stream().flatMap(p -> p.hits().stream()).toList();
    QuantileCuts.Binned b = QuantileCuts.binned(hits, profile.bads() + profile.goods(), profile.bads());
    return timed(ms, "rank_ordering", () -> RankOrdering.fromCounts(b.cuts(), b.rows(), b.bads(), in.higherIsSafe()));
  }

  @Override
  public List<ValidationResult.DistributionBin> distribution() {
    if (profile.minScore() == null) {
      return List.of();
    }
    ScoreBins bins = ScoreBins.of(profile.minScore(), profile.maxScore(), vc.distributionBins());
    long[] goods = new long[bins.k()];
    long[] bads = new long[bins.k()];
    for (Part p : parts()) {
      for (int i = 0; i < bins.k(); i++) {
        goods[i] += p.distGoods()[i];
        bads[i] += p.distBads()[i];
      }
    }
    return bins.toList(goods, bads);
  }

  @Override
  public CalibrationPart calibration() {
    return CalibrationPart.NONE;
  }

  @Override
  public StabilityPart stability() {
    if (baselineRaw == null) {
      return new StabilityPart(null, null, new TreeMap<>(), Map.of());
    }
    List<Part> ps = parts();
    long[] actual = new long[baseline.cuts().length + 1];
    for (Part p : ps) {
      for (int i = 0; i < actual.length; i++) {
        actual[i] += p.psiActual()[i];
      }
    }
    return new StabilityPart(timed(ms, "psi", () -> Stability.psi(baseline.cuts(), baseline.rows(), actual)), null,
        new TreeMap<>(), Map.of());
  }

  @Override
  public List<TargetCutoffs.Cutoff> cutoffs() {
    List<Part> ps = new ArrayList<>(parts());
    // The most permissive partition first: the lowest scores when higher is safe, else the highest.
    if (!in.higherIsSafe()) {
      Collections.reverse(ps);
    }
    long total = profile.bads() + profile.goods();
    List<TargetCutoffs.Cutoff> out = new ArrayList<>();
    List<Double> targets = in.targetBadRates();
    for (int t = 0; t < targets.size(); t++) {
      int k = t;
      TargetCutoffs.Candidate plain = ps.stream().map(p -> p.plain()[k]).filter(c -> c != null).findFirst()
          .orElse(null);
      TargetCutoffs.Candidate conservative = ps.stream().map(p -> p.conservative()[k]).filter(c -> c != null)
          .findFirst().orElse(null);
      out.add(TargetCutoffs.cutoff(targets.get(t), plain, conservative, total));
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    groups.close();
  }
}
