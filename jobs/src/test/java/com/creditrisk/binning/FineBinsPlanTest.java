package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-shuffle fine-bin plan ({@link FineBins#table}) gives the very rows of the window plan it
 * replaced ({@link WindowFineBins}) on generated data: ties, nulls, NaN, -0.0, special codes,
 * strings, booleans, a one-valued column, every label outcome, counted and passed-through cells.
 */
class FineBinsPlanTest {
  private static final StructType SCHEMA = Rows.schema("cont double", "ties double", "one double", "code int",
      "grade string", "flag boolean", "label double");
  private static final List<String> FEATURES = List.of("cont", "ties", "one", "code", "grade", "flag");
  private static final Set<String> CATEGORICAL = Set.of("grade", "flag");
  private static final double[] SPECIALS = {-9.0, -8.0};

  /**
   * {@code n} seeded rows. cont: full-precision doubles (log-normal, some negative), 4% null, 2%
   * NaN, 3% -9, 2% each of 0.0 and -0.0, a few repeated values; ties: a dozen values, a third on
   * one; one: 1.5 always; code: integers 0..40 with -9 and -8 codes and nulls; grade: 6 strings
   * and nulls; flag: a boolean. The label by {@code labels}: mixed (0/1 with 5% null), bad (all
   * 1), invalid (2 and NaN among 0/1) or none (all null).
   */
  static Dataset<Row> generated(long seed, int n, String labels) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    String[] grades = {"A", "B", "C", "D", "E", "G\u00e9"};
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      Double cont = u < 0.04 ? null : u < 0.06 ? Double.NaN : u < 0.09 ? -9.0 : u < 0.11 ? 0.0 : u < 0.13 ? -0.0
          : u < 0.16 ? 3.25 : (r.nextBoolean() ? 1 : -1) * Math.exp(r.nextGaussian() * 2);
      double ties = r.nextDouble() < 0.33 ? 5.0 : Math.floor(r.nextGaussian() * 3);
      double c = r.nextDouble();
      Integer code = c < 0.05 ? null : c < 0.1 ? -9 : c < 0.12 ? -8 : r.nextInt(41);
      String grade = r.nextDouble() < 0.03 ? null : grades[r.nextInt(grades.length)];
      Boolean flag = r.nextDouble() < 0.02 ? null : r.nextBoolean();
      double p = 1 / (1 + Math.exp(-(ties / 3 + (cont == null || cont.isNaN() ? 0.5 : -0.1 * cont))));
      Double label = switch (labels) {
        case "bad" -> 1.0;
        case "none" -> null;
        case "invalid" -> i % 97 == 0 ? 2.0 : i % 89 == 0 ? Double.NaN : r.nextDouble() < p ? 1.0 : 0.0;
        default -> r.nextDouble() < 0.05 ? null : r.nextDouble() < p ? 1.0 : 0.0;
      };
      rows.add(new Object[] {cont, ties, 1.5, code, grade, flag, label});
    }
    return Rows.df(SCHEMA, rows.toArray(new Object[0][]));
  }

  static List<FineBins.Row4> sorted(List<FineBins.Row4> rows) {
    List<FineBins.Row4> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(FineBins.Row4::toString));
    return out;
  }

  @ParameterizedTest(name = "seed {0}, {1} rows, labels {2}, {3} partitions, count up to {4} values a task")
  @CsvSource({
      "1, 1500, mixed, 1, 16384",
      "2, 1500, mixed, 4, 16384",
      "3, 1500, mixed, 3, 5",
      "4, 1500, mixed, 1, 1",
      "5, 800, bad, 2, 5",
      "6, 800, invalid, 3, 16384",
      "7, 800, invalid, 2, 2",
      "8, 600, none, 2, 5",
      "9, 1, mixed, 1, 16384",
      "10, 0, mixed, 1, 16384"})
  void theOneShufflePlanGivesTheWindowPlansFineBins(long seed, int n, String labels, int partitions, int maxDistinct) {
    Dataset<Row> df = generated(seed, n, labels).repartition(partitions);
    for (int g : new int[] {2, 7, 20}) {
      List<FineBins.Row4> expected = FineBins.collect(WindowFineBins.table(df, FEATURES, CATEGORICAL, "label", g,
          SPECIALS));
      List<FineBins.Row4> actual = FineBins.collect(FineBins.table(df, FEATURES, CATEGORICAL, "label", g, SPECIALS,
          maxDistinct));
      assertEquals(sorted(expected), sorted(actual), "maxBins " + g);
      if (n > 100 && !labels.equals("none")) {
        assertTrue(actual.stream().anyMatch(r -> r.feature().equals("cont") && r.kind().equals(FineBins.RANGE)
            && r.fine() == g - 1), "the top fine bin of cont exists");
      }
    }
  }

  @Test
  void minusZeroAndZeroAreOneValueAndTheMissingBinIsNaNOnlyWhenANaNIsLabelled() {
    Dataset<Row> df = Rows.df(Rows.schema("x double", "label double"),
        new Object[] {-0.0, 1.0}, new Object[] {0.0, 0.0}, new Object[] {Double.NaN, null},
        new Object[] {null, 1.0}, new Object[] {2.0, 0.0});
    List<FineBins.Row4> rows = FineBins.collect(FineBins.table(df, List.of("x"), Set.of(), "label", 2, new double[0]));
    assertEquals(sorted(FineBins.collect(WindowFineBins.table(df, List.of("x"), Set.of(), "label", 2, new double[0]))),
        sorted(rows));
    FineBins.Row4 missing = rows.stream().filter(r -> r.kind().equals(FineBins.MISSING)).findFirst().orElseThrow();
    assertEquals(1L, missing.count());
    assertEquals(1L, missing.unlabeled());
    assertEquals(null, missing.min());
    FineBins.Row4 low = rows.stream().filter(r -> Long.valueOf(0).equals(r.fine())).findFirst().orElseThrow();
    assertEquals(2L, low.count());
    assertEquals(Double.valueOf(0.0), low.max());
  }

  @Test
  void partitionKeysSendEachFeatureToAPartitionOfItsOwn() {
    for (int f : new int[] {1, 2, 5, 22, 64}) {
      int[] keys = FineBins.partitionKeys(f);
      Object[][] rows = IntStream.range(0, f).mapToObj(i -> new Object[] {i, keys[i]}).toArray(Object[][]::new);
      List<Row> placed = Rows.df(Rows.schema("feature int", "k int"), rows).repartition(f, col("k"))
          .select(col("feature"), spark_partition_id().as("p")).collectAsList();
      for (Row r : placed) {
        assertEquals(r.getInt(0), r.getInt(1), "feature " + r.getInt(0) + " of " + f);
      }
      assertEquals(f, placed.size());
    }
  }
}
