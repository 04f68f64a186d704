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
 * metrics.json agrees (numbers to 1e-9 relative: sums of PDs are added in another order).
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
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(List.of("validation.summary_max_groups=" + maxGroups));
    return ValidateScores.validate(conf, in, "parquet", rows, baseline);
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
