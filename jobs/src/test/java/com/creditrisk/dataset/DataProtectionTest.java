package com.creditrisk.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import com.creditrisk.LogCapture;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.io.Umask;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build-dataset with privacy.pseudonymize and output.permissions on the CSV inputs of
 * {@link CsvInputs}, every id made distinctive (non-ASCII too) so that a raw one is found wherever
 * it was written: no output, Delta data and logs included, holds a raw id or the key, and nothing
 * written can be read by group or others. The run's log is captured and searched too.
 */
class DataProtectionTest {
  private static final String KEY = "correct-horse-battery-staple-Ω";
  private static final Pattern ID = Pattern.compile("\\b([ACL]\\d)\\b");
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path warehouse;
  static Set<String> rawIds = new TreeSet<>();
  static String stderr;
  /** What the run logged at the levels the log configuration lets through. */
  static String logged;
  static int exit;

  /** C1 becomes id-C1-ÄÖ: no word of a log or a Delta log can contain it by chance. */
  static String distinctive(String line) {
    Matcher m = ID.matcher(line);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String id = "id-" + m.group(1) + "-ÄÖ";
      rawIds.add(id);
      m.appendReplacement(sb, id);
    }
    return m.appendTail(sb).toString();
  }

  @BeforeAll
  static void buildPseudonymized() throws Exception {
    spark = TestSpark.get();
    CsvInputs inputs = new CsvInputs();
    inputs.tables.values().forEach(lines -> lines.replaceAll(l -> l.contains("_id") ? l : distinctive(l)));
    Path key = dir.resolve("privacy.key");
    Files.writeString(key, KEY + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    warehouse = dir.resolve("wh");
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + warehouse.toAbsolutePath(), "--set", "privacy.pseudonymize=true",
        "--set", "privacy.key_file=" + key, "--set", "output.permissions=077"));
    a.addAll(inputs.write(dir.resolve("in")));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    logged = LogCapture.during(() -> exit = CreditRisk.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        a.toArray(new String[0])));
    stderr = out + "\n" + err;
  }

  static String hmac(String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Path> written() throws IOException {
    try (Stream<Path> s = Files.walk(warehouse)) {
      return s.toList();
    }
  }

  @Test
  void everyTableHoldsTheKeyedTokensOfTheIdentifiers() throws Exception {
    assertEquals(0, exit, stderr);
    Map<String, Row> md = com.creditrisk.Rows.byKey(
        spark.read().format("delta").load(warehouse + "/model_dataset"), "application_id");
    assertEquals(5, md.size());
    Row a1 = md.get(hmac("id-A1-ÄÖ"));
    assertEquals(hmac("id-C1-ÄÖ"), a1.getAs("customer_id"));
    assertEquals("good", a1.getAs("status")); // the labels are the ones of the raw run
    assertEquals("bad", md.get(hmac("id-A2-ÄÖ")).getAs("status"));
    Dataset<Row> lp = spark.read().format("delta").load(warehouse + "/loan_performance");
    assertTrue(lp.filter(lp.col("loan_id").equalTo(hmac("id-L2-ÄÖ"))).count() == 1);
  }

  @Test
  void noRawIdentifierOrKeyInAnyTableOrFile() throws Exception {
    assertEquals(0, exit, stderr);
    int tables = 0;
    for (Path p : written()) {
      if (!Files.isDirectory(p.resolve("_delta_log"))) {
        continue;
      }
      tables++;
      Dataset<Row> t = spark.read().format("delta").load(p.toString());
      for (StructField f : t.schema().fields()) {
        if (f.dataType().equals(DataTypes.StringType)) {
          List<String> values = t.select(t.col("`" + f.name() + "`")).distinct().as(Encoders.STRING()).collectAsList();
          for (String v : values) {
            assertFalse(v != null && (rawIds.stream().anyMatch(v::contains) || v.contains(KEY)),
                p.getFileName() + "." + f.name() + " holds " + v);
          }
        }
      }
    }
    assertEquals(2, tables);
    int texts = 0;
    for (Path p : written()) {
      if (Files.isRegularFile(p)) {
        String bytes = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        assertFalse(bytes.contains(KEY), p + " holds the key");
        if (!p.toString().endsWith(".parquet")) {
          texts++;
          for (String id : rawIds) {
            assertFalse(bytes.contains(id), p + " holds " + id);
          }
        }
      }
    }
    assertTrue(texts > 2, "run.json and the Delta logs are text");
    assertTrue(logged.contains("Out-of-time months"), "the run's log was captured");
    for (String id : rawIds) {
      assertFalse(stderr.contains(id), "the command's output names " + id);
      assertFalse(logged.contains(id), "the log names " + id);
    }
    assertFalse(stderr.contains(KEY));
    assertFalse(logged.contains(KEY));
  }

  @Test
  void nothingWrittenIsOpenToGroupOrOthersUnderOutputPermissions077() throws Exception {
    assertEquals(0, exit, stderr);
    List<String> open = new ArrayList<>();
    for (Path p : written()) {
      int mode = Umask.mode(Files.getPosixFilePermissions(p));
      if (!p.equals(warehouse) && (mode & 0077) != 0) {
        open.add(warehouse.relativize(p) + " " + Integer.toOctalString(mode));
      }
    }
    assertTrue(written().size() > 10);
    assertEquals(List.of(), open);
  }

  @Test
  void aKeyFileOthersMayReadStopsTheRunBeforeAnythingIsWritten() throws Exception {
    Path key = dir.resolve("open.key");
    Files.writeString(key, KEY, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Path wh = dir.resolve("refused");
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + wh.toAbsolutePath(), "--set", "privacy.pseudonymize=true",
        "--set", "privacy.key_file=" + key));
    a.addAll(new CsvInputs().write(dir.resolve("in-refused")));
    StringWriter err = new StringWriter();
    assertEquals(2, CreditRisk.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        a.toArray(new String[0])));
    assertTrue(err.toString().contains("chmod 600 " + key), err.toString());
    assertFalse(err.toString().contains(KEY));
    assertFalse(Files.exists(wh));
  }
}
