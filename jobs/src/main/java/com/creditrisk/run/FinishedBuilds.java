package com.creditrisk.run;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The commit marker of build-dataset. Its two tables, loan_performance and model_dataset, are two
 * Delta commits with no transaction across them, and a run killed between them (or after both,
 * before its record) leaves rows that no run vouches for. run.json is written last, by rename,
 * and names the Delta version of each table the run wrote, so a reader of an as-of date reads the
 * version that the latest finished run of that date names: what a killed run committed stays
 * invisible, and a killed rerun leaves readers on the previous finished run's rows.
 */
public final class FinishedBuilds {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FinishedBuilds() {}

  /**
   * The version of {@code table} named by the latest finished build-dataset run of {@code asOf}
   * (the highest such version over every config's run record of the date), or empty when no run
   * of the date has finished.
   */
  public static Optional<Long> version(SparkSession spark, CreditRiskConfig conf, WarehouseTable table,
      LocalDate asOf) {
    return Optional.ofNullable(versions(spark, conf, table, asOf + "-*").get(asOf));
  }

  /**
   * {@link #version} of every as-of date that has a finished build-dataset run, in date order: one
   * pass over the run records, for a reader of many dates (the notebooks).
   */
  public static SortedMap<LocalDate, Long> versions(SparkSession spark, CreditRiskConfig conf, WarehouseTable table) {
    return versions(spark, conf, table, "*");
  }

  /** The run records under {@code runs/<runGlob>/run.json} that name a version of the table, by as-of date. */
  private static SortedMap<LocalDate, Long> versions(SparkSession spark, CreditRiskConfig conf, WarehouseTable table,
      String runGlob) {
    Path pattern = new Path(RunFolder.root(conf), runGlob + "/run.json");
    try {
      FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] records = fs.globStatus(pattern);
      SortedMap<LocalDate, Long> latest = new TreeMap<>();
      for (FileStatus s : records == null ? new FileStatus[0] : records) {
        JsonNode run;
        try (InputStream in = fs.open(s.getPath())) {
          run = JSON.readTree(in);
        }
        JsonNode v = run.path("outputs").path(table.tableName()).path("delta_version");
        Optional<LocalDate> asOf = date(run.path("as_of_date").asText());
        if (asOf.isPresent() && v.canConvertToLong()) {
          latest.merge(asOf.get(), v.asLong(), Math::max);
        }
      }
      return latest;
    } catch (IOException e) {
      throw Errors.cannot("read the run records " + pattern, e);
    }
  }

  /** A record's as_of_date; another command's record (or none) has none that parses. */
  private static Optional<LocalDate> date(String text) {
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@link #version}, or exit 3 when no build-dataset run of the date has finished. */
  public static long requireVersion(SparkSession spark, CreditRiskConfig conf, WarehouseTable table,
      LocalDate asOf, String action) {
    return version(spark, conf, table, asOf).orElseThrow(() -> Errors.missingStageOutput(action,
        "a finished build-dataset run (runs/" + asOf + "-*/run.json naming " + table.tableName() + ")",
        RunFolder.root(conf), "run build-dataset --as-of " + asOf + " first; a run that did not finish is never read"));
  }
}
