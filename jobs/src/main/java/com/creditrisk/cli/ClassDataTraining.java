package com.creditrisk.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The training run of the class-data sharing archive bin/credit-risk builds next to the jobs jar
 * (java -XX:ArchiveClassesAtExit): one JVM runs {@code bin} and {@code validate --scores} on a
 * small CSV it writes (each twice: in the JVM alone, as a small local file is read, and on Spark,
 * as a larger one is), so the archive holds the classes that the single-file commands, and the
 * Spark start-up that every command shares, load. Most of a small command's time is the JVM
 * loading and verifying those thousands of classes from the jars; from the archive they are
 * mapped ready-made. Only the classes matter, not the figures, so the data is tiny and fixed.
 * Like those commands on a CSV, the run builds its session without Delta Lake, so Delta's session
 * extension is not in the archive; the pipeline's commands load it from the jars.
 */
public final class ClassDataTraining {
  /** Rows of the training CSV: enough for both classes of the label and every bin kind. */
  static final int ROWS = 400;

  private ClassDataTraining() {}

  /** {@code ClassDataTraining DIR}: writes into DIR (which must not exist yet); exits 0 when every run succeeds. */
  public static void main(String[] args) {
    System.exit(run(Path.of(args[0])));
  }

  /** Runs the commands in this JVM, output discarded; their worst exit code. */
  static int run(Path dir) {
    Path csv = dir.resolve("training.csv");
    try {
      Files.createDirectories(dir);
      Files.writeString(csv, trainingCsv(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the class-data training CSV in " + dir, e);
    }
    PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
    int bin = CreditRisk.execute(quiet, quiet, "bin", "--input", csv.toString(), "--label-col", "bad",
        "--special-values", "-9", "--out", dir.resolve("bin").toString());
    // Again on Spark, which a file over binning.local_max_bytes (or on a cluster) is read with.
    int binSpark = CreditRisk.execute(quiet, quiet, "bin", "--input", csv.toString(), "--label-col", "bad",
        "--special-values", "-9", "--out", dir.resolve("bin-spark").toString(), "--set", "binning.local_max_bytes=0");
    int validate = CreditRisk.execute(quiet, quiet, "validate", "--scores", csv.toString(), "--score-col", "pd",
        "--higher-is", "risk", "--label-col", "bad", "--baseline", csv.toString(), "--out",
        dir.resolve("validate").toString());
    // Again on Spark, which a file over validation.local_max_bytes (or on a cluster) is read with.
    int validateSpark = CreditRisk.execute(quiet, quiet, "validate", "--scores", csv.toString(), "--score-col", "pd",
        "--higher-is", "risk", "--label-col", "bad", "--baseline", csv.toString(), "--out",
        dir.resolve("validate-spark").toString(), "--set", "validation.local_max_bytes=0");
    return Math.max(Math.max(bin, binSpark), Math.max(validate, validateSpark));
  }

  /** A double with empty cells and -9 codes, an integer, a 3-level string, a PD and the 0/1 label. */
  static String trainingCsv() {
    StringBuilder sb = new StringBuilder("x,n,grade,pd,bad\n");
    for (int i = 0; i < ROWS; i++) {
      double pd = (i % 97 + 0.5) / 100.0;
      String x = i % 23 == 0 ? "" : i % 19 == 0 ? "-9" : Double.toString(i * 1.618033988749895 % 100);
      sb.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%d\n", x, i % 50, "abc".charAt(i % 3), pd,
          i % 97 > 60 || i % 11 == 0 ? 1 : 0));
    }
    return sb.toString();
  }
}
