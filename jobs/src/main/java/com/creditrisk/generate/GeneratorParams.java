package com.creditrisk.generate;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What the demo-data generator makes: how many customers, from which seed, up to which extract
 * date and over how many months of history. Same parameters, same tables, on any cluster.
 *
 * @param customers number of customers, at least 1
 * @param seed seed of every random draw (each draw is a hash of the seed and the row's keys)
 * @param extractDate the data extract date: nothing in the output is dated after it, except the
 *     due dates of installments that fall due later
 * @param historyMonths calendar months of history ending with the extract date's month, 6..120
 */
public record GeneratorParams(long customers, long seed, LocalDate extractDate, int historyMonths) {

  public static final long DEFAULT_SEED = 7L;
  public static final LocalDate DEFAULT_EXTRACT_DATE = LocalDate.of(2025, 12, 31);
  public static final int DEFAULT_HISTORY_MONTHS = 24;

  public GeneratorParams {
    Objects.requireNonNull(extractDate, "extractDate");
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be >= 1, got " + customers);
    }
    if (historyMonths < 6 || historyMonths > 120) {
      throw new IllegalArgumentException(
          "historyMonths must be between 6 and 120, got " + historyMonths);
    }
  }

  /** Seed 7, extract date 2025-12-31, 24 months of history. */
  public static GeneratorParams defaults(long customers) {
    return new GeneratorParams(customers, DEFAULT_SEED, DEFAULT_EXTRACT_DATE, DEFAULT_HISTORY_MONTHS);
  }
}
