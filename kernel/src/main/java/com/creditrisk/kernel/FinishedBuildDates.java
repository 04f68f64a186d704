package com.creditrisk.kernel;

import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * The as-of dates of a build-dataset table that a notebook may read: those with a finished
 * build-dataset run, each at the Delta version its run record names, and how many dates the table
 * holds rows for that no finished run vouches for (a build killed before its record, or one still
 * running), which are left out.
 *
 * @param table the table's name
 * @param runs the folder of the run records, {@code <warehouse>/runs}
 * @param versions the version to read each finished date at, in date order
 * @param leftOut the dates with rows in the table's latest version and no finished run, in date order
 */
public record FinishedBuildDates(String table, String runs, SortedMap<LocalDate, Long> versions,
    List<LocalDate> leftOut) {
  /** Left-out dates named in the printed line; the count is always exact. */
  static final int DATES_NAMED = 5;

  public FinishedBuildDates {
    versions = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(versions));
    leftOut = List.copyOf(leftOut);
  }

  /** The latest finished as-of date, as a notebook's default; exit 3 when there is none. */
  public String latest() {
    if (versions.isEmpty()) {
      throw Errors.missingStageOutput("read " + table,
          "an as-of date with a finished build-dataset run (runs/*/run.json naming " + table + ")", runs,
          "run build-dataset first; a run that did not finish is never read");
    }
    return versions.lastKey().toString();
  }

  /** The version to read {@code asOf} (yyyy-MM-dd) at, or null when no run of the date has finished. */
  public Long version(String asOf) {
    return versions.get(LocalDate.parse(asOf));
  }

  /** One line for the notebook to print: how many dates are left out, and the first few of them. */
  public String leftOutLine() {
    String dates = leftOut.isEmpty() ? "" : " (" + String.join(", ", leftOut.stream().limit(DATES_NAMED)
        .map(LocalDate::toString).toList()) + (leftOut.size() > DATES_NAMED ? ", ..." : "") + ")";
    return String.format(Locale.ROOT,
        "%s: %d as-of date%s with a finished build-dataset run; %d left out (rows but no finished run)%s",
        table, versions.size(), versions.size() == 1 ? "" : "s", leftOut.size(), dates);
  }
}
