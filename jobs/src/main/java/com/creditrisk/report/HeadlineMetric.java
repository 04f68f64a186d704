package com.creditrisk.report;

/**
 * One row of the report's summary table.
 *
 * @param name what is measured, e.g. "AUC (out of time)"
 * @param value the figure as the reviewer should read it, e.g. "0.781" or "12,345"
 * @param light its traffic light, or null for a figure that is shown for context and judged by no
 *     threshold (row counts, for instance)
 * @param threshold the rule behind the light in words, e.g. "green >= 0.70, amber >= 0.65"; empty
 *     when there is none
 */
public record HeadlineMetric(String name, String value, TrafficLight light, String threshold) {
  public HeadlineMetric {
    ReportModel.requireText(name, "metric name");
    ReportModel.requireText(value, "value of " + name);
    threshold = threshold == null ? "" : threshold;
  }

  /** A number shown with a fixed count of decimals (a dot, whatever the machine's locale; NaN shows as n/a). */
  public static HeadlineMetric number(String name, double value, int decimals, TrafficLight light,
      String threshold) {
    return new HeadlineMetric(name, Fmt.decimal(value, decimals), light, threshold);
  }

  /** A count with thousands separators, for context (no light). */
  public static HeadlineMetric count(String name, long value) {
    return new HeadlineMetric(name, Fmt.count(value), null, "");
  }
}
