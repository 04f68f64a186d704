package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rfc4180;
import com.creditrisk.metrics.Discrimination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model card's fields and its escaping of data values (CSV read back by python3's csv), without Spark. */
class ModelCardTest {

  @Test
  void thePdWhereKsPeaksIsNamedKsAtPdNotKsPd() {
    Map<String, Object> m = ModelCard.metrics(new Discrimination.Result(1000, 100, 0.7, 0.4, 0.3, 0.083));
    assertEquals(List.of("n", "n_bad", "auc", "gini", "ks", "ks_at_pd"), List.copyOf(m.keySet()));
    assertEquals(0.083, m.get("ks_at_pd"));
    assertEquals(0.3, m.get("ks"));
  }

  private static Scorecard.Line line(String feature, String levels) {
    return new Scorecard.Line(feature, 2, levels, "levels", 120, 9, 0.075, -0.25, -0.8, 41.5);
  }

  @Test
  void aCommaOrAQuoteInALevelStaysInItsCsvField() {
    String csv = ModelCard.csv(List.of(line("product", "Pay \"Later\", plus"), line("chan,nel", "web")));
    assertEquals("feature,bin,range_or_levels,kind,count,bads,bad_rate,woe,coefficient,points\n"
        + "\"product\",2,\"Pay \"\"Later\"\", plus\",levels,120,9,0.075,-0.25,-0.8,41.5\n"
        + "\"chan,nel\",2,\"web\",levels,120,9,0.075,-0.25,-0.8,41.5\n", csv);
  }

  @Test
  void aLevelWithACommaAQuoteAndANewlineRoundTripsThroughAnRfc4180Reader(@TempDir Path dir) throws IOException {
    String level = "Pay \"Later\", now\nor never";
    Path file = dir.resolve("scorecard.csv");
    Files.writeString(file, ModelCard.csv(List.of(line("product", level))));
    List<List<String>> rows = Rfc4180.read(file);
    assertEquals(2, rows.size(), rows.toString());
    assertEquals(List.of("product", "2", level, "levels"), rows.get(1).subList(0, 4));
  }

  @Test
  void aPipeOrHtmlInALevelIsEscapedInTheMarkdownTable() {
    String md = ModelCard.scorecardTable(List.of(line("product", "<img src=x onerror=alert(1)>"),
        line("channel", "web|app"), line("a_b`c", "x*y*")));
    assertFalse(md.contains("<img"), md);
    assertTrue(md.contains("| product | &lt;img src=x onerror=alert(1)&gt; | 120 |"), md);
    assertTrue(md.contains("| channel | web\\|app | 120 |"), md);
    assertTrue(md.contains("| a\\_b\\`c | x\\*y\\* | 120 |"), md);
    // Every row still has the header's seven pipes once escaped pipes are set aside.
    for (String row : md.split("\n")) {
      assertEquals(7, row.replace("\\|", "").chars().filter(ch -> ch == '|').count(), row);
    }
  }

  @Test
  void aNewlineInALevelDoesNotEndTheTableRow() {
    assertEquals("a b", ModelCard.mdCell("a\nb"));
    assertEquals("&amp;lt;", ModelCard.mdCell("&lt;"));
  }
}
