package com.creditrisk.run;

import java.util.Map;
import java.util.function.Supplier;

/** Wall time per stage of a job, in milliseconds, for the timings_ms of its run record. */
public final class Timings {
  private Timings() {}

  /** Runs {@code body} and records its time under {@code stage}, also when it fails. */
  public static <T> T timed(Map<String, Long> timings, String stage, Supplier<T> body) {
    long t0 = System.nanoTime();
    try {
      return body.get();
    } finally {
      timings.put(stage, (System.nanoTime() - t0) / 1_000_000);
    }
  }
}
