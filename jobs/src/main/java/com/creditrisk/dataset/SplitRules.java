package com.creditrisk.dataset;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.CreditRiskConfig.LabelUse;

/**
 * How labelled rows are split (DESIGN.md, "Splits").
 *
 * @param ootMonths the latest application months holding eligible labelled rows form oot
 * @param testFraction share of customers in test, by a seeded hash of customer_id
 * @param seed hash seed; the same seed gives the same split on every rerun
 * @param labelUse mature rows only, or early bads of open windows too
 */
public record SplitRules(int ootMonths, double testFraction, long seed, LabelUse labelUse) {
  public SplitRules {
    if (ootMonths < 0) {
      throw new IllegalArgumentException("Invalid ootMonths: " + ootMonths + " (must be >= 0)");
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("Invalid testFraction: " + testFraction + " (must be in [0, 1))");
    }
  }

  public static SplitRules from(CreditRiskConfig conf) {
    return new SplitRules(conf.ootMonths(), conf.testFraction(), conf.splitSeed(), conf.labelUse());
  }
}
