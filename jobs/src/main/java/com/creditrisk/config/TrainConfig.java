package com.creditrisk.config;

import java.util.List;

/**
 * The {@code train}, {@code scorecard} and {@code grades} settings, parsed and checked by
 * {@link CreditRiskConfig}.
 *
 * @param models model names to fit, in order
 * @param features candidate features of the multi-feature models
 * @param categoricalFeatures the features holding string levels
 * @param balancedWeights weigh each class n / (2 n_class) in the fits
 * @param seed seed of every randomised step
 * @param regParams L2 strengths tried for the logistic fits
 * @param maxBins fine quantile bins per numeric feature before merging
 * @param minBinShare least share of a feature's rows in a merged bin
 * @param monotonicity auto, ascending, descending or none
 * @param specialValues numeric codes that each get their own bin
 * @param minIv scorecard features need at least this information value
 * @param maxCorrelation largest absolute correlation allowed between two scorecard WoE features
 * @param gbtMaxIter most boosting iterations (trees); fewer when the test loss stops improving
 * @param gbtMaxDepths tree depths tried
 * @param gbtStepSize learning rate
 * @param gbtSubsamplingRate share of rows each tree sees
 * @param gbtMaxBins bins of continuous features in the trees
 * @param gbtMinInstancesPerNode least training rows in a tree leaf
 * @param gbtValidationTol boosting stops when the test log-loss improves by less than this share
 * @param scaling points scaling of model scores
 * @param reasonCodes reason codes per scored application
 * @param gradeBounds ascending upper PD bounds of risk grades 1..n-1
 */
public record TrainConfig(
    List<String> models, List<String> features, List<String> categoricalFeatures, boolean balancedWeights,
    long seed, List<Double> regParams, int maxBins, double minBinShare, String monotonicity,
    List<Double> specialValues, double minIv, double maxCorrelation, int gbtMaxIter, List<Integer> gbtMaxDepths,
    double gbtStepSize, double gbtSubsamplingRate, int gbtMaxBins, int gbtMinInstancesPerNode,
    double gbtValidationTol, PointsScaling scaling, int reasonCodes,
    List<Double> gradeBounds) {

  /** The models {@code train} knows. */
  public static final List<String> KNOWN_MODELS = List.of("score_logistic", "score_isotonic", "scorecard", "gbt");

  public TrainConfig {
    models = List.copyOf(models);
    features = List.copyOf(features);
    categoricalFeatures = List.copyOf(categoricalFeatures);
    regParams = List.copyOf(regParams);
    specialValues = List.copyOf(specialValues);
    gbtMaxDepths = List.copyOf(gbtMaxDepths);
    gradeBounds = List.copyOf(gradeBounds);
  }

  /** The numeric candidate features. */
  public List<String> numericFeatures() {
    return features.stream().filter(f -> !categoricalFeatures.contains(f)).toList();
  }

  /**
   * Points-to-double-odds scaling: score = offset + factor ln(odds good:bad), with
   * factor = pdo / ln 2 and offset = baseScore - factor ln(baseOdds).
   */
  public record PointsScaling(double baseScore, double baseOdds, double pdo) {
    public double factor() {
      return pdo / Math.log(2);
    }

    public double offset() {
      return baseScore - factor() * Math.log(baseOdds);
    }
  }
}
