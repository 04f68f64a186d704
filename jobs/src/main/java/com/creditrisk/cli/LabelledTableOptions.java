package com.creditrisk.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/** --format, --label-col and --bad-value: how bin and validate read an ad-hoc labelled table. */
public class LabelledTableOptions {
  @Option(names = "--format", paramLabel = "FORMAT", description = "csv, parquet or delta (default: detect: a folder "
      + "with _delta_log is delta, *.parquet or a folder of them parquet, anything else csv).")
  String format;

  // Required by bin and validate --scores; validate --as-of reads the pipeline's label column.
  @Option(names = "--label-col", paramLabel = "L",
      description = "The label column: 0/1 with 1 = bad, or any values with --bad-value. Rows with a null label "
          + "are excluded and counted.")
  String labelCol;

  @Option(names = "--bad-value", paramLabel = "V",
      description = "The label value that means bad; every other non-null value is good.")
  String badValue;

  /** The format in lower case, or null to detect it. */
  String format() {
    return format == null ? null : format.toLowerCase(Locale.ROOT);
  }
}
