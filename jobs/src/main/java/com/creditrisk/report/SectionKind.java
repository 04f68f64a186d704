package com.creditrisk.report;

/** The report's sections, in the order it shows them. */
public enum SectionKind {
  ROC(ReportSection.Roc.class, "ROC curve"),
  KS(ReportSection.Ks.class, "Kolmogorov-Smirnov curve"),
  SCORE_DISTRIBUTION(ReportSection.ScoreDistribution.class, "Score distribution of goods and bads"),
  CALIBRATION(ReportSection.Calibration.class, "Calibration by grade"),
  STRATEGY(ReportSection.Strategy.class, "Approval strategy"),
  PSI(ReportSection.Psi.class, "Population stability by month"),
  VINTAGE(ReportSection.Vintages.class, "Vintage curves"),
  TRENDS(ReportSection.Trends.class, "Trends across as-of dates");

  private final Class<? extends ReportSection> type;
  private final String title;

  SectionKind(Class<? extends ReportSection> type, String title) {
    this.type = type;
    this.title = title;
  }

  /** The heading the report gives the section. */
  public String title() {
    return title;
  }

  static SectionKind of(Class<?> type) {
    for (SectionKind k : values()) {
      if (k.type == type) {
        return k;
      }
    }
    throw new IllegalArgumentException("No section kind for " + type.getName());
  }
}
