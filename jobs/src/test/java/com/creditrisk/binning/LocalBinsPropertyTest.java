package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin in the JVM ({@link BinFeatures#runLocal}) against the Spark path ({@link BinFeatures#run}) on
 * generated CSVs: ints, longs, full-precision doubles, exponents (of negative scale too), ties,
 * negative zero, empty cells, an all-empty column, -9 codes, booleans, string columns, an
 * identifier-like column and contract key columns; 0/1, numeric and string labels
 * with --bad-value; --features and --categorical subsets, --max-bins, --monotonicity. Either the
 * local read takes the file and its five files equal the Spark path's byte for byte, or it leaves
 * the file to Spark (result null) having written nothing, as it must whenever the Spark path
 * reports an input error.
 */
class LocalBinsPropertyTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static final List<String> FILES = List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json");

  /** Column kinds the local read takes, each a cell per row index. */
  private static Map<String, IntFunction<String>> kinds(Random rnd) {
    Map<String, IntFunction<String>> k = new LinkedHashMap<>();
    k.put("ints", i -> String.valueOf(rnd.nextInt(2000) - 1000));
    k.put("longs", i -> String.valueOf(rnd.nextLong() / 1000));
    // Written as pandas writes them: shortest round-trip digits, 15-17 significant.
    k.put("doubles", i -> String.valueOf(Math.exp(rnd.nextGaussian() * 2) * 1000));
    k.put("exponents", i -> String.format(Locale.ROOT, "%.6e", rnd.nextGaussian() * 1e-5));
    k.put("ties", i -> List.of("0.5", "1", "1.0", "2.25", "-0.0", "0", "-0", "3").get(rnd.nextInt(8)));
    k.put("sparse", i -> rnd.nextInt(10) < 3 ? "" : String.valueOf(rnd.nextDouble()));
    k.put("coded", i -> rnd.nextInt(20) == 0 ? "-9" : String.valueOf(rnd.nextGaussian()));
    k.put("score", i -> String.valueOf(300 + rnd.nextInt(550)));
    k.put("booleans", i -> rnd.nextInt(7) == 0 ? "" : rnd.nextBoolean() ? "true" : "false");
    k.put("levels", i -> List.of("north", "south", "east", "west", "").get(rnd.nextInt(5)));
    k.put("grades", i -> List.of("A1", "B_2", "C", "d", "1x", "Ünter", "").get(rnd.nextInt(7)));
    k.put("customer_ref", i -> "cust" + i);
    // Inference's NullType, reported as a string column.
    k.put("empty", i -> "");
    // Scale -2 (1.001E5) or below: DecimalType rejects a negative scale, so inference reads a double.
    k.put("big_exponents", i -> String.format(Locale.ROOT, "%.3e", 1e5 + rnd.nextInt(1000)).replace("e+05", "E5"));
    k.put("millions", i -> Double.toString(1e7 + rnd.nextInt(1_000_000) * 10.0));
    // Contract key columns: left out by name, their type alone read.
    k.put("customer_id", i -> "C" + (i * 7919 % 100_000));
    k.put("loan_id", i -> String.valueOf(5_000_000 + i));
    return k;
  }

  /** A file of the kinds' columns and a label column from {@code label}. */
  private Path write(String name, List<String> columns, Map<String, IntFunction<String>> kinds,
      IntFunction<String> label, int rows) throws Exception {
    StringBuilder sb = new StringBuilder(String.join(",", columns)).append(",bad\n");
    for (int i = 0; i < rows; i++) {
      for (String c : columns) {
        sb.append(kinds.get(c.replaceAll("_[0-9]+$", "")).apply(i)).append(',');
      }
      sb.append(label.apply(i)).append('\n');
    }
    Path p = dir.resolve(name + ".csv");
    Files.writeString(p, sb);
    return p;
  }

  private BinFeatures.Input input(Path in, String badValue, List<String> features, List<String> categorical,
      int maxBins, String monotonicity, Path out) {
    return new BinFeatures.Input(in.toString(), null, "bad", badValue, features, categorical, new double[] {-9},
        maxBins, 0.05, monotonicity, false, out.toString());
  }

  /** "local" when the local read took the file (and its files equal Spark's), "spark" when it left it. */
  private String compare(String name, Path p, String badValue, List<String> features, List<String> categorical,
      int maxBins, String monotonicity) throws Exception {
    return compare(name, out -> input(p, badValue, features, categorical, maxBins, monotonicity, out)).kind();
  }

  /** How a run went: "local", "spark" or "spark error" (the Spark path's input error), and the local read's reason. */
  private record Outcome(String kind, String because) {}

  /** {@link #compare} on the input {@code in} gives for an output folder. */
  private Outcome compare(String name, java.util.function.Function<Path, BinFeatures.Input> in) throws Exception {
    Path local = dir.resolve(name + "-local");
    Path viaSpark = dir.resolve(name + "-spark");
    BinFeatures.Local l = BinFeatures.runLocal(CreditRiskConfig.defaults(), in.apply(local));
    BinFeatures.Result s;
    try {
      s = BinFeatures.run(spark, in.apply(viaSpark));
    } catch (CreditRiskException e) {
      // An input error is the Spark path's to report: the local read must have left the file to it.
      assertNull(l.result(), name + ": " + e.getMessage());
      assertTrue(!Files.exists(local), name + ": nothing written");
      return new Outcome("spark error", l.sparkBecause());
    }
    if (l.result() == null) {
      assertNotNull(l.sparkBecause());
      assertTrue(!Files.exists(local), name + ": nothing written");
      return new Outcome("spark", l.sparkBecause());
    }
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(viaSpark.resolve(f)), Files.readAllBytes(local.resolve(f)),
          name + " " + f + ":\n" + Files.readString(local.resolve(f)) + "\nagainst\n"
              + Files.readString(viaSpark.resolve(f)));
    }
    assertEquals(s.features(), l.result().features(), name);
    assertEquals(s.excluded(), l.result().excluded(), name);
    assertEquals(s.labelledRows(), l.result().labelledRows(), name);
    assertEquals(s.unlabeledRows(), l.result().unlabeledRows(), name);
    return new Outcome("local", null);
  }

  @Test
  void everyKindTogetherGivesTheSparkPathsFilesByteForByte() throws Exception {
    Random rnd = new Random(7);
    Map<String, IntFunction<String>> k = kinds(rnd);
    List<String> cols = new ArrayList<>(k.keySet());
    // A 0/1 label with null rows; the identifier-like column is left out by the screening.
    Path p = write("all", cols, k, i -> i % 50 == 0 ? "" : rnd.nextInt(6) == 0 ? "1" : "0", 3000);
    assertEquals("local", compare("all", p, null, List.of(), List.of(), 20, "auto"));
    // Named in --features, the identifier-like column is binned as asked; scores as categories.
    assertEquals("local", compare("named", p, null, List.of("score", "customer_ref", "ties", "booleans"),
        List.of("score"), 6, "descending"));
  }

  @Test
  void labelsWithBadValueGiveTheSparkPathsFiles() throws Exception {
    Random rnd = new Random(11);
    Map<String, IntFunction<String>> k = kinds(rnd);
    List<String> cols = List.of("doubles", "coded", "levels", "ties", "score");
    Path words = write("words", cols, k, i -> rnd.nextInt(5) == 0 ? "default" : i % 30 == 0 ? "" : "paid", 2000);
    assertEquals("local", compare("words", words, "default", List.of(), List.of(), 10, "auto"));
    // A numeric label with a numeric bad value is compared as a number: 2.0 is 2.
    Path codes = write("codes", cols, k, i -> rnd.nextInt(5) == 0 ? (i % 2 == 0 ? "2" : "2.0") : "1", 2000);
    assertEquals("local", compare("codes", codes, "2", List.of(), List.of(), 8, "ascending"));
    assertEquals("local", compare("none", codes, "2", List.of("ties", "score"), List.of("score"), 4, "none"));
  }

  @Test
  void randomMixturesAreEitherTheSparkPathsFilesOrLeftToSpark() throws Exception {
    Random rnd = new Random(16);
    Map<String, IntFunction<String>> k = kinds(rnd);
    int local = k.size();
    // Kinds the local read leaves to Spark: a scale-0 exponent (a decimal to inference),
    // capitalised booleans, a date, a padded word.
    k.put("scale0_exponents", i -> (1 + rnd.nextInt(9)) + "." + rnd.nextInt(10) + "E1");
    k.put("capital_booleans", i -> rnd.nextBoolean() ? "True" : "False");
    k.put("dates", i -> String.format(Locale.ROOT, "2024-01-%02d", 1 + rnd.nextInt(28)));
    k.put("padded", i -> rnd.nextBoolean() ? " north" : "south");
    List<String> names = new ArrayList<>(k.keySet());
    List<String> plain = names.subList(0, local);
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (int file = 0; file < 10; file++) {
      List<String> from = file % 3 == 2 ? names : plain;
      List<String> cols = new ArrayList<>();
      int width = 2 + rnd.nextInt(5);
      for (int c = 0; c < width; c++) {
        cols.add(from.get(rnd.nextInt(from.size())) + "_" + c);
      }
      Path p = write("mix" + file, cols, k, i -> rnd.nextInt(4) == 0 ? "1" : "0", 500 + rnd.nextInt(1500));
      List<String> features = file % 4 == 1 ? cols.subList(0, 1 + rnd.nextInt(cols.size())) : List.of();
      String outcome = compare("mix" + file, p, null, features, List.of(), 2 + rnd.nextInt(20),
          List.of("auto", "ascending", "descending", "none").get(rnd.nextInt(4)));
      outcomes.merge(outcome, 1, Integer::sum);
    }
    assertTrue(outcomes.getOrDefault("local", 0) >= 5, outcomes.toString());
  }

  /**
   * Inference's types for the exponent spellings the local read decides on: a negative scale
   * (1E5, 1.5E7, 1.001E5) is a double, because DecimalType rejects it; scale 0 (15e0, 1.5E1) is a
   * decimal, which LocalCsv.number leaves to Spark.
   */
  @Test
  void inferenceReadsANegativeScaleAsADoubleAndScaleZeroAsADecimal() throws Exception {
    Path p = dir.resolve("exponents.csv");
    Files.writeString(p, "a,b,c,d,e\n1E5,1.5E7,1.001E5,15e0,1.5E1\n2E5,2.5E7,1.002E5,16e0,2.5E1\n");
    org.apache.spark.sql.types.StructType t = BinFeatures.read(spark, p.toString(), "csv").schema();
    for (String c : List.of("a", "b", "c")) {
      assertEquals(org.apache.spark.sql.types.DataTypes.DoubleType, t.apply(c).dataType(), c);
    }
    assertEquals(org.apache.spark.sql.types.DataTypes.createDecimalType(2, 0), t.apply("d").dataType());
    assertEquals(org.apache.spark.sql.types.DataTypes.createDecimalType(2, 0), t.apply("e").dataType());
    assertEquals(1.5E7, com.creditrisk.io.LocalCsv.number("x,1.5E7".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 2, 7));
  }

  /**
   * With the default screening a contract key column is left out by its name, so its values are
   * never kept: 1,098,576 distinct customer_id values, over MAX_TEXT_VALUES, stay local. With
   * --include-id-columns it is binned, its values kept, and past MAX_TEXT_VALUES the file goes to
   * Spark.
   */
  @Test
  void keyColumnsAreReadForTheirTypeOnlyWhenTheScreeningLeavesThemOut() throws Exception {
    int rows = LocalBins.MAX_TEXT_VALUES + 50_000;
    StringBuilder sb = new StringBuilder("customer_id,x,bad\n");
    for (int i = 0; i < rows; i++) {
      sb.append('c').append(i).append(',').append(i % 7).append(',').append(i % 5 == 0 ? 1 : 0).append('\n');
    }
    Path p = dir.resolve("keys.csv");
    Files.writeString(p, sb);
    BinFeatures.Local l = BinFeatures.runLocal(CreditRiskConfig.defaults(),
        input(p, null, List.of(), List.of(), 5, "auto", dir.resolve("keys-out")));
    assertNotNull(l.result(), l.sparkBecause());
    assertEquals(List.of("x"), l.result().features());
    assertEquals(List.of(new IdentifierColumns.Excluded("customer_id", "a key column of the input contract")),
        l.result().excluded());
    BinFeatures.Local kept = BinFeatures.runLocal(CreditRiskConfig.defaults(), new BinFeatures.Input(p.toString(),
        null, "bad", null, List.of(), List.of(), new double[0], 5, 0.05, "auto", true,
        dir.resolve("keys-kept").toString()));
    assertNull(kept.result());
    assertEquals("more than " + LocalBins.MAX_TEXT_VALUES + " distinct text values", kept.sparkBecause());
    assertTrue(!Files.exists(dir.resolve("keys-kept")));
  }

  /** "v,bad" then {@code n} lines of v's cell and a label (by default 1 every fourth row). */
  private static String rows(int n, IntFunction<String> v, IntFunction<String> label) {
    StringBuilder sb = new StringBuilder("v,bad\n");
    for (int i = 0; i < n; i++) {
      sb.append(v.apply(i)).append(',').append(label.apply(i)).append('\n');
    }
    return sb.toString();
  }

  private static String zeroOne(int i) {
    return i % 4 == 0 ? "1" : "0";
  }

  /** A column of small integers with {@code odd} first and every tenth row: the odd cell sets its kind. */
  private static String oddFirst(String odd) {
    return rows(60, i -> i % 10 == 0 ? odd : String.valueOf(i % 9), LocalBinsPropertyTest::zeroOne);
  }

  /** A column of small integers with {@code odd} at row 5. */
  private static String oddLater(String odd) {
    return rows(60, i -> i == 5 ? odd : String.valueOf(i % 9), LocalBinsPropertyTest::zeroOne);
  }

  /** One file, the options beyond the defaults, and the outcome: "local", "spark error" or the reason it goes to Spark. */
  private record Single(String name, String content, String badValue, List<String> categorical, double[] specials,
      String expected) {
    Single(String name, String content, String expected) {
      this(name, content, null, List.of(), new double[0], expected);
    }
  }

  private static final String UNDECIDED = "a column whose type the spelling does not decide";

  /**
   * Single-column cases, each with its expected outcome: "local" is checked byte for byte against
   * the Spark path's files, a reason against the local read's; words inference types otherwise,
   * numbers at the grammar's edges, line and header spellings, labels, categorical cells and a
   * special value at the edges of their rules.
   */
  @Test
  void eachSingleColumnCaseHasItsExpectedOutcome() throws Exception {
    List<Single> cases = new ArrayList<>();
    for (String w : List.of("NaN", "Inf", "-Inf", "Infinity", "null", "TRUE", "True", "T12", "t1", "epoch", "today")) {
      cases.add(new Single("word-" + w, oddFirst(w), UNDECIDED));
    }
    cases.add(new Single("word-paid", oddFirst("paid"), "local"));
    cases.add(new Single("decimal-1.5e1", oddLater("1.5e1"), "an exponent that inference reads as a decimal"));
    cases.add(new Single("19-digits", oddLater("1234567890123456789"), "an integer of more than 18 digits"));
    cases.add(new Single("plus-1", oddLater("+1"), "a cell that is not a plain number"));
    cases.add(new Single("double-1.5E7", oddLater("1.5E7"), "local"));
    cases.add(new Single("double-1E5", oddLater("1E5"), "local"));
    cases.add(new Single("crlf", oddLater("7").replace("\n", "\r\n"), "local"));
    cases.add(new Single("trailing-empty-line", oddLater("7") + "\n", "an empty line"));
    cases.add(new Single("blank-line", oddLater("7").replace("\n5,", "\n   \n5,"), "a line with 1 fields, not 2"));
    cases.add(new Single("header-as-data", oddLater("7").replace("\n5,", "\nv,bad\n5,"),
        "a line equal to the header line"));
    cases.add(new Single("header-repeats-in-other-case", oddLater("7").replace("v,bad\n", "v,V,bad\n")
        .replaceAll("(?m)^([0-9]+),", "$1,$1,"), "a header name Spark would rename or read otherwise"));
    String booleans = rows(60, i -> String.valueOf(i % 9), i -> i % 4 == 0 ? "true" : "false");
    cases.add(new Single("boolean-label", booleans, "true", List.of(), new double[0], "local"));
    cases.add(new Single("boolean-label-capital-bad-value", booleans, "TRUE", List.of(), new double[0],
        "spark error"));
    cases.add(new Single("text-label-with-numbers", rows(60, i -> String.valueOf(i % 9),
        i -> i % 4 == 0 ? "default" : i % 4 == 1 ? "1" : "paid"), "default", List.of(), new double[0], "local"));
    cases.add(new Single("categorical-minus-zero-and-007", rows(60, i -> i % 3 == 0 ? "-0" : i % 3 == 1 ? "007"
        : String.valueOf(i % 9), LocalBinsPropertyTest::zeroOne), null, List.of("v"), new double[0], "local"));
    cases.add(new Single("special-minus-zero", rows(60, i -> i % 3 == 0 ? "-0.0" : i % 3 == 1 ? "0"
        : String.valueOf(i % 9 + 0.5), LocalBinsPropertyTest::zeroOne), null, List.of(), new double[] {-0.0},
        "local"));
    for (Single c : cases) {
      Path p = dir.resolve(c.name() + ".csv");
      Files.writeString(p, c.content());
      Outcome o = compare(c.name(), out -> new BinFeatures.Input(p.toString(), null, "bad", c.badValue(),
          c.categorical().isEmpty() ? List.of() : List.of("v"), c.categorical(), c.specials(), 5, 0.05, "auto", false,
          out.toString()));
      if (c.expected().equals("local") || c.expected().equals("spark error")) {
        assertEquals(c.expected(), o.kind(), c.name() + ": " + o.because());
      } else {
        assertEquals("spark", o.kind(), c.name());
        assertTrue(o.because().startsWith(c.expected()), c.name() + ": " + o.because());
      }
    }
  }

  /**
   * A column whose halves start with different kinds (numbers in the first, a word first in the
   * second) is a string to inference: the halves' kinds differ, so it goes to Spark.
   */
  @Test
  void halvesOfDifferentKindsGoToSpark() throws Exception {
    String text = rows(700_000, i -> String.valueOf(1000 + i % 9000), LocalBinsPropertyTest::zeroOne);
    int mid = 6 + (text.length() - 6) / 2;
    int cut = text.indexOf('\n', mid) + 1;
    Path p = dir.resolve("kinds.csv");
    Files.writeString(p, text.substring(0, cut) + "paid" + text.substring(cut + 4));
    assertTrue(Files.size(p) > com.creditrisk.io.LocalCsv.SPLIT_BYTES);
    Outcome o = compare("kinds", out -> input(p, null, List.of(), List.of(), 5, "auto", out));
    assertEquals(new Outcome("spark", "a column of two kinds"), o);
  }

  /**
   * Two threads read a file of more than LocalCsv.SPLIT_BYTES, each half its own counts, joined; a
   * cell either half cannot vouch for sends the file to Spark.
   */
  @Test
  void aFileReadInTwoHalvesGivesTheSparkPathsFiles() throws Exception {
    Random rnd = new Random(5);
    Map<String, IntFunction<String>> k = kinds(rnd);
    List<String> cols = List.of("doubles", "doubles_1", "coded", "sparse", "levels", "grades", "booleans", "score");
    Path p = write("big", cols, k, i -> i % 97 == 0 ? "" : rnd.nextInt(9) == 0 ? "1" : "0", 60_000);
    assertTrue(Files.size(p) > com.creditrisk.io.LocalCsv.SPLIT_BYTES, Files.size(p) + " bytes");
    assertEquals("local", compare("big", p, null, List.of(), List.of(), 20, "auto"));
    // A text cell in a number column early in the first half, then late in the second: either half
    // leaves the whole file to Spark, which reads the column as a string.
    String text = Files.readString(p);
    int early = text.indexOf('\n', 1000) + 1;
    Files.writeString(p, text.substring(0, early) + "n/a" + text.substring(text.indexOf(',', early)));
    Outcome first = compare("big-early", out -> input(p, null, List.of(), List.of(), 20, "auto", out));
    assertEquals(new Outcome("spark", "a cell that is not a plain number"), first);
    int late = text.lastIndexOf('\n', text.length() - 1000) + 1;
    Files.writeString(p, text.substring(0, late) + "n/a" + text.substring(text.indexOf(',', late)));
    Outcome lateOne = compare("big-late", out -> input(p, null, List.of(), List.of(), 20, "auto", out));
    assertEquals(new Outcome("spark", "a cell that is not a plain number"), lateOne);
  }

  /**
   * A cp1252-style column: the word "id", then "id" and one lone continuation byte 0x80 + i. Read
   * raw, its 60 byte strings are 60 distinct values (an identifier, left out); Spark decodes the 59
   * to "id\uFFFD", two values in all, and bins it. Likewise two label spellings Spark reads as the --bad-value "b\uFFFD".
   * Either goes to Spark.
   */
  @Test
  void textThatIsNotUtf8GoesToSpark() throws Exception {
    java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
    names.writeBytes("name,x,bad\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
    labels.writeBytes("x,bad\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int i = 0; i < 60; i++) {
      names.writeBytes(i == 0 ? new byte[] {'i', 'd'} : new byte[] {'i', 'd', (byte) (0x80 + i)});
      names.writeBytes((',' + String.valueOf(i % 7) + ',' + (i % 4 == 0 ? 1 : 0) + '\n')
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      labels.writeBytes((String.valueOf(i % 7) + ',').getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      labels.writeBytes(i % 3 == 0 ? new byte[] {'b', (byte) (0x80 + i % 2)} : new byte[] {'g'});
      labels.write('\n');
    }
    Path p = dir.resolve("latin.csv");
    Files.write(p, names.toByteArray());
    assertEquals("spark", compare("latin", p, null, List.of(), List.of(), 5, "auto"));
    assertEquals("a text cell that is not UTF-8", BinFeatures.runLocal(CreditRiskConfig.defaults(),
        input(p, null, List.of(), List.of(), 5, "auto", dir.resolve("latin-again"))).sparkBecause());
    Path q = dir.resolve("latin-label.csv");
    Files.write(q, labels.toByteArray());
    assertEquals("spark", compare("latin-label", q, "b\uFFFD", List.of(), List.of(), 5, "auto"));
    assertEquals("a text cell that is not UTF-8", BinFeatures.runLocal(CreditRiskConfig.defaults(),
        input(q, "b\uFFFD", List.of(), List.of(), 5, "auto", dir.resolve("latin-label-again"))).sparkBecause());
  }

  /**
   * In a JVM of -Xmx64m a file of 8 MB, within binning.local_max_bytes but over a tenth of the heap
   * (LocalCsv.fitsHeap, validate's rule), goes to Spark, which spills, instead of being read into a
   * heap it may not fit.
   */
  @Test
  void aFileOverATenthOfTheHeapGoesToSpark() throws Exception {
    Path p = dir.resolve("heap.csv");
    byte[] b = new byte[6 + 4 * 2_000_000];
    System.arraycopy("x,bad\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 6);
    for (int i = 6; i < b.length; i += 4) {
      b[i] = (byte) ('0' + (i / 4) % 10);
      b[i + 1] = ',';
      b[i + 2] = (byte) ('0' + (i / 4) % 2);
      b[i + 3] = '\n';
    }
    Files.write(p, b);
    Path out = dir.resolve("heap-out");
    Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), SmallHeap.class.getName(), p.toString(), out.toString())
        .redirectErrorStream(true).start();
    String output = new String(proc.getInputStream().readAllBytes());
    assertTrue(proc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
    assertEquals(0, proc.exitValue(), output);
    assertTrue(output.contains("because: " + b.length + " bytes, over 1/10 of the JVM's maximum heap"), output);
    assertTrue(!Files.exists(out));
  }

  /** Runs bin's local path in this JVM and prints why it left the file to Spark. */
  public static final class SmallHeap {
    public static void main(String[] args) {
      BinFeatures.Local l = BinFeatures.runLocal(CreditRiskConfig.defaults(), new BinFeatures.Input(args[0], null,
          "bad", null, List.of(), List.of(), new double[0], 5, 0.05, "auto", false, args[1]));
      System.out.println("because: " + l.sparkBecause());
    }
  }

  /**
   * An interrupt while the file is read closes its channel: the command is cancelled (an error,
   * the flag kept), not sent to Spark on an interrupted thread, and nothing is written.
   */
  @Test
  void anInterruptCancelsTheLocalReadInsteadOfGoingToSpark() throws Exception {
    Random rnd = new Random(3);
    Path p = write("cancel", List.of("doubles"), kinds(rnd), i -> i % 3 == 0 ? "1" : "0", 200);
    BinFeatures.Input in = input(p, null, List.of(), List.of(), 5, "auto", dir.resolve("cancel-out"));
    Thread.currentThread().interrupt();
    try {
      CreditRiskException e = org.junit.jupiter.api.Assertions.assertThrows(CreditRiskException.class,
          () -> BinFeatures.runLocal(CreditRiskConfig.defaults(), in));
      assertTrue(e.getMessage().startsWith("Interrupted while reading a local CSV file"), e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertTrue(!Files.exists(dir.resolve("cancel-out")));
  }

  /**
   * A spark.sql.* setting that may change how Spark reads the CSV (spark.sql.caseSensitive: a
   * header with "x" and "X" is then two columns) goes to Spark, whatever the file; so does any key
   * outside the short list, here spark.sql.legacy.allowNegativeScaleOfDecimal.
   */
  @Test
  void aSparkSqlSettingOutsideTheListGoesToSpark() throws Exception {
    Path p = write("conf", List.of("doubles"), kinds(new Random(4)), i -> i % 3 == 0 ? "1" : "0", 200);
    for (String key : List.of("spark.sql.caseSensitive", "spark.sql.legacy.allowNegativeScaleOfDecimal")) {
      BinFeatures.Local l = BinFeatures.runLocal(CreditRiskConfig.defaults().with(List.of("spark.conf." + key
          + "=true")), input(p, null, List.of(), List.of(), 5, "auto", dir.resolve("conf-out")));
      assertNull(l.result(), key);
      assertEquals("the Spark setting " + key + "=true", l.sparkBecause());
    }
    assertTrue(!Files.exists(dir.resolve("conf-out")));
    assertNotNull(BinFeatures.runLocal(CreditRiskConfig.defaults().with(List.of(
        "spark.conf.spark.sql.shuffle.partitions=8")), input(p, null, List.of(), List.of(), 5, "auto",
        dir.resolve("conf-out"))).result());
  }

  /**
   * Writing is not part of the local read: a folder that cannot be made (under a regular file) is
   * the command's failure, not a reason to read the file again with Spark.
   */
  @Test
  void aFailureToWriteEndsTheCommandInsteadOfGoingToSpark() throws Exception {
    Path p = write("unwritable", List.of("doubles"), kinds(new Random(6)), i -> i % 3 == 0 ? "1" : "0", 200);
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> BinFeatures.runLocal(CreditRiskConfig.defaults(), input(p, null, List.of(), List.of(), 5, "auto",
            file.resolve("out"))));
    assertTrue(e.getMessage().startsWith("Cannot write the bin outputs to "), e.getMessage());
  }

  @Test
  void theKeyAtZeroAndAnotherFormatLeaveTheFileToSpark() throws Exception {
    Random rnd = new Random(2);
    Map<String, IntFunction<String>> k = kinds(rnd);
    Path p = write("off", List.of("doubles"), k, i -> i % 3 == 0 ? "1" : "0", 200);
    BinFeatures.Input in = input(p, null, List.of(), List.of(), 5, "auto", dir.resolve("off-out"));
    BinFeatures.Local off = BinFeatures.runLocal(CreditRiskConfig.defaults().with(List.of(
        "binning.local_max_bytes=0")), in);
    assertNull(off.result());
    assertEquals("binning.local_max_bytes is 0", off.sparkBecause());
    BinFeatures.Local over = BinFeatures.runLocal(CreditRiskConfig.defaults().with(List.of(
        "binning.local_max_bytes=100")), in);
    assertNull(over.result());
    assertEquals(Files.size(p) + " bytes, over binning.local_max_bytes 100", over.sparkBecause());
    BinFeatures.Local parquet = BinFeatures.runLocal(CreditRiskConfig.defaults(), new BinFeatures.Input(p.toString(),
        "parquet", "bad", null, List.of(), List.of(), new double[0], 5, 0.05, "auto", false,
        dir.resolve("off-out").toString()));
    assertNull(parquet.result());
    assertEquals("--format parquet", parquet.sparkBecause());
    assertTrue(!Files.exists(dir.resolve("off-out")));
    assertNotNull(BinFeatures.runLocal(CreditRiskConfig.defaults(), in).result());
  }
}
