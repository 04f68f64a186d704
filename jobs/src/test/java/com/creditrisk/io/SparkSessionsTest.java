package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkSessions.TableInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which inputs get a session with Delta Lake, decided before the session exists, and what it is built with. */
class SparkSessionsTest {
  private static final String EXTENSIONS = "spark.sql.extensions";
  private static final String CATALOG = "spark.sql.catalog.spark_catalog";

  @Test
  void aFolderWithADeltaLogNeedsDeltaWhenTheFormatIsDetected(@TempDir Path dir) throws IOException {
    Path table = Files.createDirectories(dir.resolve("scores").resolve(SparkSessions.DELTA_LOG)).getParent();
    assertTrue(SparkSessions.readsDelta(new TableInput(table.toString(), null)));
    assertTrue(SparkSessions.readsDelta(new TableInput(table.toUri().toString(), null)), "a file: URI of it");
    // --format wins over detection, as when the table is read.
    assertFalse(SparkSessions.readsDelta(new TableInput(table.toString(), "parquet")));
  }

  @Test
  void formatDeltaNeedsDeltaWhateverThePathHolds(@TempDir Path dir) {
    assertTrue(SparkSessions.readsDelta(new TableInput(dir.toString(), "delta")));
    assertTrue(SparkSessions.readsDelta(new TableInput(dir.resolve("missing").toString(), "DELTA")));
  }

  @Test
  void csvFilesParquetFoldersMissingPathsAndAbsentOptionsNeedNoDelta(@TempDir Path dir) throws IOException {
    Path csv = Files.writeString(dir.resolve("scores.csv"), "pd,bad\n0.1,0\n");
    Path parquet = Files.createDirectories(dir.resolve("scores.parquet"));
    Files.writeString(parquet.resolve("part-0.parquet"), "");
    assertFalse(SparkSessions.readsDelta(new TableInput(csv.toString(), null)));
    assertFalse(SparkSessions.readsDelta(new TableInput(csv.toString(), "csv")));
    assertFalse(SparkSessions.readsDelta(new TableInput(parquet.toString(), null)));
    // Reading it fails later with the usual bad-input error; the session needs nothing for that.
    assertFalse(SparkSessions.readsDelta(new TableInput(dir.resolve("missing").toString(), null)));
    assertFalse(SparkSessions.readsDelta(new TableInput(null, null)), "an option that was not given");
  }

  @Test
  void aPathOnAnotherFileSystemGetsDeltaSinceItCannotBeLookedAtBeforeTheSession() {
    assertTrue(SparkSessions.readsDelta(new TableInput("s3a://bucket/scores.csv", null)));
    assertTrue(SparkSessions.readsDelta(new TableInput("hdfs://nn:8020/tables/scores", null)));
    assertFalse(SparkSessions.readsDelta(new TableInput("s3a://bucket/scores.csv", "csv")));
  }

  @Test
  void theSessionHasDeltasExtensionAndCatalogOnlyWhenAsked() {
    CreditRiskConfig conf = CreditRiskConfig.defaults();
    Map<String, String> plain = SparkSessions.settings(conf, false, false, "022");
    Map<String, String> delta = SparkSessions.settings(conf, false, true, "022");
    assertFalse(plain.containsKey(EXTENSIONS), plain.toString());
    assertFalse(plain.containsKey(CATALOG), plain.toString());
    assertEquals("io.delta.sql.DeltaSparkSessionExtension", delta.get(EXTENSIONS));
    assertEquals("org.apache.spark.sql.delta.catalog.DeltaCatalog", delta.get(CATALOG));
    // Everything else is the same either way.
    delta.remove(EXTENSIONS);
    delta.remove(CATALOG);
    assertEquals(plain, delta);
    assertEquals("local[*]", plain.get("spark.master"));
    assertEquals("false", plain.get("spark.ui.enabled"));
    assertEquals("022", plain.get("spark.hadoop." + Umask.HADOOP_KEY));
  }

  @Test
  void aSparkSubmitMasterIsKeptAndTheConfigsSparkSettingsWin() {
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(List.of("spark.conf.spark.ui.enabled=true"));
    Map<String, String> s = SparkSessions.settings(conf, true, false, "022");
    assertFalse(s.containsKey("spark.master"), s.toString());
    assertEquals("true", s.get("spark.ui.enabled"));
  }
}
