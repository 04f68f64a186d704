package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.io.Csv;
import com.creditrisk.io.SparkJobCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The identifier screening decided in the fit's own pass ({@link FineBins#table} with screened
 * string columns) gives what the two-pass plan it replaced gave: {@code count} and
 * {@code count_distinct} of each string column in an aggregation of its own, then the fit of the
 * columns it kept. Checked on the fine-bin table, with the reduce side's bounds forced down so
 * the distinct count walks sorted runs on disk, and on {@code bin}'s output files and errors.
 */
class BinScreeningInFitTest {
  private static final StructType SCHEMA = Rows.schema("ref string", "ninety string", "under string",
      "fifty string", "fifty_one string", "late_dups string", "early_dups string", "unlabeled_ids string",
      "grade string", "x double", "label double");
  private static final List<String> FEATURES = List.of("ref", "ninety", "under", "fifty", "fifty_one", "late_dups",
      "early_dups", "unlabeled_ids", "grade", "x");
  private static final List<String> STRINGS = FEATURES.subList(0, 9);
  private static final Set<String> CATEGORICAL = Set.copyOf(STRINGS);
  private static final double[] SPECIALS = {-9.0};
  private static final int N = 1200;

  @TempDir Path dir;

  /**
   * {@link #N} rows in a seeded order, i = 0..1199. ref: "r" + i, null every 37th row: near-unique.
   * ninety: 1,000 non-null rows (i < 1000) with 900 distinct values (v0..v899, rows 900..999
   * repeating v0..v99): exactly 90%, near-unique. under: the same with 899 distinct: 89.9%, kept.
   * fifty: 50 distinct in 50 non-null rows (i < 50), kept (not more than 50); fifty_one: 51 in 51,
   * near-unique. late_dups: 1,020 distinct in 1,200 rows, the 200 rows from 1,000 on repeating 20
   * values ("z" + i mod 20) at the end of the byte order (85%, kept); early_dups: the same with the
   * repeats at the start ("a"). unlabeled_ids: "q" + i on the rows whose label is null or
   * invalid, else null: near-unique on unlabeled rows alone. grade: 6 levels with nulls; x: a
   * double with -9 codes and nulls. label: 0/1 (bad when x is high), null on every 13th row, and
   * with {@code invalid} 2.0 on every 97th and NaN on every 89th.
   */
  private static Dataset<Row> generated(long seed, boolean invalid) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    String[] grades = {"A", "B", "C", "D", "E", "\u00c9"};
    for (int i = 0; i < N; i++) {
      Double x = i % 29 == 0 ? null : i % 17 == 0 ? -9.0 : r.nextGaussian() * 10;
      Double label = i % 13 == 0 ? null : invalid && i % 97 == 0 ? Double.valueOf(2.0)
          : invalid && i % 89 == 0 ? Double.valueOf(Double.NaN)
          : Double.valueOf(r.nextDouble() < (x != null && x > 5 ? 0.4 : 0.1) ? 1.0 : 0.0);
      boolean unlabeled = label == null || (label != 0.0 && label != 1.0);
      rows.add(new Object[] {
          i % 37 == 0 ? null : "r" + i,
          i < 1000 ? "v" + (i < 900 ? i : i - 900) : null,
          i < 1000 ? "u" + (i < 899 ? i : i - 899) : null,
          i < 50 ? "f" + i : null,
          i < 51 ? "g" + i : null,
          i < 1000 ? "m" + i : "z" + (i % 20),
          i < 1000 ? "m" + i : "a" + (i % 20),
          unlabeled ? "q" + i : null,
          i % 23 == 0 ? null : grades[r.nextInt(grades.length)],
          x, label});
    }
    Collections.shuffle(rows, r);
    return Rows.df(SCHEMA, rows.toArray(new Object[0][]));
  }

  /** count(c) and count_distinct(c) of each column, in turn, in one aggregation: the screening's own pass before. */
  private static long[] counts(Dataset<Row> df, List<String> columns) {
    List<Column> aggs = new ArrayList<>();
    for (String c : columns) {
      aggs.add(count(col(FineBins.quote(c))));
      aggs.add(count_distinct(col(FineBins.quote(c))));
    }
    Row row = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    long[] out = new long[2 * columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = row.getLong(i);
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}, {1} partitions, count up to {2} values a task, hold {3} longs")
  @CsvSource({
      "1, 1, 16384, 8388608",
      "2, 3, 16384, 8388608",
      "3, 2, 1, 7",
      "4, 4, 5, 40",
      "5, 3, 16384, 300",
      "6, 2, 2, 1"})
  void aNearUniqueColumnGetsOneMarkerWithTheTwoPassCountsAndEveryOtherColumnItsBins(long seed, int partitions,
      int maxDistinct, long maxBufferedLongs) {
    Dataset<Row> df = generated(seed, true).repartition(partitions);
    long[] c = counts(df, STRINGS);
    // Every row of a column is in its missing or its level cells: the marker carries all invalid labels.
    Column y = col("label").cast("double");
    long invalid = df.filter(y.isNotNull().and(y.isin(0.0, 1.0).equalTo(false).or(y.isNaN()))).count();
    List<FineBins.Row4> expected = new ArrayList<>();
    List<String> kept = new ArrayList<>(FEATURES);
    for (int i = 0; i < STRINGS.size(); i++) {
      if (IdentifierColumns.nearUnique(c[2 * i + 1], c[2 * i])) {
        expected.add(new FineBins.Row4(STRINGS.get(i), FineBins.NEAR_UNIQUE, null, null, null, c[2 * i], 0, null,
            null, 0, invalid, c[2 * i + 1]));
        kept.remove(STRINGS.get(i));
      }
    }
    assertEquals(List.of("under", "fifty", "late_dups", "early_dups", "grade", "x"), kept);
    expected.addAll(FineBins.collect(WindowFineBins.table(df, kept, CATEGORICAL, "label", 5, SPECIALS)));
    List<FineBins.Row4> actual = FineBins.collect(FineBins.table(df, FEATURES, CATEGORICAL, "label", 5, SPECIALS,
        maxDistinct, maxBufferedLongs, Set.copyOf(STRINGS)));
    assertEquals(FineBinsPlanTest.sorted(expected), FineBinsPlanTest.sorted(actual));
  }

  @Test
  void aStringColumnThatIsNotScreenedIsBinnedEvenWhenNearUnique() {
    Dataset<Row> df = generated(7, false);
    List<FineBins.Row4> expected = FineBins.collect(WindowFineBins.table(df, FEATURES, CATEGORICAL, "label", 5,
        SPECIALS));
    List<FineBins.Row4> actual = FineBins.collect(FineBins.table(df, FEATURES, CATEGORICAL, "label", 5, SPECIALS,
        Set.of("under", "grade")));
    assertEquals(FineBinsPlanTest.sorted(expected), FineBinsPlanTest.sorted(actual));
  }

  private BinFeatures.Input input(String path, List<String> features, boolean includeIds, Path out) {
    return new BinFeatures.Input(path, null, "label", null, features, List.of(), SPECIALS, 5, 0.05, "auto",
        includeIds, out.toString());
  }

  /** The plan before: the screening's aggregation over the table read with inference, then the fit of the rest. */
  private static BinFeatures.Result twoPass(SparkSession spark, BinFeatures.Input in) {
    String format = BinFeatures.detectFormat(spark, in.path());
    Dataset<Row> df = BinFeatures.read(spark, in.path(), format);
    BinFeatures.Columns cols = BinFeatures.columns(in, df.schema());
    List<String> features = cols.features();
    List<IdentifierColumns.Excluded> excluded = cols.screened()
        ? IdentifierColumns.find(features, cols.strings(), counted -> counts(df, counted)) : List.of();
    excluded.forEach(e -> features.remove(e.column()));
    if (features.isEmpty()) {
      throw com.creditrisk.errors.Errors.badTableColumn(in.path(), in.labelCol(),
          "is the only column that can be binned against");
    }
    Column y = BinFeatures.label(df.schema().apply(in.labelCol()).dataType(), col(FineBins.quote(in.labelCol())),
        in.badValue());
    WoeBinningModel model;
    try {
      model = BinFeatures.binning(in, features).fit(df.withColumn(BinFeatures.LABEL, y));
    } catch (InvalidLabelException e) {
      throw com.creditrisk.errors.Errors.badTableColumn(in.path(), in.labelCol(), e.rule().replace("1 = bad",
          "1 = bad, or name the bad value with --bad-value"));
    }
    return BinFeatures.written(spark.sparkContext().hadoopConfiguration(), in, format, model, features,
        cols.skipped(), excluded);
  }

  private void sameFiles(Path expected, Path actual) throws IOException {
    for (String f : List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json")) {
      assertEquals(Files.readString(expected.resolve(f)), Files.readString(actual.resolve(f)), f);
    }
  }

  private String parquet(Dataset<Row> df, String name) {
    String path = dir.resolve(name).toString();
    df.write().parquet(path);
    return path;
  }

  private String csv(Dataset<Row> df, String name) {
    String folder = dir.resolve(name + "-parts").toString();
    df.coalesce(1).write().options(Csv.SPARK_OPTIONS).option("header", "true").csv(folder);
    try (var files = Files.list(Path.of(folder))) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
      Path file = dir.resolve(name + ".csv");
      Files.move(part, file);
      return file.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void binWritesTheTwoPassPlansBytesFromParquetAndCsv() throws IOException {
    SparkSession spark = TestSpark.get();
    Dataset<Row> df = generated(8, false);
    for (String path : List.of(parquet(df, "t.parquet"), csv(df, "t"))) {
      String name = Path.of(path).getFileName().toString();
      for (boolean includeIds : new boolean[] {false, true}) {
        Path a = dir.resolve(name + "-two-pass-" + includeIds);
        Path b = dir.resolve(name + "-one-pass-" + includeIds);
        BinFeatures.Result before = twoPass(spark, input(path, List.of(), includeIds, a));
        BinFeatures.Result after = BinFeatures.run(spark, input(path, List.of(), includeIds, b));
        sameFiles(a, b);
        assertEquals(before.excluded(), after.excluded());
        assertEquals(before.features(), after.features());
        assertEquals(includeIds ? 0 : 4, after.excluded().size(), after.excluded().toString());
      }
    }
  }

  @Test
  void onlyIdentifiersLeftOrAnInvalidLabelGiveTheTwoPassPlansErrors() {
    SparkSession spark = TestSpark.get();
    String ids = parquet(generated(9, false).select("ref", "ninety", "label"), "ids");
    assertSameError(() -> twoPass(spark, input(ids, List.of(), false, dir.resolve("a"))),
        () -> BinFeatures.run(spark, input(ids, List.of(), false, dir.resolve("b"))), "is the only column");
    String invalid = parquet(generated(10, true), "invalid");
    assertSameError(() -> twoPass(spark, input(invalid, List.of(), false, dir.resolve("c"))),
        () -> BinFeatures.run(spark, input(invalid, List.of(), false, dir.resolve("d"))), "must hold 0 or 1");
    assertTrue(!Files.exists(dir.resolve("b")) && !Files.exists(dir.resolve("d")), "nothing written");
  }

  private static void assertSameError(Supplier<?> before, Supplier<?> after, String rule) {
    CreditRiskException a = assertThrows(CreditRiskException.class, before::get);
    CreditRiskException b = assertThrows(CreditRiskException.class, after::get);
    assertEquals(a.getMessage(), b.getMessage());
    assertEquals(a.exitCode(), b.exitCode());
    assertTrue(b.getMessage().contains(rule), b.getMessage());
  }

  @Test
  void theScreeningTakesNoSparkJobOfItsOwn() {
    SparkSession spark = TestSpark.get();
    String path = parquet(generated(11, false), "jobs");
    int screened = jobsOf(spark, () -> BinFeatures.run(spark, input(path, List.of(), false, dir.resolve("s"))));
    int named = jobsOf(spark, () -> BinFeatures.run(spark, input(path, List.of("under", "fifty", "late_dups",
        "early_dups", "grade", "x"), false, dir.resolve("n"))));
    assertEquals(named, screened);
    assertTrue(Files.exists(dir.resolve("s").resolve("summary.json")));
  }

  private static int jobsOf(SparkSession spark, Runnable r) {
    SparkJobCounter c = SparkJobCounter.start(spark);
    try (c) {
      r.run();
    }
    return c.jobs();
  }
}
