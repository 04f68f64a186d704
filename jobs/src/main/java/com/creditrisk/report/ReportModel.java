package com.creditrisk.report;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a validation report shows, as plain values: no Spark types, so the statistics side fills
 * it from whatever it computed and {@link ReportRenderer} turns it into one self-contained HTML
 * file.
 *
 * <p>The model holds aggregates only (curves, bins, grades, months, vintages): it has no field
 * for a customer, application or loan identifier, so a report cannot show one.
 *
 * <p>Sections are optional. A kind left out of {@code sections} is not shown at all; a
 * {@link ReportSection.NotAvailable} shows its heading with the reason (say, "no baseline sample
 * was given"). Each kind appears at most once, and the report shows them in {@link SectionKind}
 * order whatever the list's order.
 *
 * @param title e.g. "Validation report: score_logistic"
 * @param subtitle model, run, as-of date and data in one line
 * @param generatedAt when the report was made
 * @param verdict the overall light and its reason, shown first
 * @param headline the summary table's rows, in the order given
 * @param sections the charts and their tables
 */
public record ReportModel(String title, String subtitle, Instant generatedAt, Verdict verdict,
    List<HeadlineMetric> headline, List<ReportSection> sections) {

  public ReportModel {
    requireText(title, "title");
    subtitle = subtitle == null ? "" : subtitle;
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(verdict, "verdict");
    headline = List.copyOf(headline);
    sections = List.copyOf(sections);
    Set<SectionKind> seen = EnumSet.noneOf(SectionKind.class);
    for (ReportSection s : sections) {
      if (!seen.add(s.kind())) {
        throw new IllegalArgumentException("Invalid report model: section " + s.kind()
            + " appears twice; give each kind once");
      }
    }
  }

  static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Invalid report model: " + what + " is empty");
    }
    return value;
  }
}
