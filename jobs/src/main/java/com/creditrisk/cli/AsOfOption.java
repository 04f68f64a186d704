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
    try {
      return LocalDate.parse(asOf);
    } catch (DateTimeParseException e) {
      throw Errors.badUsage("Invalid --as-of '" + asOf + "': expected a date yyyy-MM-dd");
    }
  }
}
