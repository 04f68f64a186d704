package com.creditrisk.validation;

import static com.creditrisk.run.Timings.timed;

import com.creditrisk.binning.BinFeatures;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.config.ValidationKeys;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.LocalCsv;
import com.creditrisk.metrics.Discrimination;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The validation pack on any scored table (CSV, Parquet or Delta), with no as-of date: reads and
 * checks the table (every problem found is reported at once, exit 3), computes the exact
 * statistics with a {@link ValidationEngine}, the traffic lights and the verdict. Computes only:
 * the {@link ValidationResult} it returns is what the caller writes (metrics.json,
 * {@link MetricsFile}) and a report renders.
 */
public final class ValidateScores {
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

  /**
   * What {@link #runLocal} did: the pack and the Hadoop settings to write it with, or why Spark must
   * read the files instead (result null).
   */
  public record Local(ValidationResult result, org.apache.hadoop.conf.Configuration hadoopConf, String sparkBecause) {}

  /**
   * The pack computed in this JVM without starting Spark, when all hold: a score and label with at
   * most {@code --bad-value}, {@code --baseline}, {@code --target-bad-rate} and {@code --dev-auc},
   * files that pass {@link LocalCsv#eligible} (validation.local_max_bytes, for the files together),
   * and cells {@link LocalScores} can vouch for. The counts are the ones
   * {@link DistinctValueCounts#of} gives, and {@link CountsEngine} computes every figure from them,
   * as on the Spark path: the same metrics.json. Decided before any output; input errors, and any
   * unexpected failure of the read ({@link LocalCsv#attempt}), are all left to the Spark path.
   */
  public static Local runLocal(CreditRiskConfig conf, Input in) {
    if (in.pdCol() != null || in.gradeCol() != null || in.monthCol() != null || in.compareCol() != null
        || !in.csiCols().isEmpty()) {
      return new Local(null, null, "--pd-col, --grade-col, --month-col, --compare-col and --csi-cols need Spark");
    }
    LocalCsv.Eligible ok = LocalCsv.eligible(conf, ValidationKeys.LOCAL_MAX_BYTES, in.format(), in.scores(),
        in.baseline());
    if (ok.sparkBecause() != null) {
      return new Local(null, null, ok.sparkBecause());
    }
    Map<String, Long> ms = new LinkedHashMap<>();
    LocalCsv.Outcome<DistinctValueCounts> read = timed(ms, "summary",
        () -> LocalCsv.attempt("validate", () -> LocalScores.count(ok.files().get(0), ok.files().get(1), in)));
    DistinctValueCounts counts = read.value();
    if (counts == null) {
      return new Local(null, null, read.sparkBecause());
    }
    org.apache.hadoop.conf.Configuration hadoopConf = ok.hadoopConf();
    try (ValidationEngine engine = new CountsEngine(counts, in, conf.validation(), ms)) {
      return new Local(pack(engine, conf, in, "csv", ms), hadoopConf, null);
    }
  }

  /** Reads the scored table (and the baseline), checks their columns, and computes the pack. */
  public static ValidationResult run(SparkSession spark, CreditRiskConfig conf, Input in) {
    String format = format(spark, in.scores(), in.format(), "--scores");
    if (format.equals("csv") && SortedEngine.covers(in)) {
      ValidationResult r = plainNumbers(spark, conf, in);
      if (r != null) {
        return r;
      }
    }
    Dataset<Row> raw = BinFeatures.read(spark, in.scores(), format);
    checkColumns(in.scores(), raw.schema(), in, true);
    return validate(conf, in, format, raw, baseline(spark, in));
  }

  /**
   * The pack from a CSV whose score and label are read as plain numbers ({@link PlainNumbers}),
   * without the pass of schema inference; null when that read cannot vouch for the same answer
   * (too few rows for the sorted engine, a missing column, a bad baseline, a cell that is not a
   * plain number, no score at all): the read with inference then computes or reports as before.
   */
  private static ValidationResult plainNumbers(SparkSession spark, CreditRiskConfig conf, Input in) {
    int maxGroups = conf.validation().summaryMaxGroups();
    // Decided by the file's size before its header is read: a CSV too small for the sorted engine
    // is read once, with inference, as before.
    if (!SortedEngine.continuousCsv(bytes(spark, in.scores()), maxGroups)) {
      return null;
    }
    Dataset<Row> plain = PlainNumbers.read(spark, in.scores(), List.of(in.scoreCol(), in.labelCol()));
    if (plain == null || !SortedEngine.continuous(plain, "csv", in, maxGroups) || wholeAtStart(plain, in.scoreCol())) {
      return null;
    }
    Dataset<Row> baselineRaw;
    try {
      checkColumns(in.scores(), PlainNumbers.columns(plain.schema()), in, true);
      baselineRaw = baseline(spark, in);
    } catch (CreditRiskException e) {
      // Reported by the read with inference, with the problems it finds in the same order.
      return null;
    }
    try {
      return validate(conf, in, "csv", plain, baselineRaw);
    } catch (PlainNumbers.NotPlain e) {
      return null;
    }
  }

  /** Rows looked at by {@link #wholeAtStart}. */
  static final int WHOLE_SAMPLE_ROWS = 1000;

  /**
   * Whether the score's first values (up to {@link #WHOLE_SAMPLE_ROWS} of them) are all whole
   * numbers, as a consumer score's are: inference then types the column as an integer and the
   * counts engine counts it per distinct value in one job, fewer than the sorted engine needs. Only
   * the plan depends on this look; every engine gives the same answers.
   */
  private static boolean wholeAtStart(Dataset<Row> plain, String scoreCol) {
    List<Row> first = plain.select(org.apache.spark.sql.functions.col(BinFeatures.quote(scoreCol)))
        .where(org.apache.spark.sql.functions.col(BinFeatures.quote(scoreCol)).isNotNull())
        .limit(WHOLE_SAMPLE_ROWS).collectAsList();
    return !first.isEmpty() && first.stream().allMatch(r -> {
      double v = r.getDouble(0);
      return !Double.isInfinite(v) && v == Math.rint(v);
    });
  }

  /** The bytes under a path (a file, or a folder of them). */
  private static long bytes(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getContentSummary(p).getLength();
    } catch (IOException e) {
      throw Errors.cannotReadTable(path, e.getMessage());
    }
  }

  /** The baseline table, read and its columns checked; null without one. */
  private static Dataset<Row> baseline(SparkSession spark, Input in) {
    if (in.baseline() == null) {
      return null;
    }
    Dataset<Row> baselineRaw = BinFeatures.read(spark, in.baseline(), format(spark, in.baseline(), null, "--baseline"));
    checkColumns(in.baseline(), baselineRaw.schema(), in, false);
    return baselineRaw;
  }

  /**
   * The pack on tables already read (and their columns checked): checks the rows, then every
   * statistic by the engine {@code validation.summary_max_groups} picks, then the lights.
   */
  public static ValidationResult validate(CreditRiskConfig conf, Input in, String format, Dataset<Row> raw,
      Dataset<Row> baselineRaw) {
    Map<String, Long> ms = new LinkedHashMap<>();
    try (ValidationEngine engine = ValidationEngine.open(raw, format, baselineRaw, in, conf, ms)) {
      return pack(engine, conf, in, format, ms);
    }
  }

  /** Every statistic from the engine, then the lights and the verdict. */
  private static ValidationResult pack(ValidationEngine engine, CreditRiskConfig conf, Input in, String format,
      Map<String, Long> ms) {
    ValidationConfig vc = conf.validation();
    Profile profile = engine.profile();
    profile.check(in);
    Discrimination.Result d = engine.discrimination();
    Double drop = in.developmentAuc() == null ? null : (in.developmentAuc() - d.auc()) / d.aucSe();
    Discrimination.Paired paired = engine.paired();
    RankOrdering.Result rank = engine.rankOrdering();
    List<ValidationResult.DistributionBin> distribution = engine.distribution();
    ValidationEngine.CalibrationPart cal = engine.calibration();
    ValidationEngine.StabilityPart st = engine.stability();
    List<TargetCutoffs.Cutoff> cutoffs = engine.cutoffs();

    List<TrafficLights.Light> lights = TrafficLights.evaluate(new TrafficLights.Inputs(st.psi(), st.byMonth(),
        st.csi(), cal.portfolio(), cal.grades(), cal.hl(), drop, rank), vc);
    ValidationResult.Source source = new ValidationResult.Source(in.scores(), format, in.scoreCol(),
        in.labelCol(), in.badValue(), in.higherIsSafe(), in.pdCol(), in.gradeCol(), in.monthCol(), in.baseline(),
        in.compareCol());
    return new ValidationResult(source, profile.rows(), profile.excluded(), d, in.developmentAuc(), drop, paired,
        cal.totals(), cal.hl(), cal.grades(), cal.portfolio(), cal.gradeSource(), cal.herfindahl(), rank,
        st.psi(), st.psiBaseline(), st.byMonth(), st.csi(), cutoffs, lights, TrafficLights.verdict(lights),
        ValidationResult.Charts.of(d, distribution, cal.grades(), st.byMonth()), ms);
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
}
