package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.io.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin never writes identifiers (DESIGN.md, "Data protection"): identifier-like columns are left out
 * and reported, an "other" bin is a count, and a level with CSV's special characters round-trips.
 */
class BinDataProtectionTest {
  /** A product level with every character RFC 4180 quotes for. */
  static final String AWKWARD = "Pay \"Later\", now\nor never";

  @TempDir Path dir;
  static SparkSession spark;

  @BeforeAll
  static void spark() {
    spark = TestSpark.get();
  }

  /**
   * 120 rows, i = 0..119: customer_id cust-000.. (unique, a contract key column); ref ref-000..ref-109
   * (i mod 110: 110 distinct in 120 rows, 91.7% >= 90% and > 50, so near-unique); product
   * AWKWARD (i mod 3 = 0, 40 rows), plain (40), card (36) and secret-2, -5, -8, -11 (one row
   * each, under the 5% share: the "other" bin, 4 levels and 4 rows); x = i; y bad when i mod 5 = 0
   * or i mod 6 = 0.
   */
  private String table() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String product = i % 3 == 0 ? AWKWARD : i % 3 == 1 ? "plain" : i < 12 ? "secret-" + i : "card";
      rows.add(RowFactory.create(String.format("cust-%03d", i), String.format("ref-%03d", i % 110), product,
          (double) i, i % 5 == 0 || i % 6 == 0 ? 1 : 0));
    }
    String path = dir.resolve("table").toString();
    spark.createDataFrame(rows, Rows.schema("customer_id string", "ref string", "product string", "x double",
        "y int")).write().parquet(path);
    return path;
  }

  private static List<String> allText(Path out) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.toList()) {
        // Latin-1 reads any byte, Hadoop's .crc files included; ASCII member values match either way.
        texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    return texts;
  }

  @Test
  void identifierLikeColumnsAreLeftOutAndReportedAndOtherBinsNameNoMember() throws IOException {
    Path out = dir.resolve("out");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", table(), "--label-col", "y", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Binned 2 features"), r.out());
    assertTrue(r.out().contains("customer_id: a key column of the input contract"), r.out());
    assertTrue(r.out().contains("ref: near-unique: 110 distinct values in 120 non-null rows"), r.out());
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary.contains("\"column\" : \"customer_id\"") && summary.contains("\"column\" : \"ref\""), summary);
    assertTrue(summary.contains("\"features\" : [ \"product\", \"x\" ]"), summary);
    List<String> iv = Files.readAllLines(out.resolve("iv.csv"));
    assertEquals(3, iv.size(), iv.toString());

    List<String> members = new ArrayList<>(List.of("secret-"));
    for (int i = 0; i < 120; i++) {
      members.add(String.format("cust-%03d", i));
      members.add(String.format("ref-%03d", i % 110));
    }
    for (String text : allText(out)) {
      for (String m : members) {
        assertFalse(text.contains(m), m + " written in:\n" + text);
      }
    }
    for (String text : List.of(r.out(), r.err())) {
      assertFalse(members.stream().anyMatch(text::contains), text);
    }

    Row other = spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").option("multiLine", "true")
        .option("inferSchema", "false").csv(out.resolve("bins.csv").toString())
        .where("feature = 'product' AND kind = 'other'").first();
    assertEquals("4", other.getAs("count"));
    assertEquals("4", other.getAs("level_count"));
    assertTrue(other.isNullAt(other.fieldIndex("levels")), other.toString());
  }

  @Test
  void aLevelWithACommaAQuoteAndANewlineRoundTripsThroughAnRfc4180Reader() throws IOException {
    Path out = dir.resolve("out");
    assertEquals(0, CommandLineTest.run("bin", "--input", table(), "--label-col", "y", "--out", out.toString())
        .code());
    List<Row> levels = spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").option("multiLine", "true")
        .csv(out.resolve("bins.csv").toString()).where("feature = 'product' AND kind = 'levels'")
        .select("levels", "label", "count").collectAsList();
    assertTrue(levels.contains(RowFactory.create(AWKWARD, "{" + AWKWARD + "}", "40")), levels.toString());
    assertTrue(levels.contains(RowFactory.create("plain", "{plain}", "40")), levels.toString());
  }

  @Test
  void aColumnNamedInFeaturesOrIncludeIdColumnsIsBinnedAnyway() throws IOException {
    String table = table();
    Path named = dir.resolve("named");
    CommandLineTest.Run r = CommandLineTest.run("bin", "--input", table, "--label-col", "y",
        "--features", "customer_id,x", "--out", named.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(r.out().contains("Left out"), r.out());
    assertTrue(Files.readString(named.resolve("iv.csv")).contains(",customer_id,"));

    Path all = dir.resolve("all");
    r = CommandLineTest.run("bin", "--input", table, "--label-col", "y",
        "--include-id-columns", "--out", all.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(5, Files.readAllLines(all.resolve("iv.csv")).size());
    assertTrue(Files.readString(all.resolve("summary.json")).contains("\"excluded_identifier_columns\" : [ ]"));
  }
}
