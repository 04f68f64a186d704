package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
  @Test
  void aRunningStepReportsItsDescriptionTasksAndRowsAndNothingOnceItEnds() throws Exception {
    SparkSession spark = TestSpark.get();
    ProgressLog progress = ProgressLog.install(spark.sparkContext(), 3600);
    try {
      CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> {
        spark.sparkContext().setJobGroup("progress-test", "score as of 2025-12-31 (progress test)", false);
        try {
          // Four partitions of slow rows: the first two tasks end while the last two still run.
          return spark.range(0, 1000, 1, 4).mapPartitions((MapPartitionsFunction<Long, Long>) it -> {
            Thread.sleep(it.hasNext() && it.next() < 500 ? 200 : 2500);
            return java.util.List.of(1L).iterator();
          }, Encoders.LONG()).count();
        } finally {
          spark.sparkContext().clearJobGroup();
        }
      });
      String seen = null;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!job.isDone() && System.nanoTime() < deadline) {
        Optional<String> s = progress.status();
        if (s.isPresent() && s.get().contains("rows read") && !s.get().contains(" 0 tasks done")) {
          seen = s.get();
        }
        Thread.sleep(50);
      }
      job.get();
      assertTrue(seen != null && seen.startsWith("score as of 2025-12-31 (progress test): "), "status seen: " + seen);
      assertTrue(progress.status().isEmpty(), "nothing runs any more");
    } finally {
      spark.sparkContext().removeSparkListener(progress);
    }
  }
}
