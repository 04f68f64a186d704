package com.creditrisk.config;

import static com.creditrisk.config.TrainKeys.CATEGORICAL_FEATURES;
import static com.creditrisk.config.TrainKeys.FEATURES;
import static com.creditrisk.config.TrainKeys.GBT_MAX_DEPTHS;
import static com.creditrisk.config.TrainKeys.MODELS;
import static com.creditrisk.config.TrainKeys.PD_UPPER_BOUNDS;
import static com.creditrisk.config.TrainKeys.REG_PARAMS;

import com.creditrisk.errors.Errors;
import java.util.List;
import java.util.Set;

/**
 * The {@code train}, {@code scorecard} and {@code grades} settings, declared in {@link TrainKeys}.
 *
 * @param models model names to fit, in order
 * @param features candidate features of the multi-feature models
 * @param categoricalFeatures the features holding string levels
 * @param classWeight balanced: weigh each class n / (2 n_class) in the fits
 * @param seed seed of every randomised step
 * @param regParams L2 strengths tried for the logistic fits
 * @param maxBins fine quantile bins per numeric feature before merging
 * @param minBinShare least share of a feature's rows in a merged bin
 * @param monotonicity direction the WoE binning's bad rate must follow
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
 * @param gbtPatience 0: Spark's validation stopping in the fit; k: keep the trees up to the best test
 *     log-loss, found once k trees in a row have not improved on it (see train.gbt.patience)
 * @param scaling points scaling of model scores
 * @param reasonCodes reason codes per scored application
 * @param gradeBounds ascending upper PD bounds of risk grades 1..n-1
 * @param featureSources feature sources whose every feature is a candidate
 */
public record TrainConfig(
    List<String> models, List<String> features, List<String> categoricalFeatures, ClassWeight classWeight,
    long seed, List<Double> regParams, int maxBins, double minBinShare, Monotonicity monotonicity,
    List<Double> specialValues, double minIv, double maxCorrelation, int gbtMaxIter, List<Integer> gbtMaxDepths,
    double gbtStepSize, double gbtSubsamplingRate, int gbtMaxBins, int gbtMinInstancesPerNode,
    double gbtValidationTol, int gbtPatience, PointsScaling scaling, int reasonCodes,
    List<Double> gradeBounds, List<String> featureSources) {

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
    featureSources = List.copyOf(featureSources);
  }

  /** The same settings with the candidate features resolved (train adds the feature sources' own). */
  public TrainConfig withFeatures(List<String> resolved, List<String> resolvedCategorical) {
    return new TrainConfig(models, resolved, resolvedCategorical, classWeight, seed, regParams, maxBins, minBinShare,
        monotonicity, specialValues, minIv, maxCorrelation, gbtMaxIter, gbtMaxDepths, gbtStepSize, gbtSubsamplingRate,
        gbtMaxBins, gbtMinInstancesPerNode, gbtValidationTol, gbtPatience, scaling, reasonCodes, gradeBounds,
        featureSources);
  }

  /** train.class_weight. */
  public enum ClassWeight implements ConfigEnum {
    NONE, BALANCED;

    /** The config spelling, so messages show what the user wrote. */
    @Override
    public String toString() {
      return configName();
    }
  }

  /** train.binning.monotonicity; the WoE binning's Param takes its {@link #configName()}. */
  public enum Monotonicity implements ConfigEnum {
    AUTO, ASCENDING, DESCENDING, NONE;

    @Override
    public String toString() {
      return configName();
    }
  }

  /** The settings from the registry values, with the rules that span keys checked. */
  static TrainConfig from(ConfigValues v) {
    List<String> models = v.get(MODELS);
    for (String m : models) {
      if (!KNOWN_MODELS.contains(m)) {
        throw Errors.badConfigValue(MODELS.key(), m, "each one of " + String.join(", ", KNOWN_MODELS));
      }
    }
    if (models.isEmpty() || models.size() != Set.copyOf(models).size()) {
      throw Errors.badConfigValue(MODELS.key(), models, "a non-empty list without repeats");
    }
    List<String> features = v.get(FEATURES);
    if (features.isEmpty() || features.size() != Set.copyOf(features).size()) {
      throw Errors.badConfigValue(FEATURES.key(), features, "a non-empty list without repeats");
    }
    List<String> categorical = v.get(CATEGORICAL_FEATURES);
    for (String c : categorical) {
      if (!features.contains(c)) {
        throw Errors.badConfigValue(CATEGORICAL_FEATURES.key(), c, "each one of train.features");
      }
    }
    List<String> sources = v.get(TrainKeys.FEATURE_SOURCES);
    for (String s : sources) {
      if (!v.get(ConfigKeys.FEATURE_SOURCES).containsKey(s)) {
        throw Errors.badConfigValue(TrainKeys.FEATURE_SOURCES.key(), s, "names of declared feature_sources ("
            + String.join(", ", v.get(ConfigKeys.FEATURE_SOURCES).keySet()) + ")");
      }
    }
    if (sources.size() != Set.copyOf(sources).size()) {
      throw Errors.badConfigValue(TrainKeys.FEATURE_SOURCES.key(), sources, "a list without repeats");
    }
    List<Double> regParams = v.get(REG_PARAMS);
    List<Integer> depths = v.get(GBT_MAX_DEPTHS);
    if (regParams.isEmpty() || depths.isEmpty()) {
      throw Errors.badConfigValue(regParams.isEmpty() ? REG_PARAMS.key() : GBT_MAX_DEPTHS.key(), "[]",
          "at least one value");
    }
    List<Double> bounds = v.get(PD_UPPER_BOUNDS);
    for (int i = 1; i < bounds.size(); i++) {
      if (bounds.get(i) <= bounds.get(i - 1)) {
        throw Errors.badConfigValue(PD_UPPER_BOUNDS.key(), bounds, "strictly ascending PDs in (0, 1)");
      }
    }
    PointsScaling scaling = new PointsScaling(v.get(TrainKeys.BASE_SCORE), v.get(TrainKeys.BASE_ODDS),
        v.get(TrainKeys.PDO));
    return new TrainConfig(models, features, categorical, v.get(TrainKeys.CLASS_WEIGHT), v.get(TrainKeys.SEED),
        regParams, v.get(TrainKeys.MAX_BINS), v.get(TrainKeys.MIN_BIN_SHARE), v.get(TrainKeys.MONOTONICITY),
        v.get(TrainKeys.SPECIAL_VALUES), v.get(TrainKeys.MIN_IV), v.get(TrainKeys.MAX_CORRELATION),
        v.get(TrainKeys.GBT_MAX_ITER), depths, v.get(TrainKeys.GBT_STEP_SIZE), v.get(TrainKeys.GBT_SUBSAMPLING_RATE),
        v.get(TrainKeys.GBT_MAX_BINS), v.get(TrainKeys.GBT_MIN_INSTANCES_PER_NODE),
        v.get(TrainKeys.GBT_VALIDATION_TOL), v.get(TrainKeys.GBT_PATIENCE), scaling, v.get(TrainKeys.REASON_CODES),
        bounds, sources);
  }

  /** Whether each class is weighed n / (2 n_class) in the fits. */
  public boolean balancedWeights() {
    return classWeight == ClassWeight.BALANCED;
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
