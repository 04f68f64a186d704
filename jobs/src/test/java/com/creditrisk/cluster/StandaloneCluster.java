package com.creditrisk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A Spark standalone cluster on 127.0.0.1 made of the Maven-resolved jars: one Master and
 * {@code workers} Workers of one core each, every JVM a child of this one. {@link #close} (and a
 * shutdown hook, for a test JVM that is being torn down) kills every process it started, with
 * the executors and drivers below them.
 */
final class StandaloneCluster implements AutoCloseable {
  static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  // Small, so the Master drops a lost Worker in seconds instead of a minute.
  private static final String WORKER_TIMEOUT_S = "10";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Runs the command and kills it (SIGKILL) when this JVM is gone: a crashed or killed test JVM
   * runs no shutdown hook, and a Master or Worker left behind would hold its ports and cores.
   * Executors and drivers need no watchdog of their own: they exit when their Worker or driver
   * connection drops. The command's exit code is the script's.
   */
  private static final String WATCHDOG = """
      test_jvm=$1; shift
      "$@" &
      child=$!
      (while kill -0 "$test_jvm" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 2; done
       kill -9 "$child" 2>/dev/null) &
      wait "$child"
      """;

  private final Path dir;
  private final Path sparkHome;
  private final List<String> deltaJars;
  private final List<String> jvmOpens;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::killAll, "standalone-cluster-cleanup");
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> workers = new ArrayList<>();

  /**
   * The Worker builds each executor's classpath from SPARK_HOME/jars (and needs
   * SPARK_SCALA_VERSION to skip looking for a source build), so SPARK_HOME is a folder of links
   * to the build's Spark jars. Delta is left out of it on purpose: submissions bring it with
   * --jars, as on a cluster without Delta installed.
   */
  StandaloneCluster(Path dir, Path classpathFile, String jvmOpens) throws IOException {
    this.dir = dir;
    this.sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    List<String> delta = new ArrayList<>();
    for (String entry : Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (entry.contains("/io/delta/")) {
        delta.add(entry);
      } else if (entry.endsWith(".jar") && !Files.exists(jars.resolve(jar.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
      }
    }
    if (delta.isEmpty()) {
      throw new IllegalStateException("No Delta jar in " + classpathFile);
    }
    this.deltaJars = List.copyOf(delta);
    this.jvmOpens = List.of(jvmOpens.trim().split("\\s+"));
    this.masterPort = freePort();
    this.masterUiPort = freePort();
    Runtime.getRuntime().addShutdownHook(hook);
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  List<String> deltaJars() {
    return deltaJars;
  }

  List<String> jvmOpens() {
    return jvmOpens;
  }

  Path sparkHome() {
    return sparkHome;
  }

  /** Starts the Master and the Workers and returns once the Master counts every Worker alive. */
  void start(int workerCount, Duration timeout) throws Exception {
    start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)));
    for (int i = 1; i <= workerCount; i++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + i));
      workers.add(start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory", "1536m",
          "--work-dir", work.toString(), masterUrl())));
    }
    waitFor("every worker alive", timeout, () -> masterState()
        .filter(s -> s.path("aliveworkers").asInt() == workerCount).isPresent());
  }

  private Process start(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-Dspark.worker.timeout=" + WORKER_TIMEOUT_S,
        // The Master's REST submission server would take port 6066, which is not ours to take.
        "-Dspark.master.rest.enabled=false"));
    cmd.addAll(jvmOpens);
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    cmd.addAll(mainAndArgs);
    return launch(cmd, dir, dir.resolve(name + ".log"));
  }

  /** Starts a child process with the cluster's environment, output to {@code log}, killed by {@link #close}. */
  Process launch(List<String> cmd, Path workDir, Path log) throws IOException {
    List<String> watched = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "watchdog",
        String.valueOf(ProcessHandle.current().pid())));
    watched.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(watched).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.remove("SPARK_CONF_DIR");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** The Master's JSON status page, or empty while it does not answer. */
  Optional<JsonNode> masterState() {
    return getJson("http://127.0.0.1:" + masterUiPort + "/json/");
  }

  /**
   * The executor JVMs that the Workers launched for {@code appId}, by executor id. A process an
   * executor is forking (Hadoop's local file system runs shell commands) shows the executor's
   * command line until it execs, so a match whose parent matches too is not an executor.
   */
  Map<String, ProcessHandle> executors(String appId) {
    Map<Long, List<String>> matches = workers.stream().flatMap(Process::descendants)
        .filter(ProcessHandle::isAlive)
        .collect(Collectors.toMap(ProcessHandle::pid, StandaloneCluster::commandLine))
        .entrySet().stream()
        .filter(e -> e.getValue().contains(EXECUTOR_CLASS) && e.getValue().contains(appId))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    Map<String, ProcessHandle> out = new java.util.HashMap<>();
    matches.forEach((pid, args) -> ProcessHandle.of(pid)
        .filter(h -> h.parent().map(p -> !matches.containsKey(p.pid())).orElse(true))
        .ifPresent(h -> out.put(argAfter(args, "--executor-id"), h)));
    return out;
  }

  private static String argAfter(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "?";
  }

  // /proc holds the whole command line; ProcessHandle.Info may truncate or omit it.
  private static List<String> commandLine(ProcessHandle h) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(h.pid()), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | UncheckedIOException e) {
      return h.info().arguments().map(Arrays::asList).orElse(List.of());
    }
  }

  static Optional<JsonNode> getJson(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static void waitFor(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (!condition.get()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(500);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Kills every process started here and below; fails if one is still alive ten seconds later. */
  @Override
  public void close() {
    List<ProcessHandle> left = killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or has run.
    }
    if (!left.isEmpty()) {
      throw new IllegalStateException("Processes still alive after the kill: "
          + left.stream().map(h -> String.valueOf(h.pid())).collect(Collectors.joining(", ")));
    }
  }

  // Parents first, so no Worker is left to relaunch an executor; the children found before are
  // killed next (an executor started in between exits by itself when its Worker is gone).
  private List<ProcessHandle> killAll() {
    List<ProcessHandle> all = new ArrayList<>(processes.stream().flatMap(Process::descendants).toList());
    processes.forEach(Process::destroyForcibly);
    all.forEach(ProcessHandle::destroyForcibly);
    processes.forEach(p -> all.add(p.toHandle()));
    Instant end = Instant.now().plusSeconds(10);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(Math.max(1, Duration.between(Instant.now(), end).toMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // Reported below as still alive.
      }
    }
    return all.stream().filter(ProcessHandle::isAlive).toList();
  }
}
