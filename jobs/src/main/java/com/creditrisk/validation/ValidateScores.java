package com.creditrisk.validation;

import static com.creditrisk.binning.BinFeatures.quote;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.binning.BinFeatures;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.errors.Errors;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.run.RunFolder;
import static com.creditrisk.run.Timings.timed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code validate --scores} job: the validation pack on any scored table (CSV, Parquet or
 * Delta), with no as-of date. Reads and checks the table (every problem found is reported at once,
 * exit 3, nothing written), computes the exact statistics, the traffic lights and the verdict, and
 * writes DIR/metrics.json whole (temporary file, then rename). The {@link ValidationResult} it
 * returns is the model a report renders.
 */
public final class ValidateScores {
  static final String SCORE = "__score";
  static final String RISK = "__risk";
  static final String LABEL = "__label";
  static final String PD = "__pd";
  static final String GRADE = "__grade";
  static final String MONTH = "__month";
  static final String COMPARE = "__compare_risk";

  private ValidateScores() {}

  /** What to validate; checks its option values (exit 2 when they are wrong). */
  public record Input(String scores, String format, String scoreCol, String labelCol, String badValue,
      boolean higherIsSafe, String pdCol, String gradeCol, String monthCol, String baseline, String compareCol,
      List<String> csiCols, List<Double> targetBadRates, Double developmentAuc, String out) {
    public Input {
      Objects.requireNonNull(scores, "scores");
      Objects.requireNonNull(scoreCol, "scoreCol");
      Objects.requireNonNull(labelCol, "labelCol");
      Objects.requireNonNull(out, "out");
      csiCols = List.copyOf(csiCols);
      targetBadRates = List.copyOf(targetBadRates);
      if (format != null && !List.of("csv", "parquet", "delta").contains(format)) {
        throw Errors.badUsage("Invalid --format: '" + format + "' (one of csv, parquet, delta)");
      }
      for (double t : targetBadRates) {
        if (!(t > 0 && t < 1)) {
          throw Errors.badUsage("Invalid --target-bad-rate: " + t + " (a rate in (0, 1), e.g. 0.05)");
        }
      }
      if (developmentAuc != null && !(developmentAuc >= 0 && developmentAuc <= 1)) {
        throw Errors.badUsage("Invalid --dev-auc: " + developmentAuc + " (an AUC in [0, 1])");
      }
      if (!csiCols.isEmpty() && baseline == null) {
        throw Errors.badUsage("Invalid --csi-cols: CSI compares with a baseline; give --baseline too");
      }
    }
  }

  public static ValidationResult run(SparkSession spark, CreditRiskConfig conf, Input in) {
    String format = format(spark, in.scores(), in.format(), "--scores");
    Dataset<Row> raw = BinFeatures.read(spark, in.scores(), format);
    checkColumns(in.scores(), raw.schema(), in, true);
    Dataset<Row> baselineRaw = null;
    if (in.baseline() != null) {
      baselineRaw = BinFeatures.read(spark, in.baseline(), format(spark, in.baseline(), null, "--baseline"));
      checkColumns(in.baseline(), baselineRaw.schema(), in, false);
    }
    return validate(spark, conf, in, format, raw, baselineRaw);
  }

  /** The pack on tables already read (and their columns checked): checks the rows, computes, writes. */
  static ValidationResult validate(SparkSession spark, CreditRiskConfig conf, Input in, String format,
      Dataset<Row> raw, Dataset<Row> baselineRaw) {
    ValidationConfig vc = conf.validation();
    Map<String, Long> ms = new LinkedHashMap<>();
    // Whole-number scores stay whole numbers for the counting: integer keys hash faster than
    // doubles (which are normalised for NaN and -0.0 on every row first).
    java.util.Optional<Summary> summary = timed(ms, "summary", () -> Summary.of(
        prepare(raw, in, conf.train().gradeBounds(), true), baselineRaw, in, vc.summaryMaxGroups(),
        conf.train().gradeBounds()));
    if (summary.isPresent()) {
      summary.get().profile.check(in);
      return fromSummary(spark, in, vc, format, summary.get(), ms);
    }
    // Too many distinct values to count on the driver: every statistic reads the rows again. Keep
    // only the columns they need, once; the profile's pass fills the cache.
    Dataset<Row> prepared = prepare(raw, in, conf.train().gradeBounds(), false);
    Dataset<Row> persisted = prepared.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Profile profile = timed(ms, "profile", () -> profile(persisted, in));
      profile.check(in);
      return compute(spark, in, vc, format, persisted.where(col(LABEL).isNotNull()), baselineRaw, profile, ms);
    } finally {
      persisted.unpersist(false);
    }
  }

  /** Every statistic from the one-pass summary's counts: exact arithmetic on the driver, no further Spark job. */
  private static ValidationResult fromSummary(SparkSession spark, Input in, ValidationConfig vc, String format,
      Summary s, Map<String, Long> ms) {
    Profile profile = s.profile;
    Summary.Groups scores = s.scores;
    Summary.Groups risks = in.higherIsSafe() ? scores.negated() : scores;
    Discrimination.Result d = timed(ms, "discrimination", () -> onScoreScale(
        Discrimination.fromGroups(risks.values(), risks.bads(), risks.goods(), vc.curvePoints()), in.higherIsSafe()));
    Double drop = in.developmentAuc() == null ? null : (in.developmentAuc() - d.auc()) / d.aucSe();
    Discrimination.Paired paired = s.pairs == null ? null : timed(ms, "delong_paired",
        () -> Discrimination.pairedFromGroups(s.pairs.a(), s.pairs.b(), s.pairs.bads(), s.pairs.goods()));
    RankOrdering.Result rank = timed(ms, "rank_ordering",
        () -> RankOrdering.fromGroups(scores.values(), scores.bads(), scores.goods(), in.higherIsSafe()));
    List<ValidationResult.DistributionBin> distribution = distribution(scores, profile.minScore(),
        profile.maxScore(), vc.distributionBins());

    CalibrationPart cal = CalibrationPart.NONE;
    if (in.pdCol() != null) {
      Calibration.FromGroups c = timed(ms, "calibration",
          () -> Calibration.fromGroups(s.pds.values(), s.pds.bads(), s.pds.goods()));
      cal = CalibrationPart.of(in, c.totals(), c.hosmerLemeshow(),
          timed(ms, "jeffreys", () -> Calibration.jeffreysByGrade(s.grades)));
    } else if (in.gradeCol() != null) {
      cal = CalibrationPart.ofGrades(in, s.grades.values().stream().map(t -> (long) t[0]).toList());
    }

    Stability.Psi psi = null;
    Map<String, Stability.Psi> csi = new LinkedHashMap<>();
    Map<String, Stability.Psi> byMonth = new TreeMap<>();
    String psiBaseline = null;
    TreeMap<Double, Long> current = new TreeMap<>();
    for (int i = 0; i < scores.values().length; i++) {
      current.put(scores.values()[i], scores.bads()[i] + scores.goods()[i]);
    }
    Map<String, TreeMap<Double, Long>> months = s.scoresByMonth == null ? Map.of() : s.scoresByMonth;
    if (s.baselineScores != null) {
      Stability.Grouped g = timed(ms, "psi", () -> Stability.psi(s.baselineScores, current, months));
      psi = g.total();
      byMonth.putAll(g.byGroup());
      psiBaseline = in.monthCol() == null ? null : "baseline";
      List<String> csiCols = in.csiCols().stream().distinct().toList();
      for (String c : in.csiCols()) {
        int k = csiCols.indexOf(c);
        csi.put(c, Stability.psi(s.baselineCsi.get(k), s.csi.get(k), Map.of()).total());
      }
    } else if (!months.isEmpty()) {
      // No baseline: the first month is the baseline of the later ones.
      String m0 = s.scoresByMonth.firstKey();
      psiBaseline = m0;
      TreeMap<Double, Long> later = new TreeMap<>();
      s.scoresByMonth.tailMap(m0, false).values().forEach(m -> m.forEach((v, c) -> later.merge(v, c, Long::sum)));
      byMonth.putAll(timed(ms, "psi", () -> Stability.psi(s.scoresByMonth.get(m0), later,
          s.scoresByMonth.tailMap(m0, false)).byGroup()));
    }
    List<ValidationCutoffs.Cutoff> cutoffs = timed(ms, "cutoffs", () -> ValidationCutoffs.fromGroups(scores.values(),
        scores.bads(), scores.goods(), in.higherIsSafe(), in.targetBadRates()));
    return finish(spark, in, format, profile, d, drop, paired, rank, distribution, cal,
        new StabilityPart(psi, psiBaseline, byMonth, csi), cutoffs, vc, ms);
  }

  private static ValidationResult compute(SparkSession spark, Input in, ValidationConfig vc, String format,
      Dataset<Row> rows, Dataset<Row> baselineRaw, Profile profile, Map<String, Long> ms) {
    Discrimination.Result d = timed(ms, "discrimination", () -> onScoreScale(
        Discrimination.compute(rows, RISK, LABEL, vc.curvePoints()), in.higherIsSafe()));
    Double drop = in.developmentAuc() == null ? null : (in.developmentAuc() - d.auc()) / d.aucSe();
    Discrimination.Paired paired = in.compareCol() == null ? null
        : timed(ms, "delong_paired", () -> Discrimination.paired(rows, RISK, COMPARE, LABEL));
    RankOrdering.Result rank = timed(ms, "rank_ordering",
        () -> RankOrdering.compute(rows, col(SCORE), col(LABEL), in.higherIsSafe()));
    List<ValidationResult.DistributionBin> distribution = timed(ms, "distribution",
        () -> distribution(rows, profile.minScore(), profile.maxScore(), vc.distributionBins()));

    CalibrationPart cal = CalibrationPart.NONE;
    if (in.pdCol() != null) {
      Calibration.Totals totals = timed(ms, "brier", () -> Calibration.totals(rows, col(PD), col(LABEL)));
      Calibration.HosmerLemeshow hl = timed(ms, "hosmer_lemeshow",
          () -> Calibration.hosmerLemeshow(rows, col(PD), col(LABEL)));
      cal = CalibrationPart.of(in, totals, hl,
          timed(ms, "jeffreys", () -> Calibration.jeffreysByGrade(rows, col(GRADE), col(PD), col(LABEL))));
    } else if (in.gradeCol() != null) {
      cal = CalibrationPart.ofGrades(in, rows.groupBy(col(GRADE)).agg(count(lit(1))).collectAsList().stream()
          .map(r -> r.getLong(1)).toList());
    }

    Stability.Psi psi = null;
    Map<String, Stability.Psi> csi = new LinkedHashMap<>();
    Map<String, Stability.Psi> byMonth = new TreeMap<>();
    String psiBaseline = null;
    if (baselineRaw != null) {
      Stability.Grouped g = timed(ms, "psi", () -> Stability.psi(baselineRaw, col(quote(in.scoreCol())), rows,
          col(SCORE), in.monthCol() == null ? null : col(MONTH)));
      psi = g.total();
      byMonth.putAll(g.byGroup());
      psiBaseline = in.monthCol() == null ? null : "baseline";
      for (String c : in.csiCols()) {
        csi.put(c, timed(ms, "csi " + c, () -> Stability.psi(baselineRaw, col(quote(c)), rows, col(quote(c)), null)
            .total()));
      }
    } else if (in.monthCol() != null) {
      // No baseline: the first month is the baseline of the later ones.
      Row first = rows.agg(min(col(MONTH))).first();
      if (!first.isNullAt(0)) {
        String m0 = first.getString(0);
        psiBaseline = m0;
        byMonth.putAll(timed(ms, "psi", () -> Stability.psi(rows.where(col(MONTH).equalTo(m0)), col(SCORE),
            rows.where(col(MONTH).gt(m0)), col(SCORE), col(MONTH)).byGroup()));
      }
    }
    List<ValidationCutoffs.Cutoff> cutoffs = timed(ms, "cutoffs", () -> ValidationCutoffs.compute(rows, col(SCORE),
        col(LABEL), in.higherIsSafe(), in.targetBadRates()));

    return finish(spark, in, format, profile, d, drop, paired, rank, distribution, cal,
        new StabilityPart(psi, psiBaseline, byMonth, csi), cutoffs, vc, ms);
  }

  /** The calibration statistics, when there is a PD (or only a grade column: its concentration). */
  private record CalibrationPart(Calibration.Totals totals, Calibration.HosmerLemeshow hl,
      Calibration.Jeffreys portfolio, List<Calibration.Jeffreys> grades, String gradeSource, Double herfindahl) {
    static final CalibrationPart NONE = new CalibrationPart(null, null, null, List.of(), null, null);

    static CalibrationPart of(Input in, Calibration.Totals totals, Calibration.HosmerLemeshow hl,
        List<Calibration.Jeffreys> grades) {
      return new CalibrationPart(totals, hl, Calibration.jeffreys("portfolio", totals.n(), totals.defaults(),
          totals.sumPd()), grades, in.gradeCol() != null ? "column " + in.gradeCol() : "grades.pd_upper_bounds",
          Calibration.herfindahl(grades.stream().map(Calibration.Jeffreys::n).toList()));
    }

    static CalibrationPart ofGrades(Input in, List<Long> counts) {
      return new CalibrationPart(null, null, null, List.of(), "column " + in.gradeCol(),
          Calibration.herfindahl(counts));
    }
  }

  /** PSI of the score (against the baseline or the first month), per month, and CSI per feature. */
  private record StabilityPart(Stability.Psi psi, String psiBaseline, Map<String, Stability.Psi> byMonth,
      Map<String, Stability.Psi> csi) {}

  private static ValidationResult finish(SparkSession spark, Input in, String format, Profile profile,
      Discrimination.Result d, Double drop, Discrimination.Paired paired, RankOrdering.Result rank,
      List<ValidationResult.DistributionBin> distribution, CalibrationPart cal, StabilityPart st,
      List<ValidationCutoffs.Cutoff> cutoffs, ValidationConfig vc, Map<String, Long> ms) {
    List<TrafficLights.Light> lights = TrafficLights.evaluate(new TrafficLights.Inputs(st.psi(), st.byMonth(),
        st.csi(), cal.portfolio(), cal.grades(), cal.hl(), drop, rank), vc);
    ValidationResult.Source source = new ValidationResult.Source(in.scores(), format, in.scoreCol(), in.labelCol(),
        in.badValue(), in.higherIsSafe(), in.pdCol(), in.gradeCol(), in.monthCol(), in.baseline(), in.compareCol());
    ValidationResult result = new ValidationResult(source, profile.rows(), profile.excluded(), d, in.developmentAuc(),
        drop, paired, cal.totals(), cal.hl(), cal.grades(), cal.portfolio(), cal.gradeSource(), cal.herfindahl(), rank,
        st.psi(), st.psiBaseline(), st.byMonth(), st.csi(), cutoffs, lights, TrafficLights.verdict(lights),
        ValidationResult.Charts.of(d, distribution, cal.grades(), st.byMonth()), ms);
    write(spark, in.out(), result);
    return result;
  }

  /** The KS score and curve scores back on the raw score's scale (the risk is its negative when higher is safe). */
  static Discrimination.Result onScoreScale(Discrimination.Result d, boolean higherIsSafe) {
    if (!higherIsSafe) {
      return d;
    }
    return new Discrimination.Result(d.n(), d.nBad(), d.auc(), d.gini(), d.ks(),
        d.ksScore() == null ? null : -d.ksScore(), d.aucSe(), d.aucCi95(), d.curve().stream()
            .map(p -> new Discrimination.CurvePoint(-p.score(), p.badShare(), p.goodShare())).toList());
  }

  /** Writes DIR/metrics.json; readers see the old file or the new one, never a half-written one. */
  static void write(SparkSession spark, String out, ValidationResult result) {
    try {
      RunFolder.writeJson(spark, out, "metrics.json", result.toJson());
    } catch (IOException e) {
      throw new CreditRiskException(ErrorCode.INTERNAL, "Cannot write " + out + "/metrics.json: " + e.getMessage(), e);
    }
  }

  /** The table's format: as given, else detected (delta, parquet or csv); a missing path is bad input. */
  private static String format(SparkSession spark, String path, String given, String option) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw Errors.cannotReadTable(path, "it does not exist (" + option + ")");
      }
    } catch (IOException e) {
      throw Errors.cannotReadTable(path, e.getMessage());
    }
    return given != null ? given : BinFeatures.detectFormat(spark, path);
  }

  /** Every missing or mistyped column at once. */
  private static void checkColumns(String path, StructType schema, Input in, boolean scores) {
    List<String> problems = new ArrayList<>();
    List<String> names = Arrays.asList(schema.fieldNames());
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(in.scoreCol(), "--score-col");
    if (scores) {
      wanted.put(in.labelCol(), "--label-col");
      put(wanted, in.pdCol(), "--pd-col");
      put(wanted, in.gradeCol(), "--grade-col");
      put(wanted, in.monthCol(), "--month-col");
      put(wanted, in.compareCol(), "--compare-col");
    }
    in.csiCols().forEach(c -> put(wanted, c, "--csi-cols"));
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      String c = e.getKey();
      if (!names.contains(c)) {
        problems.add("column '" + c + "' does not exist (" + e.getValue() + ")");
        continue;
      }
      DataType t = schema.apply(c).dataType();
      boolean numeric = List.of("--score-col", "--pd-col", "--compare-col", "--csi-cols").contains(e.getValue());
      if (numeric && !(t instanceof NumericType)) {
        problems.add("column '" + c + "' has type " + t.simpleString() + ", not a number (" + e.getValue() + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw Errors.badTableColumns(path, problems, names);
    }
  }

  private static void put(Map<String, String> m, String col, String option) {
    if (col != null) {
      m.putIfAbsent(col, option);
    }
  }

  /**
   * The columns the statistics read, under fixed names: score, risk (higher = riskier), label 0/1,
   * PD, grade, month.
   *
   * @param wholeScores keep the score and the compared score in their integer type when they have
   *     one (for {@link Summary}'s counts); else every score is a double
   */
  static Dataset<Row> prepare(Dataset<Row> raw, Input in, List<Double> gradeBounds, boolean wholeScores) {
    StructType schema = raw.schema();
    Column score = number(schema, in.scoreCol(), wholeScores);
    List<Column> cols = new ArrayList<>(List.of(score.as(SCORE),
        (in.higherIsSafe() ? score.multiply(-1) : score).as(RISK),
        BinFeatures.label(schema.apply(in.labelCol()).dataType(), col(quote(in.labelCol())), in.badValue()).as(LABEL)));
    if (in.pdCol() != null) {
      Column pd = col(quote(in.pdCol())).cast("double");
      cols.add(pd.as(PD));
      cols.add(in.gradeCol() != null ? col(quote(in.gradeCol())).cast("string").as(GRADE)
          : ScoreApplications.grade(pd, gradeBounds).cast("string").as(GRADE));
    } else if (in.gradeCol() != null) {
      cols.add(col(quote(in.gradeCol())).cast("string").as(GRADE));
    }
    if (in.monthCol() != null) {
      // CSV schema inference reads "2024-01" as a timestamp: months are named yyyy-MM again.
      DataType t = schema.apply(in.monthCol()).dataType();
      Column m = col(quote(in.monthCol()));
      cols.add((t instanceof DateType || t instanceof TimestampType ? date_format(m, "yyyy-MM") : m.cast("string"))
          .as(MONTH));
    }
    if (in.compareCol() != null) {
      Column c = number(schema, in.compareCol(), wholeScores);
      cols.add((in.higherIsSafe() ? c.multiply(-1) : c).as(COMPARE));
    }
    in.csiCols().stream().distinct().forEach(c -> cols.add(col(quote(c))));
    return raw.select(cols.toArray(new Column[0]));
  }

  /** A numeric column as a double, or as it is when it holds whole numbers and that is wanted. */
  static Column number(StructType schema, String name, boolean keepWhole) {
    DataType t = schema.apply(name).dataType();
    boolean whole = t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
    return keepWhole && whole ? col(quote(name)) : col(quote(name)).cast("double");
  }

  /** Counts from one pass over the table, for the input checks and the excluded-rows report. */
  record Profile(long rows, long nullLabel, long otherLabel, long bads, long goods, long badScore, long badPd,
      long badCompare, Double minScore, Double maxScore) {
    Map<String, Long> excluded() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("null_label", nullLabel);
      return m;
    }

    void check(Input in) {
      List<String> problems = new ArrayList<>();
      if (otherLabel > 0) {
        problems.add("column '" + in.labelCol() + "' must hold 0/1 (1 = bad), or name the bad value with --bad-value; "
            + "found " + otherLabel + " rows with other values");
      }
      if (badScore > 0) {
        problems.add("column '" + in.scoreCol() + "' has " + badScore + " null or NaN scores among the labelled rows "
            + "(--score-col; drop or score those rows)");
      }
      if (badPd > 0) {
        problems.add("column '" + in.pdCol() + "' has " + badPd + " null, NaN or out-of-[0, 1] PDs among the labelled "
            + "rows (--pd-col)");
      }
      if (badCompare > 0) {
        problems.add("column '" + in.compareCol() + "' has " + badCompare + " null or NaN scores among the labelled "
            + "rows (--compare-col)");
      }
      if (otherLabel == 0 && (bads == 0 || goods == 0)) {
        problems.add("column '" + in.labelCol() + "' has one class only among " + (bads + goods) + " labelled rows ("
            + bads + " bad, " + goods + " good)" + (in.badValue() != null && bads == 0
                ? "; --bad-value " + in.badValue() + " does not occur" : ""));
      }
      if (!problems.isEmpty()) {
        throw Errors.badTableColumns(in.scores(), problems, null);
      }
    }
  }

  static Profile profile(Dataset<Row> prepared, Input in) {
    Column labelled = col(LABEL).isNotNull();
    Column label = col(LABEL);
    Column badScore = col(SCORE).isNull().or(col(SCORE).isNaN());
    List<Column> aggs = new ArrayList<>(List.of(count(lit(1)), countIf(label.isNull()),
        countIf(labelled.and(label.isNaN().or(label.notEqual(0).and(label.notEqual(1))))),
        countIf(label.equalTo(1)), countIf(label.equalTo(0)), countIf(labelled.and(badScore)),
        in.pdCol() == null ? lit(0L) : countIf(labelled.and(col(PD).isNull().or(col(PD).isNaN())
            .or(col(PD).lt(0)).or(col(PD).gt(1)))),
        in.compareCol() == null ? lit(0L) : countIf(labelled.and(col(COMPARE).isNull().or(col(COMPARE).isNaN()))),
        min(when(labelled.and(badScore.unary_$bang()), col(SCORE))),
        max(when(labelled.and(badScore.unary_$bang()), col(SCORE)))));
    Row r = prepared.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    return new Profile(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
        r.getLong(6), r.getLong(7), r.isNullAt(8) ? null : r.getDouble(8), r.isNullAt(9) ? null : r.getDouble(9));
  }

  private static Column countIf(Column c) {
    return sum(when(c, 1L).otherwise(0L));
  }

  /** Equal-width bins of the score between its lowest and highest value, for a chart. */
  private record Bins(double lo, double hi, double width, int k) {
    static Bins of(double lo, double hi, int bins) {
      return hi > lo ? new Bins(lo, hi, (hi - lo) / bins, bins) : new Bins(lo, hi, 1, 1);
    }

    List<ValidationResult.DistributionBin> toList(long[] goods, long[] bads) {
      List<ValidationResult.DistributionBin> out = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        out.add(new ValidationResult.DistributionBin(lo + i * width, i == k - 1 ? hi : lo + (i + 1) * width,
            goods[i], bads[i]));
      }
      return List.copyOf(out);
    }
  }

  /** The same bins from the distinct scores' counts. */
  static List<ValidationResult.DistributionBin> distribution(Summary.Groups scores, Double lo, Double hi, int bins) {
    if (lo == null) {
      return List.of();
    }
    Bins b = Bins.of(lo, hi, bins);
    long[] goods = new long[b.k()];
    long[] bads = new long[b.k()];
    for (int i = 0; i < scores.values().length; i++) {
      // The same double arithmetic as the distributed query's floor((score - lo) / width).
      int bin = (int) Math.min(Math.floor((scores.values()[i] - lo) / b.width()), b.k() - 1);
      goods[bin] += scores.goods()[i];
      bads[bin] += scores.bads()[i];
    }
    return b.toList(goods, bads);
  }

  /** Goods and bads per equal-width score bin between the lowest and the highest score, for a chart. */
  static List<ValidationResult.DistributionBin> distribution(Dataset<Row> rows, Double lo, Double hi, int bins) {
    if (lo == null) {
      return List.of();
    }
    Bins b = Bins.of(lo, hi, bins);
    long[] goods = new long[b.k()];
    long[] bads = new long[b.k()];
    for (Row r : rows.groupBy(least(floor(col(SCORE).minus(lo).divide(b.width())), lit(b.k() - 1)).cast("int")
        .as("bin")).agg(countIf(col(LABEL).equalTo(0)), countIf(col(LABEL).equalTo(1))).collectAsList()) {
      goods[r.getInt(0)] = r.getLong(1);
      bads[r.getInt(0)] = r.getLong(2);
    }
    return b.toList(goods, bads);
  }
}
