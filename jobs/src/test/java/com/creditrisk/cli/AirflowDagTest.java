package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The Airflow DAG (airflow/dags/credit_risk_daily.py), checked without Airflow: airflow/check_dag.py
 * compiles it and checks its operators' arguments, task ids and dependencies against the provider's
 * parameter lists; every command line it builds must then parse with this CLI's own parser.
 * Needs only python3 (standard library); nothing is submitted and no Spark session starts.
 */
class AirflowDagTest {
  static final Path ROOT = repositoryRoot();
  static final Path DAG = ROOT.resolve("airflow/dags/credit_risk_daily.py");
  static final List<String> STAGES = List.of("build_dataset", "train", "score", "calibrate", "validate",
      "monitor_gate");

  /** One run of the checker: exit code, stdout (JSON), stderr (problems). */
  record Check(int code, String out, String err) {}

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("airflow/check_dag.py"))) {
        return p;
      }
    }
    throw new IllegalStateException("airflow/check_dag.py not found above " + Path.of("").toAbsolutePath());
  }

  // Debian's interpreter first: a pyenv shim on PATH may point at a version that is not installed.
  static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  static Check check(Path dagFile) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(python(), ROOT.resolve("airflow/check_dag.py").toString(), dagFile.toString())
        .directory(ROOT.toFile()).start();
    // Both pipes drain concurrently, so a chatty stderr cannot block the checker.
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check_dag.py did not finish within 60 s");
    return new Check(p.exitValue(), out, err.join());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path fixture(String name) {
    URL url = AirflowDagTest.class.getResource("/airflow/" + name);
    assertNotNull(url, "fixture " + name);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode checkedDag(Path dagFile) throws IOException, InterruptedException {
    Check c = check(dagFile);
    assertEquals(0, c.code(), "check_dag.py rejected " + dagFile + ":\n" + c.err());
    return new ObjectMapper().readTree(c.out());
  }

  static Stream<JsonNode> tasks(JsonNode dag) {
    return StreamSupport.stream(dag.get("tasks").spliterator(), false);
  }

  static String[] commandLine(JsonNode task) {
    List<String> args = new ArrayList<>();
    task.get("command_line").forEach(a -> args.add(a.asText()));
    return args.toArray(String[]::new);
  }

  static Map<String, List<String>> upstreamByTask(JsonNode dag) {
    Map<String, List<String>> up = new HashMap<>();
    tasks(dag).forEach(t -> {
      List<String> ids = new ArrayList<>();
      t.get("upstream").forEach(u -> ids.add(u.asText()));
      up.put(t.get("task_id").asText(), ids);
    });
    return up;
  }

  @Test
  void theDagPassesTheStaticCheckWithTheDocumentedParameterLists() throws Exception {
    JsonNode dag = checkedDag(DAG);
    assertEquals(STAGES, tasks(dag).map(t -> t.get("task_id").asText()).toList());
    assertTrue(dag.get("parameter_lists").toString().contains("apache-airflow-providers-apache-spark 5.4.2"),
        dag.get("parameter_lists").toString());
  }

  /** One test per task, named by its command line, so a report says which stage the CLI rejects. */
  @TestFactory
  Stream<DynamicTest> everyCommandLineTheDagBuildsIsAcceptedByTheCli() throws Exception {
    return tasks(checkedDag(DAG)).filter(t -> t.hasNonNull("command_line")).map(t -> {
      String[] args = commandLine(t);
      String shown = t.get("task_id").asText() + ": credit-risk " + String.join(" ", args);
      return DynamicTest.dynamicTest(shown, () -> {
        try {
          CreditRisk.parse(args);
        } catch (CommandLine.ParameterException e) {
          fail(shown + "\nis rejected by the CLI: " + e.getMessage());
        }
      });
    });
  }

  @Test
  void everyStageRunsAsOfTheScheduledDateAndMonitorReadsTheHistoryUpToIt() throws Exception {
    JsonNode dag = checkedDag(DAG);
    String ds = dag.get("sample_ds").asText();
    tasks(dag).forEach(t -> {
      List<String> args = List.of(commandLine(t));
      int i = args.indexOf(args.get(0).equals("monitor") ? "--to" : "--as-of");
      assertTrue(i >= 0 && ds.equals(args.get(i + 1)), t.get("task_id") + " is not run as of {{ ds }}: " + args);
      assertFalse(args.contains("--from"), "monitor reads the whole history: " + args);
    });
  }

  @Test
  void theStagesRunInPipelineOrderWithTheRedGateLast() throws Exception {
    JsonNode dag = checkedDag(DAG);
    Map<String, List<String>> up = upstreamByTask(dag);
    for (int i = 1; i < STAGES.size(); i++) {
      assertEquals(List.of(STAGES.get(i - 1)), up.get(STAGES.get(i)), "upstream of " + STAGES.get(i));
    }
    String gate = STAGES.get(STAGES.size() - 1);
    assertFalse(up.values().stream().anyMatch(ids -> ids.contains(gate)), "a task runs after the gate: " + up);
    Set<String> before = new HashSet<>();
    List<String> frontier = new ArrayList<>(up.get(gate));
    while (!frontier.isEmpty()) {
      String t = frontier.remove(0);
      if (before.add(t)) {
        frontier.addAll(up.get(t));
      }
    }
    assertEquals(up.size() - 1, before.size(), "every other task must finish before the gate: " + up);
    JsonNode gateTask = tasks(dag).filter(t -> t.get("task_id").asText().equals(gate)).findFirst().orElseThrow();
    List<String> args = List.of(commandLine(gateTask));
    assertEquals("monitor", args.get(0));
    int g = args.indexOf("--gate");
    assertTrue(g >= 0 && "red".equals(args.get(g + 1)), "the gate must fail on red: " + args);
    List<String> gates = tasks(dag).filter(t -> List.of(commandLine(t)).contains("--gate"))
        .map(t -> t.get("task_id").asText()).toList();
    assertEquals(List.of(gate), gates, "one gate: validate's verdict is one of monitor's indicators");
  }

  @Test
  void theCheckerRejectsAnUnknownOperatorArgument() throws Exception {
    Check c = check(fixture("unknown_operator_argument.py"));
    assertEquals(1, c.code(), c.out());
    assertTrue(c.err().contains("SparkSubmitOperator has no parameter 'executor_memroy'"), c.err());
    assertTrue(c.out().isEmpty(), "no command lines from a rejected DAG: " + c.out());
  }

  @Test
  void theCheckerRejectsADuplicateTaskId() throws Exception {
    Check c = check(fixture("duplicate_task_id.py"));
    assertEquals(1, c.code(), c.out());
    assertTrue(c.err().contains("duplicate task_id 'score'"), c.err());
  }

  @Test
  void theCheckerRejectsADependencyOnAnUnknownTask() throws Exception {
    Check c = check(fixture("unknown_dependency.py"));
    assertEquals(1, c.code(), c.out());
    assertTrue(c.err().contains("dependency on 'calibrate', which is not a task of this DAG"), c.err());
  }

  @Test
  void aCommandLineWithAnUnknownOptionPassesTheStaticCheckButNotTheCli() throws Exception {
    JsonNode dag = checkedDag(fixture("unknown_cli_option.py"));
    String[] args = commandLine(tasks(dag).findFirst().orElseThrow());
    CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> CreditRisk.parse(args));
    assertTrue(e.getMessage().contains("--models"), e.getMessage());
  }

  @Test
  void parsingAValidCommandLineNamesTheSubcommandAndRunsNothing() {
    CommandLine.ParseResult r = CreditRisk.parse("build-dataset", "--as-of", "2026-01-15",
        "--set", "warehouse.path=/nonexistent/never-written");
    assertEquals("build-dataset", r.subcommand().commandSpec().name());
    assertFalse(Files.exists(Path.of("/nonexistent/never-written")));
  }
}
