package com.creditrisk.validation;

import com.creditrisk.errors.Errors;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** DIR/metrics.json, written whole by the caller once its result is final. */
public final class MetricsFile {
  public static final String NAME = "metrics.json";

  private MetricsFile() {}

  /**
   * Writes {@code json} (a {@link ValidationResult#toJson} or a run's object around several) as
   * DIR/metrics.json; readers see the old file or the new one, never a half-written one.
   *
   * @return the path written
   */
  public static String write(SparkSession spark, String dir, Object json) {
    return write(spark.sparkContext().hadoopConfiguration(), dir, json);
  }

  /** The same without a SparkSession (see {@link RunFolder#writeText(Configuration, String, String, String)}). */
  public static String write(Configuration hadoopConf, String dir, Object json) {
    try {
      return RunFolder.writeJson(hadoopConf, dir, NAME, json);
    } catch (IOException e) {
      throw Errors.cannot("write " + dir + "/" + NAME, e);
    }
  }
}
