package com.creditrisk.config;

import static com.creditrisk.config.ValidationKeys.AUC_DROP_AMBER_SE;
import static com.creditrisk.config.ValidationKeys.AUC_DROP_RED_SE;
import static com.creditrisk.config.ValidationKeys.JEFFREYS_AMBER_P;
import static com.creditrisk.config.ValidationKeys.JEFFREYS_RED_P;
import static com.creditrisk.config.ValidationKeys.PSI_AMBER;
import static com.creditrisk.config.ValidationKeys.PSI_RED;
import static com.creditrisk.config.ValidationKeys.RANK_BREAKS_AMBER;
import static com.creditrisk.config.ValidationKeys.RANK_BREAKS_RED;

import com.creditrisk.errors.Errors;

/**
 * The {@code validation.*} settings: traffic-light thresholds of the validation pack and the size
 * of its chart data, declared in {@link ValidationKeys}.
 *
 * @param psiAmber PSI (and CSI) at or above this is amber
 * @param psiRed PSI (and CSI) above this is red
 * @param jeffreysAmberP a Jeffreys p-value below this is amber
 * @param jeffreysRedP a Jeffreys p-value below this is red (the portfolio's decides the verdict)
 * @param aucDropAmberSe an AUC below the development AUC by more than this many DeLong SEs is amber
 * @param aucDropRedSe ... and by more than this many is red
 * @param hosmerLemeshowAmberP a Hosmer-Lemeshow p-value below this is amber
 * @param rankBreaksAmber this many rank-ordering breaks or more is amber
 * @param rankBreaksRed this many rank-ordering breaks or more is red
 * @param curvePoints about this many points of the ROC and KS curves for charts
 * @param distributionBins equal-width bins of the score distribution chart
 * @param summaryMaxGroups the most distinct-value groups the pack's one-pass summary may bring to the
 *     driver; beyond it (or at 0) every statistic runs as its own distributed pass instead
 */
public record ValidationConfig(double psiAmber, double psiRed, double jeffreysAmberP, double jeffreysRedP,
    double aucDropAmberSe, double aucDropRedSe, double hosmerLemeshowAmberP, int rankBreaksAmber, int rankBreaksRed,
    int curvePoints, int distributionBins, int summaryMaxGroups) {

  /** The settings from the registry values, with each red threshold checked against its amber one. */
  static ValidationConfig from(ConfigValues v) {
    double psiAmber = v.get(PSI_AMBER);
    double psiRed = atLeast(PSI_RED.key(), v.get(PSI_RED), psiAmber, 100.0);
    double jeffreysRed = v.get(JEFFREYS_RED_P);
    double jeffreysAmber = atLeast(JEFFREYS_AMBER_P.key(), v.get(JEFFREYS_AMBER_P), jeffreysRed, 1.0);
    double aucAmber = v.get(AUC_DROP_AMBER_SE);
    double aucRed = atLeast(AUC_DROP_RED_SE.key(), v.get(AUC_DROP_RED_SE), aucAmber, 100.0);
    int breaksAmber = v.get(RANK_BREAKS_AMBER);
    int breaksRed = v.get(RANK_BREAKS_RED);
    if (breaksRed < breaksAmber) {
      throw Errors.badConfigValue(RANK_BREAKS_RED.key(), (long) breaksRed,
          "an integer in [" + breaksAmber + ", 1000]");
    }
    return new ValidationConfig(psiAmber, psiRed, jeffreysAmber, jeffreysRed, aucAmber, aucRed,
        v.get(ValidationKeys.HOSMER_LEMESHOW_AMBER_P), breaksAmber, breaksRed, v.get(ValidationKeys.CURVE_POINTS),
        v.get(ValidationKeys.DISTRIBUTION_BINS), v.get(ValidationKeys.SUMMARY_MAX_GROUPS));
  }

  private static double atLeast(String key, double value, double min, double max) {
    if (value < min) {
      throw Errors.badConfigValue(key, value, "a number in [" + min + ", " + max + "]");
    }
    return value;
  }
}
