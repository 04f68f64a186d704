package com.creditrisk.labels;

import com.creditrisk.config.CreditRiskConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The label rules of one run (DESIGN.md, "Point in time and labels").
 *
 * @param asOf observation date, inclusive
 * @param windowMonths outcome window length
 * @param paidTolerance an installment is paid when amount_paid >= amount_due - paidTolerance
 * @param badDpd DPD that makes a loan bad
 * @param goodMaxDpd highest max DPD of a good loan (below badDpd; the gap is indeterminate)
 * @param badEvents loan event types that make a loan bad
 */
public record LabelRules(LocalDate asOf, int windowMonths, double paidTolerance, int badDpd, int goodMaxDpd,
    List<String> badEvents) {
  public LabelRules {
    Objects.requireNonNull(asOf, "asOf");
    if (windowMonths < 1) {
      throw new IllegalArgumentException("Invalid windowMonths: " + windowMonths + " (must be >= 1)");
    }
    if (paidTolerance < 0) {
      throw new IllegalArgumentException("Invalid paidTolerance: " + paidTolerance + " (must be >= 0)");
    }
    if (badDpd < 1 || goodMaxDpd < 0 || goodMaxDpd >= badDpd) {
      throw new IllegalArgumentException(
          "Invalid DPD thresholds: need 0 <= goodMaxDpd < badDpd, got " + goodMaxDpd + " and " + badDpd);
    }
    badEvents = List.copyOf(badEvents);
  }

  public static LabelRules from(CreditRiskConfig conf, LocalDate asOf) {
    return new LabelRules(asOf, conf.windowMonths(), conf.paidTolerance(), conf.badDpd(), conf.goodMaxDpd(),
        conf.badEvents());
  }
}
