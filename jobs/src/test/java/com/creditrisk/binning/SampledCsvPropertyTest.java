package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.errors.CreditRiskException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV read with types from the first rows ({@link SampledCsv}) against the read with Spark's
 * inference: on generated files, either the sample cannot vouch for the types (null), or the
 * verifying read rejects some row (the caller falls back), or the schema and every value equal
 * inference's. The files are longer than the sample, so that a column changes kind after it: ints
 * then doubles, a late text cell or long, booleans then a number. End to end, bin on a file gives
 * the bytes and errors it gives on the same file read with inference (in a folder, which is never
 * sampled).
 */
class SampledCsvPropertyTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static final int ROWS = SampledCsv.SAMPLE_ROWS + 300;
  private static final int LATE = SampledCsv.SAMPLE_ROWS + 150;

  /** The kinds the sample vouches for. */
  private static final List<String> PLAIN = List.of("ints", "longs", "doubles", "exponents", "special_spellings",
      "sparse", "booleans", "levels", "coded_levels");

  /** Column kinds, each a cell per row index; the ones named late_* change after the sample. */
  private static Map<String, IntFunction<String>> kinds(Random rnd) {
    Map<String, IntFunction<String>> k = new LinkedHashMap<>();
    k.put("ints", i -> String.valueOf(rnd.nextInt(2000) - 1000));
    k.put("longs", i -> String.valueOf(rnd.nextLong()));
    k.put("doubles", i -> String.valueOf(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 4)));
    k.put("exponents", i -> String.format(Locale.ROOT, "%.6e", rnd.nextDouble() * 1e-5));
    k.put("special_spellings", i -> List.of("NaN", "Inf", "-Inf", "Infinity", "-Infinity", "1.5", "")
        .get(rnd.nextInt(7)));
    k.put("sparse", i -> rnd.nextInt(20) == 0 ? String.valueOf(rnd.nextDouble()) : "");
    k.put("all_empty", i -> "");
    k.put("booleans", i -> rnd.nextBoolean() ? "true" : "FALSE");
    k.put("dates", i -> String.format(Locale.ROOT, "2024-%02d-%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)));
    k.put("timestamps", i -> String.format(Locale.ROOT, "2024-01-%02dT10:%02d:00", 1 + rnd.nextInt(28),
        rnd.nextInt(60)));
    k.put("levels", i -> List.of("north", "south", "east", "west", "").get(rnd.nextInt(5)));
    k.put("coded_levels", i -> "A" + rnd.nextInt(9));
    k.put("ints_and_booleans", i -> rnd.nextBoolean() ? "1" : "true");
    k.put("big_integers", i -> "1234567890123456789" + rnd.nextInt(10));
    k.put("late_doubles", i -> i < LATE ? String.valueOf(rnd.nextInt(100)) : rnd.nextInt(100) + ".5");
    k.put("late_long", i -> i == LATE ? "3000000000" : String.valueOf(rnd.nextInt(100)));
    k.put("late_text", i -> i == LATE ? "n/a" : String.valueOf(rnd.nextDouble()));
    k.put("late_number_in_booleans", i -> i == LATE ? "1" : rnd.nextBoolean() ? "true" : "false");
    k.put("late_date_in_ints", i -> i == LATE ? "2024-01-01" : String.valueOf(rnd.nextInt(9)));
    k.put("late_decimal_in_ints", i -> i == LATE ? "99999999999999999999" : String.valueOf(rnd.nextInt(9)));
    return k;
  }

  private Path write(String name, List<String> columns, List<IntFunction<String>> cells, Random rnd)
      throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", columns) + ",bad");
    for (int i = 0; i < ROWS; i++) {
      List<String> row = new ArrayList<>();
      for (IntFunction<String> c : cells) {
        row.add(c.apply(i));
      }
      row.add(String.valueOf(rnd.nextInt(10) == 0 ? 1 : 0));
      lines.add(String.join(",", row));
    }
    Path p = dir.resolve(name + ".csv");
    Files.write(p, lines);
    return p;
  }

  /**
   * Rows with a rejected line, counted on the driver: Spark refuses a query of the rejected-line
   * column alone, and the test files are small.
   */
  private static long rejected(Dataset<Row> sampled) {
    int i = sampled.schema().fieldIndex(SampledCsv.UNPARSED);
    return sampled.collectAsList().stream().filter(r -> !r.isNullAt(i)).count();
  }

  /** "sampled" when the sampled read stood (and then equals inference's), else why it did not. */
  private String compare(Path p) {
    Dataset<Row> sampled = SampledCsv.read(spark, p.toString());
    if (sampled == null) {
      return "not vouched";
    }
    if (rejected(sampled) > 0) {
      return "rejected";
    }
    Dataset<Row> inferred = BinFeatures.read(spark, p.toString(), "csv");
    assertEquals(inferred.schema(), SampledCsv.columns(sampled.schema()), p.toString());
    String[] names = inferred.columns();
    List<String> a = sampled.select(names[0], java.util.Arrays.copyOfRange(names, 1, names.length)).collectAsList()
        .stream().map(Row::toString).toList();
    List<String> b = inferred.collectAsList().stream().map(Row::toString).toList();
    assertEquals(b, a, p.toString());
    return "sampled";
  }

  @Test
  void eachKindAloneIsEitherInferencesTypesAndValuesOrFallsBack() throws Exception {
    Random rnd = new Random(40);
    Map<String, String> outcome = new LinkedHashMap<>();
    for (Map.Entry<String, IntFunction<String>> e : kinds(rnd).entrySet()) {
      // Each kind beside a plain double column, so the file is never one column only.
      Path p = write(e.getKey(), List.of("x", e.getKey()), List.of(i -> String.valueOf(rnd.nextDouble()), e.getValue()),
          rnd);
      outcome.put(e.getKey(), compare(p));
    }
    // Not vacuous: the plain kinds take the sampled read, the ones it cannot vouch for do not.
    for (String k : PLAIN) {
      assertEquals("sampled", outcome.get(k), k + ": " + outcome);
    }
    for (String k : List.of("all_empty", "dates", "timestamps", "ints_and_booleans", "big_integers")) {
      assertEquals("not vouched", outcome.get(k), k + ": " + outcome);
    }
    for (String k : List.of("late_doubles", "late_long", "late_text", "late_number_in_booleans", "late_date_in_ints",
        "late_decimal_in_ints")) {
      assertEquals("rejected", outcome.get(k), k + ": " + outcome);
    }
  }

  @Test
  void randomMixturesOfKindsAreEitherInferencesTypesAndValuesOrFallBack() throws Exception {
    Random rnd = new Random(16);
    Map<String, IntFunction<String>> kinds = kinds(rnd);
    List<String> names = new ArrayList<>(kinds.keySet());
    int sampled = 0;
    for (int file = 0; file < 12; file++) {
      List<String> cols = new ArrayList<>();
      List<IntFunction<String>> cells = new ArrayList<>();
      int width = 2 + rnd.nextInt(5);
      // Every other file only plain kinds, so that some mixtures take the sampled read.
      List<String> from = file % 2 == 0 ? PLAIN : names;
      for (int c = 0; c < width; c++) {
        String k = from.get(rnd.nextInt(from.size()));
        cols.add(k + "_" + c);
        cells.add(kinds.get(k));
      }
      if (compare(write("mix" + file, cols, cells, rnd)).equals("sampled")) {
        sampled++;
      }
    }
    assertTrue(sampled >= 6, "sampled " + sampled);
  }

  @Test
  void aRejectedCellInAColumnTheFitDoesNotReadIsStillSeen() throws Exception {
    Random rnd = new Random(3);
    Path p = write("unused", List.of("x", "customer_id"), List.of(i -> String.valueOf(rnd.nextDouble()),
        i -> i == LATE ? "2024-01-01 10:00:00" : String.valueOf(i)), rnd);
    Dataset<Row> sampled = SampledCsv.read(spark, p.toString());
    assertNotNull(sampled);
    // Only x and the label are selected, as in a fit that leaves customer_id out; the bad cell is in customer_id.
    assertEquals(0, rejected(sampled.select(col("x"), col(SampledCsv.UNPARSED))));
    List<Row> y = sampled.select(col("x"), SampledCsv.unlessUnparsed(col("bad").cast("double"), List.of("customer_id")))
        .collectAsList();
    assertEquals(1, y.stream().filter(r -> Double.isNaN(r.getDouble(1))).count());
    assertEquals(ROWS - 1, y.stream().filter(r -> r.getDouble(1) == 0.0 || r.getDouble(1) == 1.0).count());
  }

  @Test
  void aFolderIsNotSampled() throws Exception {
    Random rnd = new Random(4);
    Path p = write("plain", List.of("x"), List.of(i -> String.valueOf(rnd.nextDouble())), rnd);
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    assertNotNull(SampledCsv.read(spark, p.toString()));
    assertNull(SampledCsv.read(spark, folder.toString()));
  }

  private BinFeatures.Input input(Path in, String label, String badValue, Path out) {
    return new BinFeatures.Input(in.toString(), null, label, badValue, List.of(), List.of(), new double[] {-9},
        5, 0.05, "auto", false, out.toString());
  }

  /** bin's five files on {@code name}, sampled, and on the same file in a folder (inference). */
  private void sameFilesAsInference(String name, List<String> cols, List<IntFunction<String>> cells, Random rnd)
      throws Exception {
    Path p = write(name, cols, cells, rnd);
    Path folder = Files.createDirectories(dir.resolve(name + "-folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    BinFeatures.run(spark, input(p, "bad", null, dir.resolve(name + "-a")));
    BinFeatures.run(spark, input(folder, "bad", null, dir.resolve(name + "-b")));
    for (String f : List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json")) {
      assertEquals(Files.readString(dir.resolve(name + "-b").resolve(f)), Files.readString(dir.resolve(name + "-a")
          .resolve(f)), name + " " + f);
    }
  }

  @Test
  void binWritesTheSameBytesSampledAsWithInferenceAndAfterAFallback() throws Exception {
    Random rnd = new Random(22);
    Map<String, IntFunction<String>> k = kinds(rnd);
    List<String> plain = List.of("ints", "doubles", "special_spellings", "sparse", "levels", "booleans");
    sameFilesAsInference("plain", plain, plain.stream().map(k::get).toList(), rnd);
    assertNotNull(SampledCsv.read(spark, dir.resolve("plain.csv").toString()));
    // late_text is read as a double from the sample, rejected in the fit, then read as a string.
    List<String> late = List.of("ints", "late_text", "late_doubles", "levels");
    sameFilesAsInference("late", late, late.stream().map(k::get).toList(), rnd);
    assertTrue(rejected(SampledCsv.read(spark, dir.resolve("late.csv").toString())) > 0);
  }

  @Test
  void aLateInvalidLabelGivesInferencesErrorAndWritesNothing() throws Exception {
    Random rnd = new Random(9);
    List<String> lines = new ArrayList<>(List.of("x,bad"));
    for (int i = 0; i < ROWS; i++) {
      lines.add(rnd.nextDouble() + "," + (i == LATE ? "maybe" : String.valueOf(i % 5 == 0 ? 1 : 0)));
    }
    Path p = dir.resolve("label.csv");
    Files.write(p, lines);
    Path folder = Files.createDirectories(dir.resolve("label-folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    assertEquals(DataTypes.IntegerType, SampledCsv.types(spark, p.toString()).apply("bad").dataType());
    CreditRiskException a = assertThrows(CreditRiskException.class,
        () -> BinFeatures.run(spark, input(p, "bad", null, dir.resolve("la"))));
    CreditRiskException b = assertThrows(CreditRiskException.class,
        () -> BinFeatures.run(spark, input(folder, "bad", null, dir.resolve("lb"))));
    assertEquals(b.getMessage().replace(folder.toString(), p.toString()), a.getMessage());
    assertEquals(b.code(), a.code());
    assertTrue(!Files.exists(dir.resolve("la")));
  }
}
