package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.TrainedDemo;
import com.creditrisk.io.DeltaTables;
import com.creditrisk.models.ScoreApplications;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A stage killed with SIGKILL while it writes its table leaves the previous Delta version readable
 * and unchanged, and the next run completes. The stage runs in a child JVM (the production command
 * line), which is killed as soon as it has written its first data file into the table's folder:
 * mid-write, before its commit.
 */
class StageKilledMidWriteTest {
  @Test
  void scoreKilledMidWriteLeavesThePreviousVersionAndTheRerunCompletes() throws Exception {
    SparkSession spark = TestSpark.get();
    TrainedDemo.Fixture f = TrainedDemo.get();
    String runId = f.trained().runId();
    ScoreApplications.Result before = ScoreApplications.run(spark,
        new ScoreApplications.Input(f.conf(), TrainedDemo.AS_OF, runId));
    Path table = Path.of(before.path());
    long rowsBefore = spark.read().format("delta").load(before.path()).count();
    Set<Path> filesBefore = dataFiles(table);

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(Arrays.asList(jvmOptions().trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.creditrisk.cli.CreditRisk",
        "score", "--as-of", TrainedDemo.AS_OF.toString(), "--model", runId, "--set", "spark.master=local[1]"));
    for (String s : f.sets()) {
      cmd.addAll(List.of("--set", s));
    }
    File log = Files.createTempFile("killed-score", ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = pb.start();
    boolean killedMidWrite = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (System.nanoTime() < deadline && child.isAlive()) {
        Set<Path> now = dataFiles(table);
        now.removeAll(filesBefore);
        if (!now.isEmpty()) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, no commit
          killedMidWrite = true;
          break;
        }
        Thread.sleep(20);
      }
      child.waitFor(1, TimeUnit.MINUTES);
    } finally {
      child.destroyForcibly();
    }
    assertTrue(killedMidWrite, "the child wrote no data file before it ended: " + Files.readString(log.toPath()));

    // The table is as it was: same version, same rows, readable.
    assertEquals(before.version(), DeltaTables.currentVersion(spark, before.path()).orElseThrow());
    assertEquals(rowsBefore, spark.read().format("delta").load(before.path()).count());

    // The next run completes and replaces the rows; the killed run's orphan files are never read.
    ScoreApplications.Result after = ScoreApplications.run(spark,
        new ScoreApplications.Input(f.conf(), TrainedDemo.AS_OF, runId));
    assertEquals(before.version() + 1, after.version());
    assertEquals(rowsBefore, spark.read().format("delta").load(after.path()).count());
  }

  private static Set<Path> dataFiles(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return Set.of();
    }
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).collect(Collectors.toSet());
    }
  }

  /** Spark's --add-opens list, as the build writes it for the launcher. */
  private static String jvmOptions() throws IOException {
    try (InputStream in = StageKilledMidWriteTest.class.getResourceAsStream("/com/creditrisk/jvm.options")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
