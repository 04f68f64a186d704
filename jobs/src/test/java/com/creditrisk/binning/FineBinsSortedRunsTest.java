package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reduce side's own sort ({@link CellRuns}): with the in-memory bound forced down to a few
 * cells, so a feature's cells go through many sorted runs on disk and their k-way merge, the
 * fine-bin table is still the window plan's ({@link WindowFineBins}, the independent reference)
 * row for row, on generated data with ties, special codes, nulls, NaN, -0.0, levels whose UTF-8
 * and UTF-16 orders differ, a level column of many distinct values, unlabeled and invalid labels.
 */
class FineBinsSortedRunsTest {
  private static final StructType SCHEMA = Rows.schema("cont double", "ties double", "code int", "grade string",
      "name string", "label double");
  private static final List<String> FEATURES = List.of("cont", "ties", "code", "grade", "name");
  private static final Set<String> CATEGORICAL = Set.of("grade", "name");
  private static final double[] SPECIALS = {-9.0, 0.0};
  // U+FF21 sorts after a surrogate pair in UTF-16 but before it in UTF-8 (EF.. against F0..).
  private static final String[] GRADES = {"A", "a", "Z", "\u00e9t\u00e9", "\u20ac", "\uFF21", "\uD834\uDD1E",
      "", " A"};

  /**
   * {@code n} seeded rows. cont: log-normal doubles of both signs with 4% null, 2% NaN, 3% -9, 2%
   * each of 0.0 and -0.0 (a special here), and a value repeated in 3% of rows; ties: a dozen
   * values; code: 0..30 with -9 and nulls; grade: the levels above and nulls; name: about n / 3
   * distinct strings (passed through uncounted). Labels: 0/1 with 5% null, 2.0 every 53rd row
   * and NaN every 61st (both invalid).
   */
  private static Dataset<Row> generated(long seed, int n) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      Double cont = u < 0.04 ? null : u < 0.06 ? Double.NaN : u < 0.09 ? -9.0 : u < 0.11 ? 0.0 : u < 0.13 ? -0.0
          : u < 0.16 ? 3.25 : (r.nextBoolean() ? 1 : -1) * Math.exp(r.nextGaussian() * 2);
      double ties = Math.floor(r.nextGaussian() * 3);
      double c = r.nextDouble();
      Integer code = c < 0.05 ? null : c < 0.1 ? -9 : r.nextInt(31);
      String grade = r.nextDouble() < 0.03 ? null : GRADES[r.nextInt(GRADES.length)];
      String name = "n\u00f6" + r.nextInt(Math.max(1, n / 3));
      double p = 1 / (1 + Math.exp(-(ties / 3)));
      Double label = i % 53 == 0 ? Double.valueOf(2.0) : i % 61 == 0 ? Double.valueOf(Double.NaN)
          : r.nextDouble() < 0.05 ? null : Double.valueOf(r.nextDouble() < p ? 1.0 : 0.0);
      rows.add(new Object[] {cont, ties, code, grade, name, label});
    }
    return Rows.df(SCHEMA, rows.toArray(new Object[0][]));
  }

  @ParameterizedTest(name = "seed {0}, {1} rows, {2} partitions, count up to {3} values a task, hold {4} longs")
  @CsvSource({
      "11, 1200, 3, 16384, 1",
      "12, 1200, 2, 1, 7",
      "13, 1200, 4, 5, 40",
      "14, 1200, 1, 16384, 300",
      "15, 300, 2, 2, 3",
      "16, 1, 1, 1, 1",
      "17, 0, 1, 16384, 1"})
  void sortedRunsOnDiskGiveTheWindowPlansFineBins(long seed, int n, int partitions, int maxDistinct,
      long maxBufferedLongs) {
    Dataset<Row> df = generated(seed, n).repartition(partitions);
    for (int g : new int[] {2, 5, 20}) {
      List<FineBins.Row4> expected = FineBins.collect(WindowFineBins.table(df, FEATURES, CATEGORICAL, "label", g,
          SPECIALS));
      List<FineBins.Row4> actual = FineBins.collect(FineBins.table(df, FEATURES, CATEGORICAL, "label", g, SPECIALS,
          maxDistinct, maxBufferedLongs));
      assertEquals(FineBinsPlanTest.sorted(expected), FineBinsPlanTest.sorted(actual), "maxBins " + g);
    }
  }

  /**
   * Hand-worked: range cells 3 (bad), 1 (good), 2 (unlabeled), 1 (bad), -0.5 (good) and a counted
   * cell of two goods at 2, spilled whenever more than 2 longs are held (three runs), and levels
   * U+FF21 (one in a run, one in memory), a surrogate pair and "B". G = 2 over the n = 6 labelled
   * range rows: the cut is x_(3) = 1, so bin 0 is {-0.5, 1, 1} (3 rows, 1 bad) and bin 1 {2, 2, 3}
   * (3 rows, 1 bad, and the unlabeled 2). Levels come in UTF-8 byte order: B, U+FF21 (EF BC A1),
   * then the surrogate pair (F0 9D 84 9E), which UTF-16 would put before U+FF21.
   */
  @Test
  void runsAreMergedInValueOrderAndTheirFilesDeleted(@TempDir Path dir) {
    long[] good = {1, 0, 0, 0};
    long[] bad = {1, 1, 0, 0};
    long[] unlabeled = {0, 0, 1, 0};
    List<File> files = new ArrayList<>();
    CellRuns runs = new CellRuns();
    FineBins.Feature f = new FineBins.Feature("x", 2);
    f.total = 6;
    Object[][] cells = {{3.0, bad}, {1.0, good}, {2.0, unlabeled}, {1.0, bad}, {-0.5, good},
        {2.0, new long[] {2, 0, 0, 0}}};
    long held = runs.level("\uFF21", bad);
    for (Object[] c : cells) {
      held += runs.range(FineBins.sortable(Double.doubleToRawLongBits((Double) c[0])), (long[]) c[1]);
      if (held > 2) {
        runs.spill(() -> {
          try {
            File file = Files.createTempFile(dir, "run", ".bin").toFile();
            files.add(file);
            return file;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        held = 0;
      }
    }
    runs.level("\uD834\uDD1E", bad);
    runs.level("B", good);
    runs.level("\uFF21", good);
    assertEquals(3, files.size(), "the cells went to disk in three runs");
    List<FineBins.Row4> out = new ArrayList<>();
    runs.sweep(f, out);
    f.finish(out);
    for (File file : files) {
      assertFalse(file.exists(), "run file deleted after the sweep: " + file);
    }
    List<FineBins.Row4> expected = List.of(
        new FineBins.Row4("x", FineBins.LEVEL, null, null, "B", 1, 0, null, null, 0, 0, null),
        new FineBins.Row4("x", FineBins.LEVEL, null, null, "\uFF21", 2, 1, null, null, 0, 0, null),
        new FineBins.Row4("x", FineBins.RANGE, 0L, null, null, 3, 1, -0.5, 1.0, 0, 0, null),
        new FineBins.Row4("x", FineBins.RANGE, 1L, null, null, 3, 1, 2.0, 3.0, 1, 0, null),
        new FineBins.Row4("x", FineBins.LEVEL, null, null, "\uD834\uDD1E", 1, 1, null, null, 0, 0, null));
    assertEquals(expected, out);
  }
}
