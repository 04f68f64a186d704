package com.creditrisk.validation;

import java.util.Locale;

/**
 * A counted light in words, for the report's verdict line: reviewers read "PDs too low — mean PD
 * 7.1% against an observed bad rate of 11.9% (Jeffreys p = 0.003)", not a metric key and its
 * value. The keys stay in metrics.json and validation_metrics; only this text is for people.
 */
final class VerdictWords {
  private VerdictWords() {}

  /** One light of {@code r} as a phrase naming what went wrong and the figures that show it. */
  static String of(TrafficLights.Light l, ValidationResult r) {
    return switch (l.check()) {
      case "jeffreys_portfolio" -> jeffreys(l, r);
      case "hosmer_lemeshow" -> hosmerLemeshow(l, r);
      case "psi" -> "score distribution shifted from the baseline — PSI " + num(l.value());
      case "psi_month" -> "score distribution shifted in " + l.subject() + " — PSI " + num(l.value())
          + " against the baseline";
      case "csi" -> "feature " + l.subject() + " shifted — CSI " + num(l.value()) + " against the baseline";
      case "auc_drop" -> aucDrop(l, r);
      case "rank_ordering" -> rankOrdering(l, r);
      // A light added later without words still reads, if less kindly.
      default -> l.check() + (l.subject() == null ? "" : " " + l.subject()) + " = " + num(l.value());
    };
  }

  private static String jeffreys(TrafficLights.Light l, ValidationResult r) {
    PdAccuracy.Jeffreys j = r.jeffreysPortfolio();
    if (j == null) {
      return "PDs too low (Jeffreys p " + p(l.value()) + ")";
    }
    return "PDs too low — mean PD " + pct(j.meanPd()) + " against an observed bad rate of "
        + pct(j.observedRate()) + " (Jeffreys p " + p(j.pValue()) + ")";
  }

  private static String hosmerLemeshow(TrafficLights.Light l, ValidationResult r) {
    PdAccuracy.HosmerLemeshow hl = r.hosmerLemeshow();
    String figures = hl == null ? "" : String.format(Locale.ROOT, ", chi-square %.1f on %d df", hl.chi2(), hl.df());
    return "PDs off across the PD bands (Hosmer-Lemeshow p " + p(l.value()) + figures + ")";
  }

  private static String aucDrop(TrafficLights.Light l, ValidationResult r) {
    String sds = String.format(Locale.ROOT, "%.1f standard errors", l.value());
    if (r.developmentAuc() == null || r.discrimination() == null) {
      return "discrimination fell — AUC " + sds + " below development";
    }
    return String.format(Locale.ROOT, "discrimination fell — AUC %.3f against %.3f in development, %s lower",
        r.discrimination().auc(), r.developmentAuc(), sds);
  }

  private static String rankOrdering(TrafficLights.Light l, ValidationResult r) {
    int breaks = (int) l.value();
    String head = "rank ordering broken — the bad rate rises in " + breaks + (breaks == 1 ? " place" : " places")
        + " from one score band to the next safer one";
    if (r.rankOrdering() == null || r.rankOrdering().breaks().isEmpty()) {
      return head;
    }
    RankOrdering.Break b = r.rankOrdering().breaks().get(0);
    return head + " (first in " + b.range() + ": " + pct(b.badRate()) + " after " + pct(b.previousBadRate()) + ")";
  }

  // Three significant digits: PSI 0.312, 0.0123.
  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  // One decimal from 1% up, two below, so that a PD of 0.04% does not read as 0.0%.
  static String pct(double share) {
    double v = 100 * share;
    return String.format(Locale.ROOT, Math.abs(v) >= 1 || v == 0 ? "%.1f%%" : "%.2f%%", v);
  }

  // "= 0.003", or "< 0.001" where three decimals would print 0.000.
  static String p(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "= %.3f", p);
  }
}
