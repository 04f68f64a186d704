package com.creditrisk.config;

/**
 * The {@code validation.*} settings: traffic-light thresholds of the validation pack and the size
 * of its chart data, parsed and checked by {@link CreditRiskConfig}.
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
    int curvePoints, int distributionBins, int summaryMaxGroups) {}
