package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * A command run in a JVM of its own, for the local reads' "no SparkSession is made": the shared test
 * JVM has a session already, so only a fresh one shows that none is made.
 */
final class LocalRunNoSession {
  private LocalRunNoSession() {}

  /** Runs {@code args} in a new JVM and asserts exit 0, "Spark jobs: 0" and no session afterwards. */
  static void assertNoSession(String... args) throws Exception {
    String[] command = new String[4 + args.length];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    command[1] = "-cp";
    command[2] = System.getProperty("java.class.path");
    command[3] = Main.class.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(proc.getInputStream().readAllBytes());
    assertTrue(proc.waitFor(120, TimeUnit.SECONDS), output);
    assertEquals(0, proc.exitValue(), output);
    assertTrue(output.contains("Spark jobs: 0"), output);
    assertTrue(output.contains("sessions: none"), output);
  }

  /** Runs the command in this JVM, then says whether any SparkSession exists. */
  public static final class Main {
    public static void main(String[] args) {
      int code = CreditRisk.execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
          args);
      boolean none = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
      System.out.println("sessions: " + (none ? "none" : "some"));
      System.out.flush();
      System.exit(code);
    }
  }
}
