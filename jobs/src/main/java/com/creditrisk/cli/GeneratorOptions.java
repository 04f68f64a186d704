package com.creditrisk.cli;

import com.creditrisk.errors.Errors;
import com.creditrisk.generate.GeneratorParams;
import java.time.LocalDate;

/**
 * The generator's parameters from generate's and demo's options, each checked under the name the
 * user typed (--customers, --history-months, --extract-date) before any Spark session or folder
 * exists. GeneratorParams checks the same ranges for callers of the Java API; checking them here
 * first is what lets the message name the option instead of the record's field. Every --seed is
 * valid: each draw hashes the seed with the row's keys.
 */
final class GeneratorOptions {
  private GeneratorOptions() {}

  static GeneratorParams params(long customers, long seed, LocalDate extractDate, int historyMonths) {
    if (customers < 1) {
      throw Errors.badGeneratorOption("--customers", customers, "must be at least 1");
    }
    if (historyMonths < GeneratorParams.MIN_HISTORY_MONTHS || historyMonths > GeneratorParams.MAX_HISTORY_MONTHS) {
      throw Errors.badGeneratorOption("--history-months", historyMonths, "must be between "
          + GeneratorParams.MIN_HISTORY_MONTHS + " and " + GeneratorParams.MAX_HISTORY_MONTHS);
    }
    if (extractDate.isBefore(GeneratorParams.EARLIEST_EXTRACT_DATE)
        || extractDate.isAfter(GeneratorParams.LATEST_EXTRACT_DATE)) {
      throw Errors.badGeneratorOption("--extract-date", extractDate, "must be between "
          + GeneratorParams.EARLIEST_EXTRACT_DATE + " and " + GeneratorParams.LATEST_EXTRACT_DATE);
    }
    return new GeneratorParams(customers, seed, extractDate, historyMonths);
  }
}
