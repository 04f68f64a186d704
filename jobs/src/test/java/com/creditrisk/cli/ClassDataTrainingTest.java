package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training run (bin/credit-risk builds the archive from it): both commands
 * must succeed on its CSV, or the launcher would silently go without the archive.
 */
class ClassDataTrainingTest {
  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    TestSpark.get();
  }

  @Test
  void trainingRunsBinAndValidateToTheirOutputs() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, ClassDataTraining.run(run));
    // The numeric feature gets a missing and a special bin besides its ranges, the string one levels.
    List<String> bins = Files.readAllLines(run.resolve("bin/bins.csv"));
    assertTrue(bins.stream().anyMatch(l -> l.startsWith("x,") && l.contains(",missing,")), bins.toString());
    assertTrue(bins.stream().anyMatch(l -> l.startsWith("x,") && l.contains(",special,")), bins.toString());
    assertTrue(bins.stream().anyMatch(l -> l.startsWith("grade,") && l.contains(",levels,")), bins.toString());
    assertTrue(Files.exists(run.resolve("validate/metrics.json")));
    assertTrue(Files.exists(run.resolve("validate/report.html")));
  }

  @Test
  void trainingCsvHasBothClassesAndEveryCellKind() {
    List<String> rows = ClassDataTraining.trainingCsv().lines().skip(1).toList();
    assertEquals(ClassDataTraining.ROWS, rows.size());
    assertTrue(rows.stream().anyMatch(r -> r.startsWith(",")), "an empty x");
    assertTrue(rows.stream().anyMatch(r -> r.startsWith("-9,")), "a -9 code");
    assertTrue(rows.stream().anyMatch(r -> r.endsWith(",1")) && rows.stream().anyMatch(r -> r.endsWith(",0")));
  }
}
