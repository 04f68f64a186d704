package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin on a small local CSV, read in the JVM without Spark: the same five files and output as with
 * binning.local_max_bytes=0 (Spark), "Spark jobs: 0", no SparkSession made; a file the local read
 * does not take gives the Spark path's files, or exactly its error text and exit code with nothing
 * written.
 */
class BinLocalFileTest {
  @TempDir Path dir;

  private static final List<String> FILES = List.of("bins.csv", "bins.json", "iv.csv", "iv.json", "summary.json");

  /**
   * 60 rows: income 1000 + 37 i mod 900 (a tie every so often), grade A..C by i mod 3, region empty
   * every 7th row, bad for i mod 5 = 0 (12 bads); the cell of row {@code odd} in column
   * {@code col} (0 income, 3 bad) spelled as given.
   */
  private Path table(String name, int col, int odd, String spelling) throws IOException {
    List<String> lines = new ArrayList<>(List.of("income,grade,region,bad"));
    for (int i = 0; i < 60; i++) {
      String[] cells = {String.valueOf(1000 + (37 * i) % 900) + "." + (i % 4), "ABC".substring(i % 3, i % 3 + 1),
          i % 7 == 0 ? "" : i % 2 == 0 ? "north" : "south", i % 5 == 0 ? "1" : "0"};
      if (i == odd) {
        cells[col] = spelling;
      }
      lines.add(String.join(",", cells));
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private CommandLineTest.Run bin(Path input, String out, String... more) {
    List<String> args = new ArrayList<>(List.of("bin", "--input", input.toString(), "--label-col", "bad",
        "--max-bins", "5", "--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CommandLineTest.run(args.toArray(new String[0]));
  }

  private void assertSameFiles(String a, String b) throws IOException {
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(a).resolve(f)), Files.readAllBytes(dir.resolve(b).resolve(f)),
          f);
    }
  }

  @Test
  void aSmallLocalCsvGivesTheSparkPathsFilesWithNoSparkJob() throws IOException {
    TestSpark.get();
    Path p = table("plain.csv", 0, -1, null);
    CommandLineTest.Run local = bin(p, "local");
    CommandLineTest.Run spark = bin(p, "spark", "--set", "binning.local_max_bytes=0");
    assertEquals(0, local.code(), local.err());
    assertEquals(0, spark.code(), spark.err());
    assertTrue(local.out().endsWith("Spark jobs: 0\n"), local.out());
    assertFalse(spark.out().contains("Spark jobs: 0\n"), spark.out());
    assertEquals(spark.out().replace(dir.resolve("spark").toString(), "OUT").replaceAll("Spark jobs: \\d+", ""),
        local.out().replace(dir.resolve("local").toString(), "OUT").replaceAll("Spark jobs: \\d+", ""));
    assertSameFiles("spark", "local");
  }

  /** The same command with the local read allowed and with it off: the same exit code and error, nothing written. */
  private void assertSameFailure(Path p, String what, String... more) {
    CommandLineTest.Run local = bin(p, "local-" + what, more);
    List<String> off = new ArrayList<>(List.of(more));
    off.addAll(List.of("--set", "binning.local_max_bytes=0"));
    CommandLineTest.Run spark = bin(p, "spark-" + what, off.toArray(new String[0]));
    assertEquals(3, spark.code(), what + ": " + spark.err());
    assertEquals(spark.code(), local.code(), what);
    assertEquals(spark.err().replace("spark-" + what, "OUT"), local.err().replace("local-" + what, "OUT"), what);
    assertFalse(Files.exists(dir.resolve("local-" + what)), what + ": nothing written");
  }

  @Test
  void aQuotedFieldABadLabelAndAMissingFeatureGiveTheSparkPathsError() throws IOException {
    TestSpark.get();
    // A quoted grade that Spark reads as a plain one, but a label 2 elsewhere: the quote alone sends it to Spark.
    Path quoted = table("quoted.csv", 1, 4, "\"B\"");
    Files.writeString(quoted, Files.readString(quoted).replace("\n1037.1,B,south,0\n", "\n1037.1,B,south,2\n"));
    assertTrue(Files.readString(quoted).contains(",2\n"));
    assertSameFailure(quoted, "quoted");
    assertSameFailure(table("label2.csv", 3, 11, "2"), "label2");
    assertSameFailure(table("words.csv", 3, 12, "maybe"), "words");
    assertSameFailure(table("missing.csv", 0, -1, null), "missing", "--features", "income,limit");
  }

  @Test
  void aTextCellInANumericColumnGoesToSparkWithItsAnswer() throws IOException {
    TestSpark.get();
    Path p = table("text.csv", 0, 9, "n/a");
    CommandLineTest.Run local = bin(p, "text-local");
    CommandLineTest.Run spark = bin(p, "text-spark", "--set", "binning.local_max_bytes=0");
    assertEquals(0, local.code(), local.err());
    assertFalse(local.out().contains("Spark jobs: 0\n"), local.out());
    assertEquals(spark.out().replace("text-spark", "OUT").replaceAll("Spark jobs: \\d+", ""),
        local.out().replace("text-local", "OUT").replaceAll("Spark jobs: \\d+", ""));
    assertSameFiles("text-spark", "text-local");
  }

  @Test
  void aLocalRunMakesNoSparkSession() throws Exception {
    Path p = table("alone.csv", 0, -1, null);
    Path out = dir.resolve("alone-out");
    LocalRunNoSession.assertNoSession("bin", "--input", p.toString(), "--label-col", "bad", "--out", out.toString());
    assertTrue(Files.exists(out.resolve("bins.json")));
  }
}
