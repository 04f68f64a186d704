package com.creditrisk.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.LocalCsv;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.SmallCells;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-JVM read of a local CSV ({@link ValidateScores#runLocal}) against the Spark path
 * ({@link ValidateScores#run}) on generated files: whenever the local read takes a file, its
 * metrics.json is the Spark path's, byte for byte (the wall times of timings_ms aside). Spellings:
 * full-precision doubles, whole numbers, ties, exponents, negative zero, empty cells, CRLF; labels
 * 0/1, and words (with text that is no word), numbers or booleans with --bad-value; with and
 * without a baseline, cutoff targets and a development AUC; higher safe and higher risk. Every generated file must be taken, so the
 * comparison is never vacuous.
 */
class LocalScoresPropertyTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A score cell in one of the spellings the local read takes, from a value pool with ties. */
  private static String scoreCell(Random rnd, int kind, double[] pool) {
    double v = pool[rnd.nextInt(pool.length)];
    return switch (kind) {
      case 0 -> Double.toString(v);
      case 1 -> String.valueOf(Math.round(v * 1000));
      case 2 -> String.format(Locale.ROOT, "%.17g", v);
      case 3 -> String.format(Locale.ROOT, "%.6e", v);
      case 4 -> rnd.nextInt(20) == 0 ? (rnd.nextBoolean() ? "-0.0" : "0.0") : String.format(Locale.ROOT, "%.3f", v);
      default -> rnd.nextInt(10) == 0 ? "-0" : String.valueOf(rnd.nextInt(40) - 20);
    };
  }

  private record Case(Path scores, Path baseline, String badValue, boolean higherIsSafe, List<Double> targets,
      Double devAuc) {}

  private Case generate(long seed) throws Exception {
    Random rnd = new Random(seed);
    int rows = 50 + rnd.nextInt(700);
    int kind = rnd.nextInt(6);
    double[] pool = new double[1 + rnd.nextInt(rows)];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = rnd.nextGaussian() * (kind == 1 ? 1 : 0.2);
    }
    int labels = rnd.nextInt(4);
    String eol = rnd.nextBoolean() ? "\r\n" : "\n";
    StringBuilder sb = new StringBuilder("id,score,label,note" + eol);
    for (int i = 0; i < rows; i++) {
      String score = scoreCell(rnd, kind, pool);
      boolean bad = rnd.nextDouble() < 0.3;
      String label = switch (labels) {
        case 0 -> bad ? "1" : "0";
        // A string label, with text that is no word ("n/a"), compared as text all the same.
        case 1 -> bad ? "bad" : rnd.nextInt(3) == 0 ? "n/a" : rnd.nextBoolean() ? "good" : "ok";
        case 2 -> bad ? "2" : "1";
        default -> bad ? "true" : "false";
      };
      if (rnd.nextInt(15) == 0) {
        // An unlabelled row: excluded, counted as null_label, with or without a score.
        label = "";
        score = rnd.nextBoolean() ? "" : score;
      }
      sb.append(i).append(',').append(score).append(',').append(label).append(',')
          .append(rnd.nextBoolean() ? "x" + i : "").append(i == rows - 1 && rnd.nextBoolean() ? "" : eol);
    }
    Path scores = dir.resolve("scores-" + seed + ".csv");
    Files.writeString(scores, sb.toString(), StandardCharsets.UTF_8);
    Path baseline = null;
    if (rnd.nextBoolean()) {
      StringBuilder b = new StringBuilder("score,other\n");
      for (int i = 0; i < 30 + rnd.nextInt(300); i++) {
        b.append(rnd.nextInt(25) == 0 ? "" : scoreCell(rnd, kind, pool)).append(",").append(i).append('\n');
      }
      baseline = dir.resolve("baseline-" + seed + ".csv");
      Files.writeString(baseline, b.toString(), StandardCharsets.UTF_8);
    }
    String badValue = labels == 0 ? (rnd.nextBoolean() ? "1" : null) : labels == 1 ? "bad" : labels == 2 ? "2" : "true";
    List<Double> targets = rnd.nextBoolean() ? List.of(0.1, 0.25) : List.of();
    Double devAuc = rnd.nextBoolean() ? 0.75 : null;
    return new Case(scores, baseline, badValue, rnd.nextBoolean(), targets, devAuc);
  }

  private ValidateScores.Input input(Case c) {
    return new ValidateScores.Input(c.scores().toString(), null, "score", "label", c.badValue(), c.higherIsSafe(),
        null, null, null, c.baseline() == null ? null : c.baseline().toString(), null, List.of(), c.targets(),
        c.devAuc(), dir.resolve("out").toString());
  }

  /** metrics.json as the command writes it, without the wall times. */
  static String metricsJson(ValidationResult r) throws Exception {
    SmallCells cells = new SmallCells(CreditRiskConfig.defaults().minCellCount());
    ReportModel report = ValidationReport.forScores(r, cells);
    ObjectNode tree = JSON.valueToTree(ValidationReport.metricsJson(r, report, cells));
    tree.remove("timings_ms");
    return JSON.writeValueAsString(tree);
  }

  @Test
  void theLocalReadsMetricsJsonIsTheSparkPathsByteForByte() throws Exception {
    CreditRiskConfig conf = CreditRiskConfig.defaults();
    for (long seed = 1; seed <= 24; seed++) {
      Case c = generate(seed);
      ValidateScores.Input in = input(c);
      ValidateScores.Local local = ValidateScores.runLocal(conf, in);
      assertNotNull(local.result(), "seed " + seed + ": " + local.sparkBecause());
      assertEquals(metricsJson(ValidateScores.run(spark, conf, in)), metricsJson(local.result()), "seed " + seed);
    }
  }

  /** Hand-worked: scores 0.2 (good), -0.0 and 0.0 (one good, one bad: one group at 0.0), 1e-1 (bad). */
  @Test
  void groupsAreSparksDistinctDoublesWithNegativeZeroAsZero() throws Exception {
    Path p = dir.resolve("zeros.csv");
    Files.writeString(p, "score,label\r\n0.2,0\r\n-0.0,0\r\n0.0,1\r\n1.0e-1,1\r\n,\r\n");
    DistinctValueCounts c = LocalScores.count(p, null, input(new Case(p, null, null, true, List.of(), null)));
    assertArrayEquals(new double[] {0.0, 0.1, 0.2}, c.scores.values());
    assertEquals(0L, Double.doubleToRawLongBits(c.scores.values()[0]), "0.0, not -0.0");
    assertArrayEquals(new long[] {1, 1, 0}, c.scores.bads());
    assertArrayEquals(new long[] {1, 0, 1}, c.scores.goods());
    assertEquals(new Profile(5, 1, 0, 2, 2, 0, 0, 0, 0.0, 0.2), c.profile);
  }

  /** Cells whose inferred type or conversion the grammar does not vouch for go to Spark. */
  @Test
  void cellsOutsideTheGrammarAreNotReadLocally() {
    for (String cell : List.of("NaN", "Infinity", "+1", " 1", "1 ", "1.", ".5", "15e0", "1.5e1", "1.50E2", "0x10",
        "1d", "1e400", "1234567890123456789", "--1", "1,5")) {
      byte[] b = cell.getBytes(StandardCharsets.UTF_8);
      assertThrows(LocalCsv.NotLocal.class, () -> LocalCsv.number(b, 0, b.length), cell);
    }
    // An exponent of negative scale (1e5, 1.5E7: a double to inference, as DecimalType rejects the scale).
    for (String cell : List.of("1", "-0", "007", "0.1", "-3.25", "1.5e-3", "2.50E1", "123456789012345678", "1e5",
        "1E5", "1.5E7", "1.0E10")) {
      byte[] b = cell.getBytes(StandardCharsets.UTF_8);
      assertEquals(Double.parseDouble(cell), LocalCsv.number(b, 0, b.length), cell);
    }
  }

  /**
   * The fast conversion is Double.parseDouble's, bit for bit, on a million cells of the grammar:
   * 1 to 19 significant digits, values from subnormal to 1e300, halfway-looking digit strings.
   */
  @Test
  void theConversionIsParseDoublesOnAMillionCells() {
    Random rnd = new Random(19);
    int compared = 0;
    for (int i = 0; i < 1_000_000; i++) {
      String cell = switch (i % 4) {
        case 0 -> Double.toString(Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL));
        case 1 -> String.format(Locale.ROOT, "%.17f", rnd.nextDouble() * 0.3);
        case 2 -> String.valueOf(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20));
        default -> (rnd.nextBoolean() ? "-" : "") + (rnd.nextLong() >>> (1 + rnd.nextInt(63))) + "."
            + (rnd.nextBoolean() ? "5" : String.valueOf(rnd.nextLong() >>> 1)) + "e-" + rnd.nextInt(20);
      };
      byte[] b = cell.getBytes(StandardCharsets.UTF_8);
      double expected = Double.parseDouble(cell);
      double actual;
      try {
        actual = LocalCsv.number(b, 0, b.length);
      } catch (LocalCsv.NotLocal e) {
        continue;
      }
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), cell);
      compared++;
    }
    assertTrue(compared > 600_000, "compared " + compared);
  }

  @Test
  void aFileOverTheBoundOrWithTheKeyAtZeroGoesToSpark() throws Exception {
    Case c = generate(3);
    ValidateScores.Input in = input(c);
    assertNull(ValidateScores.runLocal(CreditRiskConfig.defaults().with(List.of("validation.local_max_bytes=0")), in)
        .result());
    ValidateScores.Local small = ValidateScores.runLocal(CreditRiskConfig.defaults()
        .with(List.of("validation.local_max_bytes=100")), in);
    assertNull(small.result());
    assertEquals(true, small.sparkBecause().contains("over validation.local_max_bytes 100"), small.sparkBecause());
  }

  /**
   * A spark.sql.* setting outside the short list a local read may leave aside goes to Spark, as
   * does a listed one with a value the session would reject; spark.sql.shuffle.partitions=8
   * (conf/local.conf) stays local.
   */
  @Test
  void aSparkSqlSettingOutsideTheListGoesToSpark() throws Exception {
    ValidateScores.Input in = input(generate(4));
    ValidateScores.Local sensitive = ValidateScores.runLocal(CreditRiskConfig.defaults()
        .with(List.of("spark.conf.spark.sql.caseSensitive=true")), in);
    assertNull(sensitive.result());
    assertEquals("the Spark setting spark.sql.caseSensitive=true", sensitive.sparkBecause());
    ValidateScores.Local bad = ValidateScores.runLocal(CreditRiskConfig.defaults()
        .with(List.of("spark.conf.spark.sql.shuffle.partitions=abc")), in);
    assertEquals("the Spark setting spark.sql.shuffle.partitions=abc", bad.sparkBecause());
    ValidateScores.Local eight = ValidateScores.runLocal(CreditRiskConfig.defaults()
        .with(List.of("spark.conf.spark.sql.shuffle.partitions=8", "spark.conf.spark.sql.adaptive.enabled=true")), in);
    assertNotNull(eight.result(), eight.sparkBecause());
  }

  /**
   * Files count in the JVM only within a tenth of its maximum heap: under bin/credit-risk's
   * default -Xmx4g the default bound (256 MiB) fits; under -Xmx1g it goes to Spark, which spills.
   */
  @Test
  void filesOverATenthOfTheHeapGoToSpark() {
    assertTrue(com.creditrisk.io.LocalCsv.fitsHeap(400, 4000));
    assertFalse(com.creditrisk.io.LocalCsv.fitsHeap(401, 4000));
    assertTrue(com.creditrisk.io.LocalCsv.fitsHeap(256L << 20, 4L << 30));
    assertFalse(com.creditrisk.io.LocalCsv.fitsHeap(256L << 20, 1L << 30));
  }

  @Test
  void optionsThatNeedSparkGoToSpark() throws Exception {
    Case c = generate(5);
    ValidateScores.Input in = input(c);
    ValidateScores.Input withPd = new ValidateScores.Input(in.scores(), null, "score", "label", in.badValue(),
        in.higherIsSafe(), "score", null, null, null, null, List.of(), List.of(), null, in.out());
    assertNull(ValidateScores.runLocal(CreditRiskConfig.defaults(), withPd).result());
    ValidateScores.Input parquet = new ValidateScores.Input(in.scores(), "parquet", "score", "label", in.badValue(),
        in.higherIsSafe(), null, null, null, null, null, List.of(), List.of(), null, in.out());
    assertNull(ValidateScores.runLocal(CreditRiskConfig.defaults(), parquet).result());
  }

  /** Both halves of a file past the split size, read by two threads, count every row once. */
  @Test
  void aFileReadInTwoHalvesCountsEveryRowOnce() throws Exception {
    Path p = dir.resolve("large.csv");
    StringBuilder sb = new StringBuilder("score,label\n");
    List<Double> scores = new ArrayList<>();
    Random rnd = new Random(7);
    int n = 400_000;
    long bads = 0;
    for (int i = 0; i < n; i++) {
      double s = rnd.nextDouble();
      scores.add(s);
      boolean bad = i % 7 == 0;
      bads += bad ? 1 : 0;
      sb.append(s).append(',').append(bad ? 1 : 0).append('\n');
    }
    Files.writeString(p, sb.toString());
    DistinctValueCounts c = LocalScores.count(p, null, input(new Case(p, null, null, false, List.of(), null)));
    assertEquals(n, c.profile.rows());
    assertEquals(bads, c.profile.bads());
    assertEquals(scores.stream().distinct().count(), c.scores.values().length);
    assertEquals(scores.stream().mapToDouble(Double::doubleValue).min().getAsDouble(), c.profile.minScore());
  }
}
