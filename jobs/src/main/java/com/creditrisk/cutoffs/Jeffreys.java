package com.creditrisk.cutoffs;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * The Jeffreys interval for a default rate: the Beta(D + 0.5, N - D + 0.5) posterior of D bads in N
 * rows under the Jeffreys prior. Its one-sided upper bound is DESIGN's conservative bad rate, and its
 * CDF at a predicted PD is the Jeffreys calibration test. D and N may be fractional (weighted rows
 * of reject inference); the Beta distribution is defined for any positive parameters.
 */
public final class Jeffreys {
  /** Accuracy of the inverse CDF search; far below the precision a bad rate is read at. */
  private static final double INVERSE_ACCURACY = 1e-12;

  private Jeffreys() {}

  /** One-sided upper bound BetaInv(confidence; D + 0.5, N - D + 0.5); NaN when N is 0. */
  public static double upperBound(double bads, double n, double confidence) {
    if (!(n > 0)) {
      return Double.NaN;
    }
    return beta(bads, n).inverseCumulativeProbability(confidence);
  }

  /** Two-sided interval [BetaInv((1-c)/2), BetaInv((1+c)/2)]; NaN bounds when N is 0. */
  public static double[] interval(double bads, double n, double confidence) {
    if (!(n > 0)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    BetaDistribution b = beta(bads, n);
    return new double[] {b.inverseCumulativeProbability((1 - confidence) / 2),
        b.inverseCumulativeProbability((1 + confidence) / 2)};
  }

  /**
   * p = BetaCDF(pd; D + 0.5, N - D + 0.5): small when the PD is too low for the defaults seen.
   * NaN when N is 0.
   */
  public static double pValue(double pd, double bads, double n) {
    if (!(n > 0)) {
      return Double.NaN;
    }
    return beta(bads, n).cumulativeProbability(pd);
  }

  private static BetaDistribution beta(double bads, double n) {
    // A null generator: no random numbers are drawn, and building one per call would dominate.
    return new BetaDistribution(null, bads + 0.5, n - bads + 0.5, INVERSE_ACCURACY);
  }
}
