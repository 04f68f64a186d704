package com.creditrisk.io;

import com.creditrisk.config.CreditRiskConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/** Builds the job's SparkSession from the config; never hard-codes a master over spark-submit's. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(CreditRiskConfig conf) {
    SparkConf sparkConf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(conf.appName());
    if (!sparkConf.contains("spark.master")) {
      b = b.master(conf.sparkMaster().orElse("local[*]"));
      // A local run has no cluster UI to look at and nothing else bound to loopback.
      b = b.config("spark.ui.enabled", "false");
    }
    b = b.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", conf.sessionTimeZone());
    String umask = Umask.effective(conf);
    b = b.config("spark.hadoop." + Umask.HADOOP_KEY, umask);
    for (var e : conf.sparkConf().entrySet()) {
      b = b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.conf().set("spark.sql.session.timeZone", conf.sessionTimeZone());
    // Again on a session that already existed (demo, tests), whose configuration and file system
    // were made before this config was read.
    Umask.follow(spark, conf.warehousePath(), umask);
    installProgressLog(spark.sparkContext());
    return spark;
  }

  private static SparkContext progressContext;

  /** One progress log per SparkContext (tests and demo build the session more than once). */
  private static synchronized void installProgressLog(SparkContext sc) {
    if (progressContext != sc) {
      ProgressLog.install(sc, PROGRESS_INTERVAL_SECONDS);
      progressContext = sc;
    }
  }

  /** Long enough that a quick step says nothing, short enough that a long one is never silent. */
  static final long PROGRESS_INTERVAL_SECONDS = 20;
}
