package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate --scores on a small local CSV, read in the JVM without Spark: the same metrics.json and
 * report.html as with validation.local_max_bytes=0 (Spark), "Spark jobs: 0", no SparkSession made;
 * and each file the local read does not take gives exactly the Spark path's error text and exit
 * code, with nothing written.
 */
class ValidateLocalFileTest {
  @TempDir Path dir;

  /**
   * 40 rows: score 300 + 7 i (higher = safe), bad for i < 8 and i = 20, 30 (10 bad), the cell of
   * row {@code odd} spelled as given in column {@code col} (0 score, 1 label).
   */
  private Path scores(String name, int col, int odd, String spelling) throws IOException {
    List<String> lines = new ArrayList<>(List.of("id,score,bad"));
    for (int i = 0; i < 40; i++) {
      String score = String.valueOf(300 + 7 * i);
      String bad = i < 8 || i == 20 || i == 30 ? "1" : "0";
      if (i == odd) {
        score = col == 0 ? spelling : score;
        bad = col == 1 ? spelling : bad;
      }
      lines.add(i + "," + score + "," + bad);
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private CommandLineTest.Run validate(Path scores, String out, String... more) {
    List<String> args = new ArrayList<>(List.of("validate", "--scores", scores.toString(), "--score-col", "score",
        "--label-col", "bad", "--target-bad-rate", "0.1", "--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CommandLineTest.run(args.toArray(new String[0]));
  }

  @Test
  void aSmallLocalCsvGivesTheSparkPathsFilesWithNoSparkJob() throws IOException {
    TestSpark.get();
    Path p = scores("plain.csv", 0, -1, null);
    CommandLineTest.Run local = validate(p, "local", "--baseline", p.toString());
    CommandLineTest.Run spark = validate(p, "spark", "--baseline", p.toString(), "--set",
        "validation.local_max_bytes=0");
    assertEquals(0, local.code(), local.err());
    assertEquals(0, spark.code(), spark.err());
    assertTrue(local.out().endsWith("Spark jobs: 0\n"), local.out());
    assertFalse(spark.out().contains("Spark jobs: 0\n"), spark.out());
    assertEquals(spark.out().replace(dir.resolve("spark").toString(), "OUT").replaceAll("Spark jobs: \\d+", ""),
        local.out().replace(dir.resolve("local").toString(), "OUT").replaceAll("Spark jobs: \\d+", ""));
    ObjectMapper json = new ObjectMapper();
    ObjectNode l = (ObjectNode) json.readTree(dir.resolve("local/metrics.json").toFile());
    ObjectNode s = (ObjectNode) json.readTree(dir.resolve("spark/metrics.json").toFile());
    l.remove("timings_ms");
    s.remove("timings_ms");
    assertEquals(s.toPrettyString(), l.toPrettyString());
    assertArrayEquals(Files.readAllBytes(dir.resolve("spark/report.html")),
        Files.readAllBytes(dir.resolve("local/report.html")));
  }

  /** The same command run with the local read allowed and with it off: the same exit code and error. */
  private void assertSameFailure(Path p, String what) {
    CommandLineTest.Run local = validate(p, "local-" + what);
    CommandLineTest.Run spark = validate(p, "spark-" + what, "--set", "validation.local_max_bytes=0");
    assertEquals(3, spark.code(), what + ": " + spark.err());
    assertEquals(spark.code(), local.code(), what);
    assertEquals(spark.err().replace("spark-" + what, "OUT"), local.err().replace("local-" + what, "OUT"), what);
    assertFalse(Files.exists(dir.resolve("local-" + what)), what + ": nothing written");
  }

  @Test
  void aQuotedFieldATextScoreAMissingColumnAndALabelOf2GiveTheSparkPathsError() throws IOException {
    TestSpark.get();
    // A quoted score that is a number to Spark, but a label 2 elsewhere: the quote alone sends it to Spark.
    Path quoted = scores("quoted.csv", 0, 5, "\"335\"");
    Files.writeString(quoted, Files.readString(quoted).replace("\n12,384,0\n", "\n12,384,2\n"));
    assertSameFailure(quoted, "quoted");
    assertSameFailure(scores("text.csv", 0, 9, "n/a"), "text");
    assertSameFailure(scores("label2.csv", 1, 11, "2"), "label2");
    Path missing = dir.resolve("missing.csv");
    Files.writeString(missing, Files.readString(scores("m.csv", 0, -1, null)).replace("id,score,bad", "id,points,bad"));
    assertSameFailure(missing, "missing");
  }

  @Test
  void aLocalRunMakesNoSparkSession() throws Exception {
    Path p = scores("alone.csv", 0, -1, null);
    Path out = dir.resolve("alone-out");
    LocalRunNoSession.assertNoSession("validate", "--scores", p.toString(), "--score-col", "score", "--label-col",
        "bad", "--out", out.toString());
    assertTrue(Files.exists(out.resolve("metrics.json")));
  }
}
