package com.creditrisk.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.Rfc4180;
import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.config.InputFormat;
import com.creditrisk.generate.DemoDataGenerator.DemoData;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's CSV tables are RFC 4180, the dialect the input reader reads. */
class DemoDataWriterTest {
  @TempDir Path dir;

  @Test
  void aProductWithACommaAQuoteAndANewlineIsWrittenAsRfc4180() {
    String product = "Pay \"Later\", now\nor never";
    // Spark's default CSV writer escapes the quote with a backslash: python3 then reads a different value.
    Dataset<Row> applications = TestSpark.get().createDataFrame(List.of(RowFactory.create("A1", product)),
        Rows.schema("application_id string", "product string")).coalesce(1);
    DemoData data = new DemoData(applications, applications, applications, applications, applications, Map.of(),
        LocalDate.of(2025, 12, 31), LocalDate.of(2025, 12, 31));
    DemoDataWriter.write(data, dir.toString(), InputFormat.CSV);
    assertEquals(List.of(List.of("application_id", "product"), List.of("A1", product)),
        Rfc4180.read(dir.resolve("applications")));
  }
}
