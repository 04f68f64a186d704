package com.creditrisk.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Jupyter kernelspec (kernel.json) that starts {@link KernelMain} with the JVM flags
 * Spark needs. bin/install-kernel and the notebook tests both write it through here, so CI runs
 * the notebooks on the kernel a user installs.
 *
 * <p>Usage: {@code KernelSpec KERNEL_DIR JAVA CLASSPATH HEAP [NAME=VALUE...]}; the NAME=VALUE
 * pairs become the kernel's environment (CREDIT_RISK_CONF, SPARK_LOCAL_IP, ...).
 */
public final class KernelSpec {
  public static final String DISPLAY_NAME = "Java (credit-risk, Spark)";

  private KernelSpec() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: KernelSpec KERNEL_DIR JAVA CLASSPATH HEAP [NAME=VALUE...]");
      System.exit(2);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : Arrays.asList(args).subList(4, args.length)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        System.err.println("not NAME=VALUE: " + kv);
        System.exit(2);
      }
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Path file = write(Path.of(args[0]), args[1], args[2], args[3], env);
    System.out.println("Wrote " + file);
  }

  public static Path write(Path kernelDir, String java, String classpath, String heap, Map<String, String> env)
      throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.add("-Xmx" + heap);
    argv.addAll(sparkJvmOptions());
    argv.add("-Dlog4j2.configurationFile=classpath:credit-risk-log4j2.properties");
    argv.add("-cp");
    argv.add(classpath);
    argv.add(KernelMain.class.getName());
    argv.add("{connection_file}");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", DISPLAY_NAME);
    spec.put("language", "java");
    // Interrupts arrive as messages: a signal would stop the JVM, Spark driver and all.
    spec.put("interrupt_mode", "message");
    spec.put("env", env);
    Files.createDirectories(kernelDir);
    Path file = kernelDir.resolve("kernel.json");
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n");
    return file;
  }

  /** The --add-opens list of the root pom (spark.jvm.opens), as the jobs jar carries it. */
  static List<String> sparkJvmOptions() throws IOException {
    try (InputStream in = KernelSpec.class.getResourceAsStream("/com/creditrisk/jvm.options")) {
      if (in == null) {
        throw new IOException("com/creditrisk/jvm.options is not on the classpath (the jobs jar carries it)");
      }
      String opts = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
    }
  }
}
