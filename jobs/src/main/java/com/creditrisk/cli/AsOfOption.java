package com.creditrisk.cli;

import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** --as-of, shared by the pipeline stages. */
public class AsOfOption {
  @Option(names = "--as-of", required = true, paramLabel = "DATE",
      description = "Observation date yyyy-MM-dd, inclusive: nothing dated after it is read.")
  String asOf;

  public LocalDate asOf() {
    return date("--as-of", asOf);
  }

  /** The date an option gives, or exit 2 naming the option; null stays null (an option not given). */
  static LocalDate date(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw Errors.badUsage("Invalid " + option + " '" + value + "': expected a date yyyy-MM-dd");
    }
  }
}
