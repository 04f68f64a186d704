package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin's fit on a CSV file read as lines ({@link TextCells}) against the same file read by Spark's
 * reader with inference (the file alone in a folder, which is never sampled): generated files give
 * the same five output files, whether every line is taken, a line after the sample is rejected
 * (the fit falls back to the reader), the file is cut into many splits, or a feature passes its
 * cells through uncounted (packed one-row cells). Each case also checks which way it went, so
 * that none passes by never reading lines.
 */
class TextCellsPropertyTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static final int ROWS = SampledCsv.SAMPLE_ROWS + 300;
  private static final int LATE = SampledCsv.SAMPLE_ROWS + 150;

  /** Column kinds the lines take, each a cell per row index. */
  private static Map<String, IntFunction<String>> kinds(Random rnd) {
    Map<String, IntFunction<String>> k = new LinkedHashMap<>();
    k.put("ints", i -> String.valueOf(rnd.nextInt(2000) - 1000));
    k.put("longs", i -> String.valueOf(rnd.nextLong() / 100));
    k.put("doubles", i -> String.valueOf(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(14) - 6)));
    k.put("skewed", i -> rnd.nextInt(20) == 0 ? "" : String.valueOf(Math.exp(rnd.nextGaussian() * 2 + 8)));
    k.put("coded", i -> rnd.nextInt(20) == 0 ? "-9" : String.valueOf(rnd.nextDouble() - 0.5));
    k.put("negative_zero", i -> List.of("-0.0", "0.0", "0", "1.5", "-1.5").get(rnd.nextInt(5)));
    k.put("sparse", i -> rnd.nextInt(20) == 0 ? String.valueOf(rnd.nextDouble()) : "");
    k.put("levels", i -> List.of("north", "south", "Zürich", "東京", "").get(rnd.nextInt(5)));
    k.put("coded_levels", i -> "A" + rnd.nextInt(25));
    return k;
  }

  /** A file of the columns and a 0/1 label (a tenth bad, some empty); {@code late} replaces line LATE when not null. */
  private Path write(String name, List<String> columns, List<IntFunction<String>> cells, Random rnd, int rows,
      byte[] late) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((String.join(",", columns) + ",bad\n").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < rows; i++) {
      List<String> row = new ArrayList<>();
      for (IntFunction<String> c : cells) {
        row.add(c.apply(i));
      }
      int y = rnd.nextInt(10);
      row.add(y == 0 ? "1" : y == 1 ? "" : "0");
      byte[] line = (String.join(",", row) + "\n").getBytes(StandardCharsets.UTF_8);
      b.writeBytes(i == LATE && late != null ? late : line);
    }
    Path p = dir.resolve(name + ".csv");
    Files.write(p, b.toByteArray());
    return p;
  }

  private BinFeatures.Input input(Path in, String badValue, List<String> features, List<String> categorical,
      Path out) {
    return new BinFeatures.Input(in.toString(), null, "bad", badValue, features, categorical, new double[] {-9},
        5, 0.05, "auto", true, out.toString());
  }

  /**
   * Which way the fit reads the file: "not lines" (no plan), "rejected" (a line is rejected) or
   * "lines", from the plan and the fine-bin table the run would build.
   */
  private String route(Path p, BinFeatures.Input in) {
    SampledCsv.Sample s = SampledCsv.sample(spark, p.toString());
    assertNotNull(s, p.toString());
    StructType schema = s.types();
    List<String> features = in.features().isEmpty()
        ? List.of(schema.fieldNames()).stream().filter(n -> !n.equals("bad")).toList() : in.features();
    WoeBinning b = BinFeatures.binning(in, features);
    Set<String> categorical = b.categoricalIn(schema);
    TextCells.Plan plan = TextCells.plan(schema, s.lines(), "bad", in.badValue(), features, categorical);
    if (plan == null) {
      return "not lines";
    }
    long invalid = FineBins.collect(FineBins.table(spark, p.toString(), plan, features, categorical, 5,
        new double[] {-9}, Set.of())).stream().mapToLong(FineBins.Row4::invalidLabels).sum();
    return invalid > 0 ? "rejected" : "lines";
  }

  /** bin's five files on the file, and on the same file in a folder (inference); the route taken. */
  private String sameFilesAsInference(Path p, String badValue, List<String> features, List<String> categorical)
      throws Exception {
    String name = p.getFileName().toString().replace(".csv", "");
    Path folder = Files.createDirectories(dir.resolve(name + "-folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    BinFeatures.run(spark, input(p, badValue, features, categorical, dir.resolve(name + "-a")));
    BinFeatures.run(spark, input(folder, badValue, features, categorical, dir.resolve(name + "-b")));
    for (String f : List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json")) {
      assertEquals(Files.readString(dir.resolve(name + "-b").resolve(f)), Files.readString(dir.resolve(name + "-a")
          .resolve(f)), name + " " + f);
    }
    return route(p, input(p, badValue, features, categorical, dir.resolve(name + "-c")));
  }

  @Test
  void mixturesOfPlainColumnsAreReadAsLinesWithInferencesBytes() throws Exception {
    Random rnd = new Random(7);
    Map<String, IntFunction<String>> kinds = kinds(rnd);
    List<String> names = new ArrayList<>(kinds.keySet());
    for (int file = 0; file < 6; file++) {
      List<String> cols = new ArrayList<>();
      List<IntFunction<String>> cells = new ArrayList<>();
      int width = 2 + rnd.nextInt(5);
      for (int c = 0; c < width; c++) {
        String k = names.get(rnd.nextInt(names.size()));
        cols.add(k + "_" + c);
        cells.add(kinds.get(k));
      }
      Path p = write("mix" + file, cols, cells, rnd, ROWS, null);
      assertEquals("lines", sameFilesAsInference(p, null, List.of(), List.of()), cols.toString());
    }
  }

  @Test
  void aLateLineOutsideTheGrammarFallsBackToTheReaderWithInferencesBytes() throws Exception {
    Map<String, String> late = new LinkedHashMap<>();
    late.put("quoted", "\"0.5\",north,3,0\n");
    late.put("padded_text", "0.5, north,3,0\n");
    late.put("header_again", "x,level,n,bad\n");
    late.put("int_beyond_int", "0.5,north,3000000000,0\n");
    late.put("infinite", "1e400,north,3,0\n");
    late.put("nan", "NaN,north,3,0\n");
    late.put("plus_sign", "+0.5,north,3,0\n");
    late.put("label_as_double", "0.5,north,3,1.0\n");
    late.put("too_few_fields", "0.5,north,0\n");
    Map<String, String> outcome = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : late.entrySet()) {
      outcome.put(e.getKey(), lateLine(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)));
    }
    // Not UTF-8: a text cell whose bytes the reader decodes to U+FFFD.
    byte[] invalid = {'0', '.', '5', ',', 'n', (byte) 0xC3, (byte) 0x28, ',', '3', ',', '0', '\n'};
    outcome.put("not_utf8", lateLine("not_utf8", invalid));
    for (Map.Entry<String, String> e : outcome.entrySet()) {
      assertEquals("rejected", e.getValue(), e.getKey() + ": " + outcome);
    }
  }

  @Test
  void blankLinesAreDroppedAsTheReaderDropsThem() throws Exception {
    Random rnd = new Random(17);
    StringBuilder b = new StringBuilder("0,1,2\n");
    for (int i = 0; i < ROWS; i++) {
      b.append(rnd.nextInt(8) == 0 ? 1 : 0).append(',').append(rnd.nextDouble()).append(',')
          .append(rnd.nextInt(30)).append('\n');
      if (i % 97 == 0) {
        b.append(i % 2 == 0 ? "\n" : "  \r\n");
      }
    }
    b.append("\n\n");
    Path p = dir.resolve("blank.csv");
    Files.writeString(p, b);
    String name = "blank";
    Path folder = Files.createDirectories(dir.resolve(name + "-folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    BinFeatures.Input a = new BinFeatures.Input(p.toString(), null, "0", null, List.of(), List.of(),
        new double[] {-9}, 5, 0.05, "auto", true, dir.resolve("blank-a").toString());
    BinFeatures.Input c = new BinFeatures.Input(folder.toString(), null, "0", null, List.of(), List.of(),
        new double[] {-9}, 5, 0.05, "auto", true, dir.resolve("blank-b").toString());
    BinFeatures.run(spark, a);
    BinFeatures.run(spark, c);
    for (String f : List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json")) {
      assertEquals(Files.readString(dir.resolve("blank-b").resolve(f)), Files.readString(dir.resolve("blank-a")
          .resolve(f)), f);
    }
    SampledCsv.Sample s = SampledCsv.sample(spark, p.toString());
    TextCells.Plan plan = TextCells.plan(s.types(), s.lines(), "0", null, List.of("1", "2"), Set.of());
    assertNotNull(plan);
    List<FineBins.Row4> rows = FineBins.collect(FineBins.table(spark, p.toString(), plan, List.of("1", "2"),
        Set.of(), 5, new double[] {-9}, Set.of()));
    assertEquals(0, rows.stream().mapToLong(FineBins.Row4::invalidLabels).sum());
    assertEquals(ROWS, rows.stream().filter(r -> r.feature().equals("1"))
        .mapToLong(r -> r.count() + r.unlabeled()).sum());
    // A blank first line: which line the reader takes as the header is the reader's to say.
    Path q = dir.resolve("blank-first.csv");
    Files.writeString(q, " \t\n" + b);
    SampledCsv.Sample t = SampledCsv.sample(spark, q.toString());
    if (t != null) {
      assertNull(TextCells.plan(t.types(), t.lines(), "0", null, List.of("1", "2"), Set.of()));
    }
  }

  @Test
  void aColumnNearUniqueOnlyWithoutTheRejectedLinesFallsBackInsteadOfFailing() throws Exception {
    // 1,000 distinct names, then 200 quoted ones all alike: with them the column is not near-unique
    // (1,001 distinct of 1,200), without them it would be, and it is the only feature.
    List<String> lines = new ArrayList<>(List.of("bad,name"));
    for (int i = 0; i < 1000; i++) {
      lines.add((i % 9 == 0 ? 1 : 0) + ",n" + i);
    }
    for (int i = 0; i < 200; i++) {
      lines.add((i % 9 == 0 ? 1 : 0) + ",\"Doe, J\"");
    }
    Path p = dir.resolve("names.csv");
    Files.write(p, lines);
    Path folder = Files.createDirectories(dir.resolve("names-folder"));
    Files.copy(p, folder.resolve("part-0.csv"));
    BinFeatures.Result a = BinFeatures.run(spark, new BinFeatures.Input(p.toString(), null, "bad", null, List.of(),
        List.of(), new double[0], 5, 0.05, "auto", false, dir.resolve("names-a").toString()));
    BinFeatures.run(spark, new BinFeatures.Input(folder.toString(), null, "bad", null, List.of(), List.of(),
        new double[0], 5, 0.05, "auto", false, dir.resolve("names-b").toString()));
    assertEquals(List.of("name"), a.features());
    for (String f : List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json")) {
      assertEquals(Files.readString(dir.resolve("names-b").resolve(f)), Files.readString(dir.resolve("names-a")
          .resolve(f)), f);
    }
    SampledCsv.Sample s = SampledCsv.sample(spark, p.toString());
    TextCells.Plan plan = TextCells.plan(s.types(), s.lines(), "bad", null, List.of("name"), Set.of("name"));
    assertNotNull(plan);
    List<FineBins.Row4> rows = FineBins.collect(FineBins.table(spark, p.toString(), plan, List.of("name"),
        Set.of("name"), 5, new double[0], Set.of("name")));
    assertEquals(List.of(FineBins.NEAR_UNIQUE), rows.stream().map(FineBins.Row4::kind).toList());
    assertEquals(200, rows.get(0).invalidLabels());
  }

  private String lateLine(String name, byte[] line) throws Exception {
    Random rnd = new Random(name.hashCode());
    Path p = write(name, List.of("x", "level", "n"), List.of(i -> String.valueOf(rnd.nextDouble()),
        i -> List.of("north", "south", "east").get(rnd.nextInt(3)), i -> String.valueOf(rnd.nextInt(50))), rnd,
        ROWS, line);
    return sameFilesAsInference(p, null, List.of(), List.of());
  }

  @Test
  void aSampleLineOutsideTheGrammarLeavesTheFileToTheReader() throws Exception {
    Random rnd = new Random(5);
    Path p = write("spellings", List.of("x", "y"), List.of(i -> String.valueOf(rnd.nextDouble()),
        i -> List.of("NaN", "Infinity", "1.5").get(rnd.nextInt(3))), rnd, ROWS, null);
    assertEquals("not lines", sameFilesAsInference(p, null, List.of(), List.of()));
    Path q = write("booleans", List.of("x", "flag"), List.of(i -> String.valueOf(rnd.nextDouble()),
        i -> rnd.nextBoolean() ? "true" : "false"), rnd, ROWS, null);
    assertEquals("not lines", sameFilesAsInference(q, null, List.of(), List.of()));
  }

  @Test
  void manySplitsAndUncountedFeaturesGiveTheSameBytes() throws Exception {
    Random rnd = new Random(11);
    int rows = FineBins.MAX_DISTINCT_PER_TASK + 3 * FineBins.SINGLES_PER_ROW + 17;
    Path p = write("long", List.of("x", "skewed", "level"), List.of(
        i -> String.valueOf(rnd.nextGaussian()), i -> String.valueOf(Math.exp(rnd.nextGaussian() * 3)),
        i -> "L" + rnd.nextInt(40)), rnd, rows, null);
    // One split: x and skewed pass the per-task bound and ship packed one-row cells.
    assertEquals("lines", sameFilesAsInference(p, null, List.of(), List.of()));
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "65536");
    try {
      Path q = dir.resolve("split.csv");
      Files.copy(p, q);
      assertTrue(spark.read().text(q.toString()).rdd().getNumPartitions() > 10);
      assertEquals("lines", sameFilesAsInference(q, null, List.of(), List.of()));
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  @Test
  void aNumericBadValueAndIntegerCategoriesAreReadAsLines() throws Exception {
    Random rnd = new Random(13);
    List<String> lines = new ArrayList<>(List.of("x,grade,bad"));
    for (int i = 0; i < ROWS; i++) {
      lines.add(rnd.nextDouble() + "," + (rnd.nextInt(7) - 1) + "," + (rnd.nextInt(8) == 0 ? "7" : "2"));
    }
    Path p = dir.resolve("coded.csv");
    Files.write(p, lines);
    assertEquals(DataTypes.IntegerType, SampledCsv.types(spark, p.toString()).apply("grade").dataType());
    assertEquals("lines", sameFilesAsInference(p, "7", List.of("x", "grade"), List.of("grade")));
    // A string --bad-value on a numeric label is compared as text: the reader's.
    SampledCsv.Sample s = SampledCsv.sample(spark, p.toString());
    assertNull(TextCells.plan(s.types(), s.lines(), "bad", "seven", List.of("x"), Set.of()));
  }
}
