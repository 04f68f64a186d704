package com.creditrisk.cutoffs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * One policy's cutoff for one key of a strategy curve, with the curve's figures there.
 *
 * @param cutoff the chosen score, or null when no candidate qualifies
 * @param reason why, in words (the rule's)
 * @param at the curve's figures at the cutoff; null when there is none
 */
public record PolicyCutoff(Double cutoff, String reason, Figures at) {
  /** The curve's row at a cutoff (see {@link CutoffCurve#CURVE_COLUMNS}). */
  public record Figures(long nApproved, double approvalRate, double nLabelled, double nBad, Double badRate,
      Double badRateUpper, double expectedProfit, double expectedLoss, boolean extrapolated) {}

  static PolicyCutoff of(Row r, CutoffRule rule) {
    if (r.isNullAt(r.fieldIndex("cutoff"))) {
      return new PolicyCutoff(null, rule.reason(null, null, null), null);
    }
    Double badRate = nullable(r, "bad_rate");
    Double upper = nullable(r, "bad_rate_upper");
    double cutoff = r.getDouble(r.fieldIndex("cutoff"));
    return new PolicyCutoff(cutoff, rule.reason(cutoff, badRate, upper), new Figures(
        r.getLong(r.fieldIndex("n_approved")), r.getDouble(r.fieldIndex("approval_rate")),
        r.getDouble(r.fieldIndex("n_labelled")), r.getDouble(r.fieldIndex("n_bad")), badRate, upper,
        r.getDouble(r.fieldIndex("expected_profit")), r.getDouble(r.fieldIndex("expected_loss")),
        r.getBoolean(r.fieldIndex("extrapolated"))));
  }

  private static Double nullable(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) || Double.isNaN(r.getDouble(i)) ? null : r.getDouble(i);
  }

  /** The cutoffs.json object: cutoff and reason, then the figures when there is a cutoff. */
  @JsonValue
  public Map<String, Object> toJson() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("cutoff", cutoff);
    f.put("reason", reason);
    if (at != null) {
      f.put("n_approved", at.nApproved());
      f.put("approval_rate", at.approvalRate());
      f.put("n_labelled", at.nLabelled());
      f.put("n_bad", at.nBad());
      f.put("bad_rate", at.badRate());
      f.put("bad_rate_upper", at.badRateUpper());
      f.put("expected_profit", at.expectedProfit());
      f.put("expected_loss", at.expectedLoss());
      f.put("extrapolated", at.extrapolated());
    }
    return f;
  }
}
