package com.creditrisk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.cli.CreditRisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook in notebooks/ headless with a real Jupyter (nbconvert) on the kernel
 * bin/install-kernel installs, against demo data made by the demo command; a cell error fails.
 *
 * <p>Needs Debian's jupyter-nbconvert, python3-nbclient and python3-ipykernel (.ci/run installs
 * them); {@code -Dnotebooks.skip=true} skips this class on a machine without them.
 */
class NotebooksTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  /** Small enough for a few minutes on two cores, large enough for every split and grade to have rows. */
  private static final String DEMO_CUSTOMERS = "3000";
  private static final long NOTEBOOK_TIMEOUT_MINUTES = 15;

  @TempDir static Path tmp;
  private static Path root;
  private static Path warehouse;
  private static Path jupyterPath;

  @BeforeAll
  static void demoDataAndKernel() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("notebooks.skip"), "notebooks.skip is set");
    root = Path.of(System.getProperty("notebooks.dir")).getParent().toRealPath();
    assertTrue(nbconvertAvailable(), "Jupyter's nbconvert is not installed for " + PYTHON
        + ": apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel (as .ci/run does), "
        + "or skip these tests with -Dnotebooks.skip=true");
    warehouse = tmp.resolve("warehouse");
    // The demo runs in its own JVM, as bin/credit-risk runs it: this one stays small, and the
    // kernel is a third JVM with its own driver anyway.
    List<String> demo = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g"));
    demo.addAll(KernelSpec.sparkJvmOptions());
    // MLlib's BLAS through netlib's JNI and this machine's OpenBLAS crashed this JVM (SIGSEGV in
    // the scorecard's fit, at -Xmx2g and -Xmx3g; bin/credit-risk too); the Java BLAS is enough here.
    demo.addAll(List.of("-Ddev.ludovic.netlib.blas.nativeLib=none", "-Ddev.ludovic.netlib.lapack.nativeLib=none",
        "-Ddev.ludovic.netlib.arpack.nativeLib=none"));
    demo.addAll(List.of("-Dlog4j2.configurationFile=classpath:credit-risk-log4j2.properties",
        "-cp", TestClasspath.get(), CreditRisk.class.getName(), "demo",
        "--customers", DEMO_CUSTOMERS, "--data-dir", tmp.resolve("demo-data").toString(),
        "--conf", root.resolve("conf/local.conf").toString(), "--set", "warehouse.path=" + warehouse));
    Result r = run(demo, tmp, 10);
    assertEquals(0, r.exitCode(), "demo failed:\n" + r.tail());
    jupyterPath = tmp.resolve("jupyter");
    run(List.of("bash", root.resolve("bin/install-kernel").toString(),
        "--kernels-dir", jupyterPath.resolve("kernels").toString(), "--classpath", TestClasspath.get(),
        "--heap", "2g", "--env", "CREDIT_RISK_WAREHOUSE=" + warehouse), root, 2);
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsOnDemoDataWithoutACellError() throws IOException {
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(root.resolve("notebooks"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().collect(Collectors.toList());
    }
    assertNotEquals(List.of(), notebooks, "no notebooks in " + root.resolve("notebooks"));
    Path executed = root.resolve("kernel/target/executed-notebooks");
    return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
      Result r = nbconvert(nb, executed);
      assertEquals(0, r.exitCode(), nb.getFileName() + " failed; the executed copy is in " + executed
          + "; nbconvert said:\n" + r.tail());
      assertTrue(Files.exists(executed.resolve(nb.getFileName())));
    }));
  }

  @Test
  void aCellErrorFailsTheRunAndShowsTheFailingCell() throws Exception {
    Path nb = tmp.resolve("failing.ipynb");
    Files.writeString(nb, """
        {"cells": [
          {"cell_type": "code", "execution_count": null, "id": "ok", "metadata": {}, "outputs": [],
           "source": ["int rows = 3;"]},
          {"cell_type": "code", "execution_count": null, "id": "bad", "metadata": {}, "outputs": [],
           "source": ["delta(\\"/no/such/warehouse\\", \\"model_dataset\\").count()"]}
        ],
         "metadata": {"kernelspec": {"name": "credit-risk", "display_name": "Java (credit-risk, Spark)",
                                     "language": "java"}},
         "nbformat": 4, "nbformat_minor": 5}
        """);
    Result r = nbconvert(nb, tmp.resolve("failing-out"));
    assertNotEquals(0, r.exitCode(), r.tail());
    assertTrue(r.output().contains("/no/such/warehouse"), r.tail());
    assertTrue(r.output().contains("delta(\"/no/such/warehouse\", \"model_dataset\").count()"), r.tail());
  }

  @Test
  void anInterruptStopsTheCellsSparkJobAndTheKernelRunsTheNextCell() throws Exception {
    // A Jupyter client as a front end drives it: start, run, interrupt after a few seconds, run again.
    Path script = tmp.resolve("interrupt.py");
    Files.writeString(script, """
        import queue, time
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="credit-risk", startup_timeout=120)
        def run(code, interrupt_after=None):
            msg_id = kc.execute(code)
            start, sent, shown = time.time(), False, []
            while True:
                if interrupt_after and not sent and time.time() - start > interrupt_after:
                    km.interrupt_kernel()
                    sent = True
                try:
                    m = kc.get_iopub_msg(timeout=1)
                except queue.Empty:
                    continue
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                if m["msg_type"] == "error":
                    shown.append(m["content"]["ename"])
                if m["msg_type"] == "execute_result":
                    shown.append(m["content"]["data"]["text/plain"])
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    break
            print("cell:", " ".join(shown), "after %.0f s" % (time.time() - start), flush=True)
        try:
            run("spark().range(1).count()")
            run("spark().range(0, 100000000000L).selectExpr(\\"sum(id % 7)\\").first()", interrupt_after=5)
            run("spark().range(10).count()")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        """);
    Result r = run(List.of(PYTHON.toString(), script.toString()), tmp, 5);
    assertEquals(0, r.exitCode(), r.tail());
    List<String> cells = r.output().lines().filter(l -> l.startsWith("cell:")).collect(Collectors.toList());
    assertEquals(3, cells.size(), r.tail());
    assertTrue(cells.get(0).startsWith("cell: 1 "), r.tail());
    assertTrue(cells.get(1).startsWith("cell: Interrupted "), r.tail());
    assertTrue(cells.get(2).startsWith("cell: 10 "), r.tail());
  }

  private record Result(int exitCode, String output) {
    String tail() {
      String[] lines = output.split("\n");
      return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 80), lines.length));
    }
  }

  private static Result nbconvert(Path notebook, Path outDir) throws Exception {
    return run(List.of(PYTHON.toString(), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=" + TimeUnit.MINUTES.toSeconds(NOTEBOOK_TIMEOUT_MINUTES),
        "--ExecutePreprocessor.startup_timeout=120", "--output-dir=" + outDir, notebook.toString()),
        notebook.getParent(), NOTEBOOK_TIMEOUT_MINUTES + 2);
  }

  private static boolean nbconvertAvailable() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    return run(List.of(PYTHON.toString(), "-c", "import nbconvert, nbclient, jupyter_client"), tmp, 1).exitCode() == 0;
  }

  /** Runs a command with Jupyter's folders in the temp dir, so only the kernelspec installed here is found. */
  private static Result run(List<String> command, Path dir, long timeoutMinutes) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    if (jupyterPath != null) {
      env.put("JUPYTER_PATH", jupyterPath.toString());
    }
    env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
    env.put("JUPYTER_CONFIG_DIR", tmp.resolve("jupyter-config").toString());
    env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
    env.put("JUPYTER_PLATFORM_DIRS", "1");
    env.remove("CREDIT_RISK_CONF");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = Files.createTempFile(tmp, "run", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return new Result(-1, "timed out after " + timeoutMinutes + " min: " + command + "\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
