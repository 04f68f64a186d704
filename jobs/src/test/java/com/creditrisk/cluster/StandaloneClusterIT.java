package com.creditrisk.cluster;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.cli.CreditRisk;
import com.creditrisk.contract.InputTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real Spark standalone cluster (a Master and two one-core Workers on
 * 127.0.0.1, from the build's own jars), submitted with spark-submit and the shaded jobs jar, with
 * one executor killed by SIGKILL in the middle of the longest stage. The run must finish and give
 * the tables of a local[2] run of the same commands on the same data.
 *
 * <p>Runs in the integration-test phase (maven-failsafe-plugin), after package made the jar.
 */
class StandaloneClusterIT {
  private static final String AS_OF = "2025-12-31";
  private static final String CUSTOMERS = "3000";
  // The whole test, cluster start to the last comparison, must stay inside CI's ten-minute budget.
  private static final Duration BUDGET = Duration.ofMinutes(9);
  // Killing after this many finished Spark jobs of the stage puts the kill well inside it, past
  // its input reads, where lost shuffle output and running tasks both have to be recovered.
  private static final int JOBS_BEFORE_KILL = 5;
  /**
   * How far a model's AUC on the cluster may be from the local run's. Both runs fit on the same
   * rows with the same seeds and the same partition counts (spark.default.parallelism and the
   * shuffle partitions are fixed, not taken from the cores alive). The logistic, isotonic and
   * scorecard fits are sums over those rows: only the order in which the driver merges partial
   * sums can differ (tasks finish in any order, a killed executor's tasks are rerun late), which
   * moves a coefficient in its last bits, never an AUC by 1e-6.
   */
  private static final double EXACT_FIT_TOLERANCE = 1e-6;
  /**
   * Boosted trees fit each tree on a random 80 % of the rows (train.gbt.subsampling_rate), drawn
   * per partition by a generator seeded with the seed and the partition index, so the sample
   * follows the order of the rows within a partition. Rows that come out of a shuffle arrive in
   * the order their blocks are fetched: on a cluster local blocks first and remote ones as they
   * come, and a killed executor's map output is recomputed and fetched late. The same rows can so
   * give other samples and other trees: one run here matched the local AUCs exactly, another was
   * 0.018 off on the 766 training rows. 0.05 leaves room for that and still fails a model fitted
   * on lost or doubled rows (which the row-for-row checks catch first anyway).
   */
  private static final double SAMPLED_FIT_TOLERANCE = 0.05;
  private static final java.util.Set<String> SAMPLED_FITS = java.util.Set.of("gbt");

  private record Kill(Instant at, String stage, String appId, String executorId, long pid, String runningJobs,
      int jobsDone) {}

  /**
   * The pipeline as submitted, one spark-submit per entry, and the entry during which an executor
   * is killed: the whole `run` (every stage in one application), as a scheduler submits it.
   */
  private static List<List<String>> pipeline() {
    return List.of(List.of("run", "--as-of", AS_OF));
  }

  private static final String KILL_DURING = "run";

  // The root pom's netlib.java.only (why: see there); Failsafe's argLine gives it to this JVM.
  private static final List<String> JAVA_BLAS_ONLY =
      List.of(System.getProperty("it.netlibJavaOnly").trim().split("\\s+"));

  /**
   * Config shared by both runs (each adds only its warehouse.path): fixed partition counts, so
   * neither run's partitioning depends on how many cores are alive, and a smaller boosted-tree
   * search than the default, to fit the time budget on two cores.
   */
  private static List<String> sharedSets(Path data) {
    List<String> sets = new ArrayList<>(List.of(
        "spark.conf.spark.sql.shuffle.partitions=2",
        "spark.conf.spark.default.parallelism=2",
        "spark.conf.spark.databricks.delta.snapshotPartitions=2",
        "train.gbt.max_depths=[2, 3]",
        "train.gbt.max_iter=30",
        "train.logistic.reg_params=[0.0, 0.01]"));
    for (InputTable t : InputTable.values()) {
      sets.add("inputs." + t.tableName() + ".path=" + data.resolve(t.tableName()));
    }
    return sets;
  }

  private static List<String> withSets(List<String> command, List<String> sets) {
    List<String> out = new ArrayList<>(command);
    sets.forEach(s -> out.addAll(List.of("--set", s)));
    return out;
  }

  @Test
  void pipelineSurvivesAnExecutorKilledMidStageAndMatchesTheLocalRun(@TempDir Path tmp) throws Exception {
    Instant started = Instant.now();
    Instant deadline = started.plus(BUDGET);
    Path appJar = Path.of(System.getProperty("it.appJar"));
    assertTrue(Files.isRegularFile(appJar), "the shaded jobs jar is built before this test: " + appJar);
    Path data = tmp.resolve("data");
    Path localWh = tmp.resolve("local/warehouse");
    Path clusterWh = tmp.resolve("cluster/warehouse");
    List<String> shared = sharedSets(data);

    try (StandaloneCluster cluster = new StandaloneCluster(Files.createDirectories(tmp.resolve("cluster")),
        Path.of(System.getProperty("it.classpathFile")), System.getProperty("it.jvmOpens"))) {
      cluster.start(2, Duration.ofMinutes(2));
      log("cluster up: " + cluster.masterUrl());

      // The local reference run, in this JVM on local[2]; it also generates the data both runs read.
      List<String> local = new ArrayList<>(shared);
      local.addAll(List.of("spark.master=local[2]", "warehouse.path=" + localWh));
      assertEquals(0, CreditRisk.execute(withSets(List.of("generate", "--customers", CUSTOMERS, "--out",
          data.toString()), local).toArray(String[]::new)));
      for (List<String> stage : pipeline()) {
        Instant t0 = Instant.now();
        assertEquals(0, CreditRisk.execute(withSets(stage, local).toArray(String[]::new)), "local " + stage);
        log("local " + stage.get(0) + " done in " + Duration.between(t0, Instant.now()).toSeconds() + " s");
      }

      List<String> onCluster = new ArrayList<>(shared);
      onCluster.add("warehouse.path=" + clusterWh);
      Kill kill = null;
      for (List<String> stage : pipeline()) {
        Instant t0 = Instant.now();
        Path driverLog = tmp.resolve("cluster/driver-" + stage.get(0) + ".log");
        int uiPort = StandaloneCluster.freePort();
        Process driver = cluster.launch(submit(cluster, appJar, uiPort, withSets(stage, onCluster)),
            tmp.resolve("cluster"), driverLog);
        if (stage.get(0).equals(KILL_DURING)) {
          kill = killAnExecutorMidStage(cluster, driver, stage.get(0), uiPort, deadline, driverLog);
          log("killed executor " + kill.executorId() + " (pid " + kill.pid() + ") of " + kill.appId() + " at "
              + kill.at() + " during " + kill.stage() + ", after " + kill.jobsDone() + " finished jobs, while "
              + kill.runningJobs() + " ran");
        }
        int code = waitFor(driver, deadline, driverLog);
        assertEquals(0, code, "spark-submit " + stage + " on the cluster; driver log:\n" + tail(driverLog));
        log("cluster " + stage.get(0) + " done in " + Duration.between(t0, Instant.now()).toSeconds() + " s");
        if (kill != null && stage.get(0).equals(KILL_DURING)) {
          String text = Files.readString(driverLog);
          assertTrue(text.contains("Lost executor " + kill.executorId()),
              "the driver saw executor " + kill.executorId() + " die; driver log:\n" + tail(driverLog));
        }
      }
      assertTrue(kill != null, "an executor was killed during " + KILL_DURING);
    }

    compare(SparkSession.active(), localWh, clusterWh);
    log("test done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
  }

  private static List<String> submit(StandaloneCluster cluster, Path appJar, int uiPort, List<String> command) {
    String opens = String.join(" ", cluster.jvmOpens());
    List<String> cmd = new ArrayList<>(List.of(StandaloneCluster.javaBin(), "-Xmx1536m", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(JAVA_BLAS_ONLY);
    cmd.addAll(cluster.jvmOpens());
    cmd.addAll(List.of("-cp", cluster.sparkHome().resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", cluster.masterUrl(), "--deploy-mode", "client",
        "--name", "credit-risk " + command.get(0),
        "--class", CreditRisk.class.getName(),
        "--jars", String.join(",", cluster.deltaJars()),
        "--executor-memory", "1g",
        "--total-executor-cores", "2",
        "--conf", "spark.executor.cores=1",
        "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 " + String.join(" ", JAVA_BLAS_ONLY) + " "
            + opens,
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.ui.port=" + uiPort,
        "--conf", "spark.ui.showConsoleProgress=false",
        appJar.toString()));
    cmd.addAll(command);
    return cmd;
  }

  /**
   * Waits until the stage's application runs on both executors, has finished
   * {@value #JOBS_BEFORE_KILL} jobs and has a job running with tasks on an executor, then kills
   * that executor's JVM with SIGKILL: no shutdown hook, no goodbye to the driver.
   */
  private static Kill killAnExecutorMidStage(StandaloneCluster cluster, Process driver, String stage, int uiPort,
      Instant deadline, Path driverLog) throws Exception {
    while (Instant.now().isBefore(deadline)) {
      if (!driver.isAlive()) {
        throw new AssertionError(stage + " ended (exit " + driver.exitValue() + ") before an executor could be "
            + "killed in it; driver log:\n" + tail(driverLog));
      }
      Optional<String> appId = cluster.masterState().stream()
          .flatMap(s -> stream(s.path("activeapps")))
          .filter(a -> a.path("state").asText().equals("RUNNING"))
          .map(a -> a.path("id").asText()).findFirst();
      if (appId.isPresent()) {
        String api = "http://127.0.0.1:" + uiPort + "/api/v1/applications/" + appId.get();
        Optional<JsonNode> jobs = StandaloneCluster.getJson(api + "/jobs");
        Optional<JsonNode> executors = StandaloneCluster.getJson(api + "/executors");
        Map<String, ProcessHandle> pids = cluster.executors(appId.get());
        if (jobs.isPresent() && executors.isPresent() && pids.size() == 2) {
          int done = (int) stream(jobs.get()).filter(j -> j.path("status").asText().equals("SUCCEEDED")).count();
          List<String> running = stream(jobs.get()).filter(j -> j.path("status").asText().equals("RUNNING"))
              .map(j -> "job " + j.path("jobId").asText() + " (" + j.path("name").asText() + ")").toList();
          Optional<String> busy = stream(executors.get())
              .filter(e -> !e.path("id").asText().equals("driver") && e.path("activeTasks").asInt() > 0)
              .map(e -> e.path("id").asText()).filter(pids::containsKey).findFirst();
          if (done >= JOBS_BEFORE_KILL && !running.isEmpty() && busy.isPresent()) {
            ProcessHandle victim = pids.get(busy.get());
            Instant at = Instant.now();
            victim.destroyForcibly();
            victim.onExit().get(30, TimeUnit.SECONDS);
            return new Kill(at, stage, appId.get(), busy.get(), victim.pid(), String.join(", ", running), done);
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("No executor was killed during " + stage + " before the deadline");
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  private static int waitFor(Process p, Instant deadline, Path log) throws Exception {
    long ms = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    if (!p.waitFor(ms, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("Over the " + BUDGET + " budget; driver log:\n" + tail(log));
    }
    return p.exitValue();
  }

  /**
   * Data tables row for row (run_id aside: it hashes warehouse.path, which differs by design);
   * the model outputs where the fit does not enter; the models' AUCs within
   * {@link #EXACT_FIT_TOLERANCE} or {@link #SAMPLED_FIT_TOLERANCE}.
   */
  private static void compare(SparkSession spark, Path localWh, Path clusterWh) throws IOException {
    for (String table : List.of("loan_performance", "model_dataset")) {
      assertSameRows(table, read(spark, localWh, table).drop("run_id"), read(spark, clusterWh, table).drop("run_id"));
    }
    // pd, model_score, risk_grade and reason_codes come from the fitted models; the rest does not.
    List<String> fitted = List.of("model_run_id", "pd", "model_score", "risk_grade", "reason_codes");
    Dataset<Row> scoredLocal = read(spark, localWh, "scored_applications");
    Dataset<Row> scoredCluster = read(spark, clusterWh, "scored_applications");
    assertSameRows("scored_applications", scoredLocal.drop(fitted.toArray(String[]::new)),
        scoredCluster.drop(fitted.toArray(String[]::new)));
    for (Row r : scoredLocal.as("l").join(scoredCluster.as("c"),
        col("l.application_id").equalTo(col("c.application_id")).and(col("l.model").equalTo(col("c.model"))))
        .groupBy(col("l.model")).agg(max(abs(col("l.pd").minus(col("c.pd"))))).collectAsList()) {
      log("largest |pd local - pd cluster| of a " + r.get(0) + " application: " + r.get(1));
    }

    // The consumer score's own curve without reject inference needs no model: counts, rates and
    // cutoffs are exact. Expected profit and loss price each loan with the calibrated model PD.
    List<String> priced = List.of("model_run_id", "expected_profit", "expected_loss");
    String scoreOnly = "score_source = 'score' AND reject_inference = 'none'";
    assertSameRows("cutoff_curve (score, no reject inference)",
        read(spark, localWh, "cutoff_curve").where(scoreOnly).drop(priced.toArray(String[]::new)),
        read(spark, clusterWh, "cutoff_curve").where(scoreOnly).drop(priced.toArray(String[]::new)));

    JsonNode localCard = modelCard(localWh);
    JsonNode clusterCard = modelCard(clusterWh);
    List<String> models = new ArrayList<>();
    localCard.path("models").fieldNames().forEachRemaining(models::add);
    assertFalse(models.isEmpty(), "the local model card lists models");
    List<Executable> checks = new ArrayList<>();
    for (String model : models) {
      double tolerance = SAMPLED_FITS.contains(model) ? SAMPLED_FIT_TOLERANCE : EXACT_FIT_TOLERANCE;
      for (String split : List.of("train", "test", "oot")) {
        double l = auc(localCard, model, split);
        double c = auc(clusterCard, model, split);
        log(String.format(Locale.ROOT, "AUC %-15s %-5s local %.6f cluster %.6f (tolerance %s)", model, split, l, c,
            tolerance));
        checks.add(() -> assertEquals(l, c, tolerance, model + " " + split + " AUC, local vs cluster"));
      }
    }
    assertAll(checks);
  }

  private static double auc(JsonNode card, String model, String split) {
    return card.path("models").path(model).path("metrics").path(split).path("auc").asDouble(Double.NaN);
  }

  private static Dataset<Row> read(SparkSession spark, Path warehouse, String table) {
    return spark.read().format("delta").load(warehouse.resolve(table).toString());
  }

  private static void assertSameRows(String what, Dataset<Row> local, Dataset<Row> cluster) {
    long n = local.count();
    assertTrue(n > 0, what + " has rows");
    assertEquals(n, cluster.count(), what + ": row count, local vs cluster");
    assertEquals(0, local.exceptAll(cluster).count(), what + ": local rows missing on the cluster");
    assertEquals(0, cluster.exceptAll(local).count(), what + ": cluster rows missing locally");
    log(what + ": " + n + " rows, equal");
  }

  private static JsonNode modelCard(Path warehouse) throws IOException {
    try (Stream<Path> runs = Files.list(warehouse.resolve("runs"))) {
      List<Path> cards = runs.map(r -> r.resolve("model_card.json")).filter(Files::exists).toList();
      assertEquals(1, cards.size(), "one train run under " + warehouse);
      return new ObjectMapper().readTree(cards.get(0).toFile());
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void log(String message) {
    System.out.println("[StandaloneClusterIT " + Instant.now() + "] " + message);
  }
}
