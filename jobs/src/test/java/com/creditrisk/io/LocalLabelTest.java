package com.creditrisk.io;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.binning.BinFeatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalLabel, the label rule of both local reads, against BinFeatures.label on Spark's inferred
 * column: for each label column and --bad-value of the table, the local rule either takes the
 * column, and then every row's class is Spark's (1.0 bad, 0.0 good, null unlabeled), or leaves it to
 * Spark, as it must whenever Spark's label holds a value fit rejects (NaN, or neither 0 nor 1).
 * Each case's expected outcome is written beside it, so no kind goes untested.
 */
class LocalLabelTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  /** A label column, its --bad-value, and whether the local rule takes it (else the reason's start). */
  private record Case(String name, List<String> cells, String badValue, String sparkBecause) {}

  private static final List<Case> CASES = List.of(
      new Case("zero-one", List.of("0", "1", "", "1.0", "0", "-0"), null, null),
      new Case("two", List.of("0", "2", "1"), null, "a label other than 0/1"),
      new Case("words", List.of("paid", "default", "", "paid"), "default", null),
      new Case("words-no-bad-value", List.of("paid", "default"), null, "a label that is not a number"),
      new Case("number-reads-differ", List.of("1", "paid", "2.0"), "2", "a text label whose numbers"),
      new Case("numbers-in-text", List.of("1", "paid", "2", ""), "2", null),
      new Case("booleans", List.of("true", "false", "", "true"), "true", null),
      new Case("booleans-capital-bad-value", List.of("true", "false"), "TRUE", null),
      new Case("booleans-no-bad-value", List.of("true", "false"), null, "a label that is not a number"),
      new Case("numbers-text-bad-value", List.of("1", "2", "3"), "abc", "a numeric label with a --bad-value"),
      new Case("numbers-numeric-bad-value", List.of("3", "5", "5.0", ""), "5.0", null),
      new Case("other-text-beside-a-word", List.of("n/a", "paid", "default", "Ünter"), "default", null),
      new Case("other-text-alone", List.of("n/a", "1"), "1", "a label column whose type"),
      new Case("capitalised-true-beside-a-word", List.of("True", "paid"), "True", null),
      new Case("scale-0-exponent-beside-a-word", List.of("1E0", "paid", "1"), "1", null),
      new Case("padded", List.of(" paid", "paid"), "paid", "a label cell padded"),
      new Case("booleans-and-numbers", List.of("1", "true", "0"), "true", "a label column whose type"),
      new Case("empty", List.of("", ""), "1", "a label column with no value"));

  @Test
  void eachLabelIsSparksClassOrLeftToSpark() throws Exception {
    for (Case c : CASES) {
      StringBuilder sb = new StringBuilder("i,label\n");
      for (int i = 0; i < c.cells().size(); i++) {
        sb.append(i).append(',').append(c.cells().get(i)).append('\n');
      }
      Path p = dir.resolve(c.name() + ".csv");
      Files.writeString(p, sb, StandardCharsets.UTF_8);
      Dataset<Row> df = BinFeatures.read(spark, p.toString(), "csv");
      List<Row> rows = df.select(col("i"), BinFeatures.label(df.schema().apply("label").dataType(), col("label"),
          c.badValue()).as("y")).orderBy("i").collectAsList();
      boolean sparkInvalid = rows.stream().anyMatch(r -> !r.isNullAt(1) && r.getDouble(1) != 0.0
          && r.getDouble(1) != 1.0);

      LocalLabel rule = new LocalLabel(c.badValue());
      LocalLabel.Seen seen = new LocalLabel.Seen();
      List<Integer> classes = new ArrayList<>();
      String because = null;
      try {
        for (String cell : c.cells()) {
          byte[] b = ("," + cell).getBytes(StandardCharsets.UTF_8);
          classes.add(rule.classOf(b, 1, b.length, seen));
        }
        rule.check(seen);
      } catch (LocalCsv.NotLocal e) {
        because = e.getMessage();
      }
      if (c.sparkBecause() != null) {
        assertTrue(because != null && because.startsWith(c.sparkBecause()), c.name() + ": " + because);
        continue;
      }
      assertEquals(null, because, c.name());
      assertTrue(!sparkInvalid, c.name() + ": Spark's label is invalid, yet the local rule took it");
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        int expected = r.isNullAt(1) ? LocalLabel.UNLABELED : r.getDouble(1) == 1.0 ? LocalLabel.BAD : LocalLabel.GOOD;
        assertEquals(expected, classes.get(i), c.name() + " row " + i + " '" + c.cells().get(i) + "'");
      }
    }
  }
}
