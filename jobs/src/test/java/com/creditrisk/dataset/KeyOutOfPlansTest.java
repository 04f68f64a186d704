package com.creditrisk.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.execution.FormattedMode$;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pseudonymization key is in no Spark plan. build-dataset runs with privacy.pseudonymize in a
 * child JVM (the production command line) with an event log (spark.eventLog.enabled, as the
 * history server reads it), Spark's execution logging (generated code included) at DEBUG, and a
 * listener that writes every executed query's parsed, analyzed, optimized and physical plans;
 * then the event log, the plans, the logs and the command's output are searched for the key in
 * every form a plan could print it: as text, and the key and the padded keys HMAC computes with
 * (key XOR ipad and opad) in hex of either case and in base64.
 */
class KeyOutOfPlansTest {
  private static final String KEY = "plan-secret-Ω-7f3a";
  private static final String PLANS_CONF = "spark.creditrisk.test.plansFile";

  @TempDir Path dir;

  /**
   * Writes every finished SQL execution's plans, Delta's own writes included (they run as SQL
   * executions of their own, which a QueryExecutionListener does not see), to the file named by
   * {@value #PLANS_CONF}. Registered in the child through spark.extraListeners.
   */
  public static final class PlanRecorder extends SparkListener {
    private final Path file;

    public PlanRecorder(SparkConf conf) {
      file = Path.of(conf.get(PLANS_CONF));
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
      if (event instanceof SparkListenerSQLExecutionEnd end && end.qe() != null) {
        QueryExecution qe = end.qe();
        append(qe.toString() + "\n" + qe.explainString(FormattedMode$.MODULE$) + "\n");
      }
    }

    private void append(String text) {
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The key as HMAC-SHA256 pads it to the 64-byte block, XOR {@code pad} (RFC 2104). */
  static byte[] padded(byte[] key, int pad) {
    byte[] k0 = Arrays.copyOf(key, 64);
    for (int i = 0; i < k0.length; i++) {
      k0[i] ^= (byte) pad;
    }
    return k0;
  }

  /** Every way a plan, a log or a JSON event could spell the key material. */
  static Map<String, String> forms() {
    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("the key", KEY);
    for (Map.Entry<String, byte[]> e : Map.of("the key", key, "the inner padded key", padded(key, 0x36),
        "the outer padded key", padded(key, 0x5c)).entrySet()) {
      String hex = HexFormat.of().formatHex(e.getValue());
      forms.put(e.getKey() + " in lower-case hex", hex);
      forms.put(e.getKey() + " in upper-case hex", hex.toUpperCase(Locale.ROOT));
      forms.put(e.getKey() + " in base64", Base64.getEncoder().encodeToString(e.getValue()));
    }
    return forms;
  }

  @Test
  void theKeyIsInNoEventLogPlanOrLogOfAPseudonymizingBuild() throws Exception {
    Path key = dir.resolve("privacy.key");
    Files.writeString(key, KEY + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path events = Files.createDirectory(dir.resolve("events"));
    Path plans = dir.resolve("plans.txt");
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, String.join("\n",
        "rootLogger.level = warn",
        "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.target = SYSTEM_ERR",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %p %c: %m%n",
        "logger.execution.name = org.apache.spark.sql.execution",
        "logger.execution.level = debug",
        "logger.creditrisk.name = com.creditrisk",
        "logger.creditrisk.level = debug", ""), StandardCharsets.UTF_8);

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dlog4j2.configurationFile=" + log4j.toUri()));
    cmd.addAll(Arrays.asList(jvmOptions().trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.creditrisk.cli.CreditRisk",
        "build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + dir.resolve("wh").toAbsolutePath(),
        "--set", "privacy.pseudonymize=true", "--set", "privacy.key_file=" + key,
        "--set", "spark.master=local[2]",
        "--set", "spark.conf.spark.eventLog.enabled=true",
        "--set", "spark.conf.spark.eventLog.dir=" + events.toUri(),
        "--set", "spark.conf.spark.eventLog.compress=false",
        "--set", "spark.conf.spark.extraListeners=" + PlanRecorder.class.getName(),
        "--set", "spark.conf." + PLANS_CONF + "=" + plans));
    cmd.addAll(new CsvInputs().write(dir.resolve("in")));
    Path output = dir.resolve("output.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = pb.start();
    try {
      assertTrue(child.waitFor(15, TimeUnit.MINUTES), "build-dataset did not end in 15 minutes");
    } finally {
      child.destroyForcibly();
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), out);

    String eventLog = readAll(events);
    String planText = Files.readString(plans, StandardCharsets.UTF_8);
    // What was searched holds the pseudonymizing query: a search of nothing would pass.
    assertTrue(eventLog.contains("SparkListenerSQLExecutionStart") && eventLog.contains("sha2(concat("),
        "the event log holds the plans of the written frames");
    assertTrue(planText.contains("== Optimized Logical Plan ==") && planText.contains("sha2(concat("),
        "the recorder wrote the plans of the written frames");
    assertTrue(out.contains("DEBUG org.apache.spark.sql.execution."), "Spark's execution logging was at DEBUG");
    Map<String, String> where = Map.of("the event log", eventLog, "the recorded plans", planText,
        "the output and logs", out, "the warehouse", readAll(dir.resolve("wh")));
    List<String> found = new ArrayList<>();
    forms().forEach((form, text) -> where.forEach((place, content) -> {
      if (content.contains(text)) {
        found.add(form + " in " + place);
      }
    }));
    assertEquals(List.of(), found);
  }

  /** Every file under the folder as UTF-8 text, one after the other. */
  private static String readAll(Path root) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        sb.append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)).append('\n');
      }
    }
    return sb.toString();
  }

  /** Spark's --add-opens list, as the build writes it for the launcher. */
  private static String jvmOptions() throws IOException {
    try (InputStream in = KeyOutOfPlansTest.class.getResourceAsStream("/com/creditrisk/jvm.options")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
