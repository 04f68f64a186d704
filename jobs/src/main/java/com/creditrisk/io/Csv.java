package com.creditrisk.io;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CSV as RFC 4180 writes it, for every CSV the product reads or writes: a field holding a comma, a
 * double quote, a CR or a LF is quoted, and a quote inside it is doubled. The CSVs written by hand
 * (bins.csv, iv.csv, scorecard.csv) go through {@link #field}, {@link #quoted} or {@link #row}; the
 * ones Spark reads or writes take {@link #SPARK_OPTIONS}, so both sides agree on the same dialect.
 */
public final class Csv {
  /**
   * Spark's CSV options for RFC 4180. Spark escapes a quote with a backslash by default, which on
   * reading keeps {@code ""} doubled in the value and on writing gives {@code \"} that no RFC 4180
   * reader undoes; with the quote as its own escape a backslash is an ordinary character.
   */
  public static final Map<String, String> SPARK_OPTIONS = Map.of("quote", "\"", "escape", "\"");

  private Csv() {}

  /** One field: as it is when it needs no quoting, so plain values keep their bytes; null is empty. */
  public static String field(Object value) {
    String s = value == null ? "" : value.toString();
    return needsQuotes(s) ? quoted(s) : s;
  }

  /** One field, always quoted (for a column whose values are quoted whatever they hold). */
  public static String quoted(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** A record: the fields joined by commas, ended by a LF. */
  public static String row(Object... cells) {
    return Arrays.stream(cells).map(Csv::field).collect(Collectors.joining(",")) + "\n";
  }

  private static boolean needsQuotes(String s) {
    return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
  }
}
