package com.creditrisk.run;

import com.creditrisk.config.CreditRiskConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The run folder {@code <warehouse>/runs/<RUN_ID>/}. RUN_ID is the as-of date and a short hash of
 * the effective config, so the same as-of date and config always name the same run.
 */
public final class RunFolder {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunFolder() {}

  public static String runId(LocalDate asOf, CreditRiskConfig conf) {
    return asOf + "-" + conf.fingerprint();
  }

  /** The folder that holds every run folder. */
  public static String root(CreditRiskConfig conf) {
    return conf.warehousePath() + "/runs";
  }

  /**
   * The folder of one monitor run, {@code <warehouse>/monitoring/<to>/}: keyed by the last as-of
   * date it covers, not by a RUN_ID, since it reads the history of many runs.
   */
  public static String monitoringPath(CreditRiskConfig conf, LocalDate to) {
    return conf.warehousePath() + "/monitoring/" + to;
  }

  public static String path(CreditRiskConfig conf, String runId) {
    return root(conf) + "/" + runId;
  }

  /** Writes a JSON file into the run folder through Hadoop's FileSystem (local, HDFS, object stores). */
  public static String writeJson(SparkSession spark, String runDir, String name, Object value) throws IOException {
    return writeText(spark, runDir, name, JSON.writeValueAsString(value));
  }

  /** The same through a Hadoop configuration of the caller's (see {@link #writeText(Configuration, String, String, String)}). */
  public static String writeJson(Configuration hadoopConf, String runDir, String name, Object value)
      throws IOException {
    return writeText(hadoopConf, runDir, name, JSON.writeValueAsString(value));
  }

  /** Writes a text file into the run folder, replacing it whole (see {@link #writeJson}). */
  public static String writeText(SparkSession spark, String runDir, String name, String text) throws IOException {
    return writeText(spark.sparkContext().hadoopConfiguration(), runDir, name, text);
  }

  /**
   * The same through a Hadoop configuration of the caller's, for a command that computed its result
   * without a SparkSession (validate --scores on a local file): the same file system classes write
   * the same bytes, checksums and permissions.
   */
  public static String writeText(Configuration hadoopConf, String runDir, String name, String text)
      throws IOException {
    Path dir = new Path(runDir);
    FileSystem fs = dir.getFileSystem(hadoopConf);
    fs.mkdirs(dir);
    Path tmp = new Path(dir, "." + name + ".tmp");
    Path target = new Path(dir, name);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    // Readers see the old file or the new one, never a half-written one.
    fs.delete(target, false);
    rename(fs, tmp, target);
    return target.toString();
  }

  /**
   * Puts the folder {@code from}, written in full beside it, in the place of {@code to}: a failed
   * run that never gets here leaves the previous {@code to} as it was.
   */
  public static void replaceFolder(SparkSession spark, String from, String to) throws IOException {
    Path src = new Path(from);
    Path dst = new Path(to);
    FileSystem fs = src.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.delete(dst, true);
    rename(fs, src, dst);
  }

  // Hadoop's rename reports most failures by returning false, not by throwing.
  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }

  /** Reads a JSON file of a run folder, or empty when it does not exist. */
  public static java.util.Optional<com.fasterxml.jackson.databind.JsonNode> readJson(SparkSession spark, String runDir,
      String name) throws IOException {
    Path p = new Path(runDir, name);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      return java.util.Optional.empty();
    }
    try (InputStream in = fs.open(p)) {
      return java.util.Optional.of(JSON.readTree(in));
    }
  }

  /** {@link #readJson}, a read failure being exit 1 naming the file: for the stage files that are optional. */
  public static java.util.Optional<com.fasterxml.jackson.databind.JsonNode> readOptionalJson(SparkSession spark,
      String runDir, String name) {
    try {
      return readJson(spark, runDir, name);
    } catch (IOException e) {
      throw com.creditrisk.errors.Errors.cannot("read " + runDir + "/" + name, e);
    }
  }

  /** The jobs' version, from the jar. */
  public static String codeVersion() {
    Properties p = new Properties();
    try (InputStream in = RunFolder.class.getResourceAsStream("/com/creditrisk/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String v = p.getProperty("version", "unknown");
    String commit = p.getProperty("git.commit", "");
    if (commit.isEmpty() || commit.startsWith("$")) {
      return v;
    }
    return v + "+" + commit + ("true".equals(p.getProperty("git.dirty")) ? ".dirty" : "");
  }
}
