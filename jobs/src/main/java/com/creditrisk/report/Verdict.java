package com.creditrisk.report;

import java.util.Objects;

/**
 * The report's overall judgement: one light and the one-line reason for it, e.g. "AUC and
 * calibration within limits; PSI 0.18 in 2025-11 (watch)".
 */
public record Verdict(TrafficLight light, String reason) {
  public Verdict {
    Objects.requireNonNull(light, "light");
    ReportModel.requireText(reason, "verdict reason");
  }
}
