package com.creditrisk.report;

/** The report's sections, in the order it shows them. */
public enum SectionKind {
  ROC("ROC curve"),
  KS("Kolmogorov-Smirnov curve"),
  SCORE_DISTRIBUTION("Score distribution of goods and bads"),
  CALIBRATION("Calibration by grade"),
  STRATEGY("Approval strategy"),
  PSI("Population stability by month"),
  VINTAGE("Vintage curves");

  private final String title;

  SectionKind(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
