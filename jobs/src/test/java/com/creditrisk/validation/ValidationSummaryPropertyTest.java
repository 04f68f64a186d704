package com.creditrisk.validation;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkJobCounter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pack's two ways to the same numbers: every statistic from the one-pass summary's counts on
 * the driver, and every statistic as its own distributed pass (summary_max_groups = 0, or too many
 * distinct values). On generated tables with heavy ties, in both score orientations, with a PD, a
 * grade column or none, months, a compared model, a baseline and CSI features, the whole
 * metrics.json agrees (numbers to 1e-9 relative: sums of PDs are added in another order). A
 * fractional score with only the score's statistics goes the sorted groups' way instead of the
 * distributed passes: it gives the counts engine's metrics.json to the last digit, ties or none,
 * in both orientations, with and without a baseline.
 */
class ValidationSummaryPropertyTest {
  private final SparkSession spark = TestSpark.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** A table of n rows: scores on a grid of `levels` values (ties), labels from a logistic of the score. */
  private Dataset<Row> table(long seed, int n, int levels, double shift) {
    return spark.range(0, n, 1, 3)
        .withColumn("score", expr("cast(300 + " + shift + " + floor(rand(" + seed + ") * " + levels + ") * 7 as int)"))
        .withColumn("pd", expr("round(1 / (1 + exp((score - 330 - " + (levels * 3.5) + ") / 40.0)), 2)"))
        .withColumn("grade", expr("cast(floor(pd * 4) as string)"))
        .withColumn("score2", expr("score + cast(floor(rand(" + (seed + 1) + ") * 5) as int) * 11"))
        .withColumn("month", expr("concat('2025-0', cast(1 + floor(rand(" + (seed + 2) + ") * 4) as string))"))
        .withColumn("feature", expr("floor(rand(" + (seed + 3) + ") * 6)"))
        .withColumn("label", expr("CASE WHEN rand(" + (seed + 4) + ") < pd THEN 1 ELSE 0 END"))
        .drop("id");
  }

  private ValidationResult run(Dataset<Row> rows, Dataset<Row> baseline, ValidateScores.Input in, int maxGroups) {
    return run(rows, baseline, in, maxGroups, "parquet");
  }

  /**
   * @param format as the table was read: a fractional score in a Parquet table goes to the sorted
   *     groups whatever its size; a CSV's size (a few KB here) shows that its rows fit the counts
   */
  private ValidationResult run(Dataset<Row> rows, Dataset<Row> baseline, ValidateScores.Input in, int maxGroups,
      String format) {
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(List.of("validation.summary_max_groups=" + maxGroups));
    return ValidateScores.validate(conf, in, format, rows, baseline);
  }

  private ValidateScores.Input input(boolean safe, String pd, String grade, String month, String baseline,
      String compare, List<String> csi, String out) {
    return new ValidateScores.Input("generated", null, "score", "label", null, safe, pd, grade, month, baseline,
        compare, csi, List.of(0.05, 0.2, 0.6), 0.9, dir.resolve(out).toString());
  }

  @Test
  void summaryAndDistributedPassesGiveTheSameMetricsOnGeneratedTables() {
    int cases = 0;
    for (long seed = 1; seed <= 6; seed++) {
      int n = 200 + (int) (seed * 397 % 1500);
      int levels = 3 + (int) (seed * 13 % 40);
      Dataset<Row> rows = table(seed * 100, n, levels, 0).cache();
      Dataset<Row> baseline = table(seed * 100 + 50, n / 2 + 100, levels, seed % 2 == 0 ? 7 : 0).cache();
      boolean safe = seed % 2 == 1;
      List<ValidateScores.Input> inputs = List.of(
          input(safe, "pd", null, "month", "baseline", "score2", List.of("feature"), "a" + seed),
          input(!safe, null, "grade", "month", null, null, List.of(), "b" + seed),
          input(safe, "pd", "grade", null, "baseline", "score2", List.of(), "c" + seed),
          input(!safe, null, null, null, null, "score2", List.of(), "d" + seed));
      for (ValidateScores.Input in : inputs) {
        Dataset<Row> base = in.baseline() == null ? null : baseline;
        ValidationResult local = run(rows, base, in, 500_000);
        ValidationResult distributed = run(rows, base, in, 0);
        assertFalse(local.timingsMs().containsKey("profile"), "the summary's path ran");
        assertTrue(distributed.timingsMs().containsKey("profile"), "the distributed path ran");
        assertSame(JSON.valueToTree(distributed.toJson()), JSON.valueToTree(local.toJson()),
            "seed " + seed + " " + in.out());
        cases++;
      }
      rows.unpersist();
      baseline.unpersist();
    }
    assertEquals(24, cases);
  }

  @Test
  void tooManyDistinctValuesFallBackToTheDistributedPassWithTheSameAnswer() {
    Dataset<Row> rows = table(7, 600, 30, 0).cache();
    ValidateScores.Input in = input(true, "pd", null, "month", null, "score2", List.of(), "fallback");
    ValidationResult bounded = run(rows, null, in, 10);
    ValidationResult local = run(rows, null, in, 500_000);
    assertTrue(bounded.timingsMs().containsKey("profile"), "more than 10 groups: the distributed path");
    assertFalse(local.timingsMs().containsKey("profile"));
    assertSame(JSON.valueToTree(bounded.toJson()), JSON.valueToTree(local.toJson()), "fallback");
    rows.unpersist();
  }

  @Test
  void theWholePackIsOneSparkJobWhateverTheStatistics() {
    Dataset<Row> rows = table(11, 2000, 25, 0);
    Dataset<Row> baseline = table(12, 800, 25, 7);
    ValidateScores.Input in = input(true, "pd", null, "month", "baseline", "score2", List.of("feature"), "jobs");
    int jobs;
    try (SparkJobCounter counter = SparkJobCounter.start(spark)) {
      run(rows, baseline, in, 500_000);
      jobs = counter.jobs();
    }
    // One job: the summary's aggregation and its collect; nothing per statistic (the distributed
    // path takes about 60). Adaptive execution could run the shuffle's map stage as a job of its own.
    assertTrue(jobs >= 1 && jobs <= 2, "Spark jobs: " + jobs);
  }

  /**
   * A table of n rows with a fractional score: on a grid of `levels` values (ties) when levels > 0,
   * else continuous (about one distinct value per row); labels from a logistic of the score, about
   * 5% of them null (left out, and counted as excluded).
   */
  private Dataset<Row> fractional(long seed, int n, int levels, double shift) {
    String score = levels > 0 ? "300.25 + " + shift + " + floor(rand(" + seed + ") * " + levels + ") * 7"
        : "300 + " + shift + " + rand(" + seed + ") * 300";
    return spark.range(0, n, 1, 3)
        .withColumn("score", expr("cast(" + score + " as double)"))
        .withColumn("p", expr("1 / (1 + exp((score - 450) / 40.0))"))
        .withColumn("label", expr("CASE WHEN rand(" + (seed + 1) + ") < 0.05 THEN NULL WHEN rand(" + (seed + 2)
            + ") < p THEN 1 ELSE 0 END"))
        .drop("id", "p");
  }

  /** metrics.json as a tree without its timings, which differ by nature. */
  private static JsonNode withoutTimings(ValidationResult r) {
    ObjectNode tree = JSON.valueToTree(r.toJson());
    tree.remove("timings_ms");
    return tree;
  }

  @Test
  void sortedGroupsGiveTheCountsEnginesMetricsToTheLastDigitOnFractionalScores() {
    int cases = 0;
    for (long seed = 1; seed <= 4; seed++) {
      int n = 300 + (int) (seed * 397 % 1500);
      // Ties on a grid for odd seeds, continuous for even ones.
      int levels = seed % 2 == 1 ? 3 + (int) (seed * 13 % 40) : 0;
      Dataset<Row> rows = fractional(seed * 100, n, levels, 0).cache();
      Dataset<Row> baseline = fractional(seed * 100 + 50, n / 2 + 100, levels, seed <= 2 ? 7 : 0).cache();
      for (boolean safe : List.of(true, false)) {
        for (Dataset<Row> base : java.util.Arrays.asList(baseline, null)) {
          ValidateScores.Input in = input(safe, null, null, null, base == null ? null : "baseline", null, List.of(),
              "f" + seed + safe + (base == null));
          ValidationResult counts = run(rows, base, in, 500_000, "csv");
          ValidationResult sorted = run(rows, base, in, 0, "csv");
          assertTrue(counts.timingsMs().containsKey("summary"), "the counts engine ran");
          assertTrue(sorted.timingsMs().containsKey("score_groups"), "the sorted engine ran");
          assertFalse(sorted.timingsMs().containsKey("summary"), "no counting job before the sorted groups");
          assertEquals(withoutTimings(counts), withoutTimings(sorted), "seed " + seed + " " + in.out());
          cases++;
        }
      }
      rows.unpersist();
      baseline.unpersist();
    }
    assertEquals(16, cases);
  }

  @Test
  void aFractionalScoreOutsideACsvSkipsTheCountingJobAndTakesAFewSparkJobs() {
    // Continuous: one distinct value per row, as a full-precision PD has.
    Dataset<Row> rows = fractional(21, 3000, 0, 0).cache();
    Dataset<Row> baseline = fractional(22, 1000, 0, 0).cache();
    rows.count();
    baseline.count();
    ValidateScores.Input in = input(false, null, null, null, "baseline", null, List.of(), "few-jobs");
    int jobs;
    ValidationResult r;
    try (SparkJobCounter counter = SparkJobCounter.start(spark)) {
      r = run(rows, baseline, in, 500_000);
      jobs = counter.jobs();
    }
    assertTrue(r.timingsMs().containsKey("score_groups"), "picked by the score's type: " + r.timingsMs().keySet());
    assertFalse(r.timingsMs().containsKey("summary"), "no counting job first");
    // The scores' sort (its sample, then the partitions' totals and one pass over them) and the
    // baseline's (the same three), whatever the rows; the distributed engine took 33 at 1M rows.
    assertTrue(jobs >= 4 && jobs <= 8, "Spark jobs: " + jobs);
    rows.unpersist();
    baseline.unpersist();
  }

  /** Equal JSON trees, numbers to 1e-9 relative; the timings differ by nature and are skipped. */
  private static void assertSame(JsonNode expected, JsonNode actual, String path) {
    if (expected.isNumber() && actual.isNumber()) {
      double e = expected.asDouble();
      double a = actual.asDouble();
      assertEquals(e, a, 1e-9 * Math.max(Math.abs(e), 1e-12), path);
      return;
    }
    assertEquals(expected.getNodeType(), actual.getNodeType(), path);
    if (expected.isObject()) {
      assertEquals(iterable(expected.fieldNames()), iterable(actual.fieldNames()), path);
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!f.getKey().equals("timings_ms")) {
          assertSame(f.getValue(), actual.get(f.getKey()), path + "." + f.getKey());
        }
      }
    } else if (expected.isArray()) {
      assertEquals(expected.size(), actual.size(), path);
      for (int i = 0; i < expected.size(); i++) {
        assertSame(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
