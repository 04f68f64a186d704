package com.creditrisk.io;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress a person can follow instead of Spark's INFO flood: while a step runs for longer than the
 * interval, one line per interval with the step (the job description each stage sets, e.g.
 * "score as of 2025-12-31 with RUN"), its elapsed time, the tasks finished and the rows read so far
 * (input records plus shuffle records). Steps shorter than the interval log nothing.
 */
public final class ProgressLog extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  private final AtomicInteger activeJobs = new AtomicInteger();
  private volatile Step step;

  /** One described step: counters since its first job started. */
  private static final class Step {
    final String description;
    final long startedNanos = System.nanoTime();
    volatile long tasks;
    volatile long rows;

    Step(String description) {
      this.description = description;
    }
  }

  /** What is running now, as the log line says it; empty when no job runs. */
  public Optional<String> status() {
    Step s = step;
    if (s == null || activeJobs.get() == 0) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "%s: %.0f s, %,d tasks done, %,d rows read", s.description,
        (System.nanoTime() - s.startedNanos) / 1e9, s.tasks, s.rows));
  }

  /** Registers a progress log on the context, logging every {@code intervalSeconds}. */
  public static ProgressLog install(SparkContext sc, long intervalSeconds) {
    ProgressLog p = new ProgressLog();
    sc.addSparkListener(p);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "credit-risk-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> {
      Step s = p.step;
      if (s != null && System.nanoTime() - s.startedNanos >= TimeUnit.SECONDS.toNanos(intervalSeconds)) {
        p.status().ifPresent(LOG::info);
      }
    }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    return p;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    activeJobs.incrementAndGet();
    String description = describe(jobStart);
    Step s = step;
    if (s == null || !s.description.equals(description)) {
      step = new Step(description);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    activeJobs.decrementAndGet();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    Step s = step;
    if (s == null) {
      return;
    }
    s.tasks++;
    TaskMetrics m = taskEnd.taskMetrics();
    if (m != null) {
      s.rows += m.inputMetrics().recordsRead() + m.shuffleReadMetrics().recordsRead();
    }
  }

  private static String describe(SparkListenerJobStart jobStart) {
    java.util.Properties props = jobStart.properties();
    if (props != null) {
      String d = props.getProperty("spark.job.description");
      if (d != null && !d.isBlank()) {
        return d;
      }
      String g = props.getProperty("spark.jobGroup.id");
      if (g != null && !g.isBlank()) {
        return g;
      }
    }
    return "Spark job " + jobStart.jobId();
  }
}
