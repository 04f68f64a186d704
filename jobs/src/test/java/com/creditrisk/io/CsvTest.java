package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.Rfc4180;
import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one CSV dialect of the product, RFC 4180, checked against python3's csv module and Spark. */
class CsvTest {
  /** Every character RFC 4180 quotes for, a backslash (ordinary in RFC 4180) and a CR LF. */
  static final String AWKWARD = "Pay \"Later\", now\nor never \\ and\r\nafter";

  @TempDir Path dir;

  @Test
  void plainValuesKeepTheirBytesAndOnlySpecialOnesAreQuoted() {
    assertEquals("a,1.5,,-2\n", Csv.row("a", 1.5, null, -2));
    assertEquals("\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"cr\r\"\n", Csv.row("a,b", "say \"hi\"", "x\ny", "cr\r"));
    assertEquals("\"plain\"", Csv.quoted("plain"));
  }

  @Test
  void aFieldWithACommaAQuoteAndALineBreakRoundTripsThroughPythonAndSpark() throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, Csv.row("level", "n") + Csv.row(AWKWARD, 3) + Csv.row("plain", 4));
    assertEquals(List.of(List.of("level", "n"), List.of(AWKWARD, "3"), List.of("plain", "4")), Rfc4180.read(file));
    List<Row> read = TestSpark.get().read().options(Csv.SPARK_OPTIONS).option("header", "true")
        .option("multiLine", "true").csv(file.toString()).collectAsList();
    assertEquals(List.of(RowFactory.create(AWKWARD, "3"), RowFactory.create("plain", "4")), read);
  }

  @Test
  void sparkWritesRfc4180WithTheSharedOptions() {
    SparkSession spark = TestSpark.get();
    Path out = dir.resolve("spark");
    spark.createDataFrame(List.of(RowFactory.create(AWKWARD, 3)), Rows.schema("level string", "n int"))
        .coalesce(1).write().options(Csv.SPARK_OPTIONS).option("header", "true").csv(out.toString());
    assertEquals(List.of(List.of("level", "n"), List.of(AWKWARD, "3")), Rfc4180.read(out));
    Row back = spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").option("multiLine", "true")
        .csv(out.toString()).first();
    assertEquals(Arrays.asList(AWKWARD, "3"), Arrays.asList(back.getString(0), back.getString(1)));
  }
}
