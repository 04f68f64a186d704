package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate --scores on a table whose column names and grade and month values are markup: the
 * report shows them as text (DESIGN.md, "Data protection": every value from data is escaped).
 */
class ValidateEscapingTest {
  static final String SCORE = "<script>alert('score')</script>";
  static final String LABEL = "<img src=x onerror=alert('label')>";
  static final String PD = "<script>alert('pd')</script>";
  static final String GRADE = "<img src=x onerror=alert('grade')>";
  static final String MONTH = "<script>alert('month')</script>";

  @TempDir Path dir;

  @BeforeAll
  static void spark() {
    TestSpark.get();
  }

  /**
   * 60 rows: score 400 + 5 i (higher = safe), bad for i < 12 and i mod 9 = 0, pd falling with the
   * score, grade and month values that are markup, alternating by parity.
   */
  private Path scores() throws IOException {
    List<String> lines = new ArrayList<>(List.of(String.join(",", "id", SCORE, LABEL, PD, GRADE, MONTH)));
    for (int i = 1; i <= 60; i++) {
      boolean bad = i < 12 || i % 9 == 0;
      lines.add(String.join(",", String.valueOf(i), String.valueOf(400 + 5 * i), bad ? "1" : "0",
          String.valueOf(0.6 - i * 0.009), i % 2 == 0 ? "<script>alert('A')</script>" : "<img src=x onerror=alert('B')>",
          i % 2 == 0 ? "<img src=x onerror=alert('m1')>" : "<script>alert('m2')</script>"));
    }
    Path p = dir.resolve("scores.csv");
    Files.write(p, lines);
    return p;
  }

  @Test
  void columnNamesGradesAndMonthsThatAreMarkupAreEscapedInTheReport() throws IOException {
    Path out = dir.resolve("out");
    String table = scores().toString();
    CommandLineTest.Run r = CommandLineTest.run("validate", "--scores", table, "--score-col", SCORE,
        "--label-col", LABEL, "--pd-col", PD, "--grade-col", GRADE, "--month-col", MONTH, "--baseline", table,
        "--compare-col", PD, "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(out.resolve("report.html"));
    String lower = html.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains("<script"), "a <script> tag survives");
    assertFalse(lower.contains("<img"), "an <img> tag survives");
    // The payloads do reach the page, as text: the score column's name and a grade.
    assertTrue(html.contains("&lt;script&gt;alert(&#39;score&#39;)&lt;/script&gt;")
        || html.contains("&lt;script&gt;alert('score')&lt;/script&gt;"), "score column name shown as text");
    assertTrue(html.contains("&lt;img src=x onerror=alert(&#39;B&#39;)&gt;")
        || html.contains("&lt;img src=x onerror=alert('B')&gt;"), "grade shown as text");
  }
}
