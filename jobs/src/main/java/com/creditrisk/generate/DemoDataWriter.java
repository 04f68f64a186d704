package com.creditrisk.generate;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.InputFormat;
import com.creditrisk.io.Csv;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes generated demo tables in the input contract's layout, DIR/&lt;table&gt;, and each feature
 * source to DIR/&lt;source name&gt;, in the same format.
 */
public final class DemoDataWriter {
  private DemoDataWriter() {}

  /**
   * Writes every table, the contract's first (replacing earlier demo data), and returns the rows
   * written per table.
   */
  public static Map<String, Long> write(DemoDataGenerator.DemoData data, String dir, InputFormat format) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put("score_snapshots", data.scoreSnapshots());
    tables.put("applications", data.applications());
    tables.put("loans", data.loans());
    tables.put("repayments", data.repayments());
    tables.put("loan_events", data.loanEvents());
    tables.putAll(data.featureSources());
    Map<String, Long> rows = new LinkedHashMap<>();
    for (Map.Entry<String, Dataset<Row>> e : tables.entrySet()) {
      String path = dir + "/" + e.getKey();
      // Counted while writing: no second pass over the data just to report its size.
      Observation obs = new Observation(e.getKey());
      var w = e.getValue().observe(obs, count(lit(1)).as("rows")).write().mode(SaveMode.Overwrite);
      switch (format) {
        case CSV -> w.options(Csv.SPARK_OPTIONS).option("header", "true")
            .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
            .option("dateFormat", "yyyy-MM-dd").csv(path);
        case PARQUET -> w.parquet(path);
        default -> w.format("delta").option("overwriteSchema", "true").save(path);
      }
      try {
        rows.put(e.getKey(), ((Number) obs.getAsJava().get("rows")).longValue());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while writing " + path, ie);
      }
    }
    return rows;
  }
}
