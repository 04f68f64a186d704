package com.creditrisk.io;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs started while it is open (for logs, benchmarks and the tests that check a
 * step makes a fixed number of passes). {@link #close()} waits for the listener bus to drain so the
 * count is complete.
 */
public final class SparkJobCounter extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final AtomicInteger jobs = new AtomicInteger();
  private boolean open;

  private SparkJobCounter(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts counting after the events already queued have been delivered. */
  public static SparkJobCounter start(SparkSession spark) {
    SparkJobCounter c = new SparkJobCounter(spark);
    drain(spark);
    spark.sparkContext().addSparkListener(c);
    c.open = true;
    return c;
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    jobs.incrementAndGet();
  }

  /** Jobs counted so far; after {@link #close()}, all of them. */
  public int jobs() {
    return jobs.get();
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      drain(spark);
      spark.sparkContext().removeSparkListener(this);
    }
  }

  private static void drain(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }
}
