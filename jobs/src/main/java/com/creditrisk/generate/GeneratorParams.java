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
 *     ({@link #MIN_HISTORY_MONTHS}..{@link #MAX_HISTORY_MONTHS})
 */
public record GeneratorParams(long customers, long seed, LocalDate extractDate, int historyMonths) {

  public static final long DEFAULT_SEED = 7L;
  public static final LocalDate DEFAULT_EXTRACT_DATE = LocalDate.of(2025, 12, 31);
  public static final int DEFAULT_HISTORY_MONTHS = 24;
  public static final int MIN_HISTORY_MONTHS = 6;
  public static final int MAX_HISTORY_MONTHS = 120;
  /**
   * The extract dates the generator accepts. Outside them the history (up to 120 months before)
   * or the schedules that fall due after the extract leave the four-digit years that Spark's date
   * type and the CSV, Parquet and Delta writers round-trip: 0001-06-30 gave loans disbursed in
   * year -0001, silently.
   */
  public static final LocalDate EARLIEST_EXTRACT_DATE = LocalDate.of(1900, 1, 1);
  public static final LocalDate LATEST_EXTRACT_DATE = LocalDate.of(2999, 12, 31);

  public GeneratorParams {
    Objects.requireNonNull(extractDate, "extractDate");
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be >= 1, got " + customers);
    }
    if (historyMonths < MIN_HISTORY_MONTHS || historyMonths > MAX_HISTORY_MONTHS) {
      throw new IllegalArgumentException("historyMonths must be between " + MIN_HISTORY_MONTHS + " and "
          + MAX_HISTORY_MONTHS + ", got " + historyMonths);
    }
    if (extractDate.isBefore(EARLIEST_EXTRACT_DATE) || extractDate.isAfter(LATEST_EXTRACT_DATE)) {
      throw new IllegalArgumentException("extractDate must be between " + EARLIEST_EXTRACT_DATE + " and "
          + LATEST_EXTRACT_DATE + ", got " + extractDate);
    }
  }

  /** Seed 7, extract date 2025-12-31, 24 months of history. */
  public static GeneratorParams defaults(long customers) {
    return new GeneratorParams(customers, DEFAULT_SEED, DEFAULT_EXTRACT_DATE, DEFAULT_HISTORY_MONTHS);
  }
}
