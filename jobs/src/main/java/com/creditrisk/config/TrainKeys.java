package com.creditrisk.config;

import static com.creditrisk.config.ConfigType.choice;
import static com.creditrisk.config.ConfigType.integer;
import static com.creditrisk.config.ConfigType.longInteger;
import static com.creditrisk.config.ConfigType.number;
import static com.creditrisk.config.ConfigType.numberList;
import static com.creditrisk.config.ConfigType.textList;
import static com.creditrisk.config.ConfigType.wholeList;
import static com.creditrisk.config.Fingerprint.Section.SCALING;
import static com.creditrisk.config.Fingerprint.Section.TRAIN;

import java.util.List;

/** The registry's {@code train}, {@code scorecard} and {@code grades} keys, read into {@link TrainConfig}. */
public final class TrainKeys {
  private TrainKeys() {}

  static final KeyList LIST = new KeyList();

  public static final ConfigKey<List<String>> MODELS = LIST.add(ConfigKey.of("train.models", textList())
      .byDefault(List.of("score_logistic", "score_isotonic", "scorecard", "gbt")).in(TRAIN, "models")
      .doc("Models fitted by `train`, all on the same rows: score_logistic and score_isotonic (PD from the score "
          + "at application alone: today's policy), scorecard (WoE logistic), gbt (gradient-boosted trees)."));
  public static final ConfigKey<List<String>> FEATURES = LIST.add(ConfigKey.of("train.features", textList())
      .byDefault(List.of("score_at_application", "score_age_days", "score_missing_reason", "last_snapshot_score",
          "score_change_90d", "score_min_180d", "score_max_180d", "score_std_180d", "snapshots_before_application",
          "days_since_last_snapshot", "product", "channel", "requested_amount", "term_months"))
      .in(TRAIN, "features")
      .doc("Candidate features of the multi-feature models (model_dataset columns), without repeats."));
  public static final ConfigKey<List<String>> CATEGORICAL_FEATURES = LIST.add(ConfigKey.of(
      "train.categorical_features", textList()).byDefault(List.of("score_missing_reason", "product", "channel"))
      .in(TRAIN, "categoricalFeatures")
      .doc("Which of train.features are categorical (string levels)."));
  public static final ConfigKey<List<String>> FEATURE_SOURCES = LIST.add(ConfigKey.of("train.feature_sources",
      textList()).byDefault(List.of()).in(TRAIN, "featureSources").hashedUnlessDefault()
      .doc("Feature sources (names under feature_sources) whose every feature joins train.features; those "
          + "holding text (the missing reason among them) are categorical. Source features can also be named "
          + "one by one in train.features."));
  public static final ConfigKey<TrainConfig.ClassWeight> CLASS_WEIGHT = LIST.add(ConfigKey.of("train.class_weight",
      choice(TrainConfig.ClassWeight.class, false, "none or balanced")).byDefault(TrainConfig.ClassWeight.NONE)
      .in(TRAIN, "balancedWeights").fingerprintAs(w -> String.valueOf(w == TrainConfig.ClassWeight.BALANCED))
      .doc("none, or balanced: each class weighs n / (2 n_class) in the fits (PDs are then not calibrated)."));
  public static final ConfigKey<Long> SEED = LIST.add(ConfigKey.of("train.seed", longInteger())
      .byDefault(20240601L).in(TRAIN, "seed")
      .doc("Seed of every randomised step (GBT subsampling), so a rerun gives the same model."));
  public static final ConfigKey<List<Double>> REG_PARAMS = LIST.add(ConfigKey.of("train.logistic.reg_params",
      numberList(0.0, 1e6)).byDefault(List.of(0.0, 0.001, 0.01)).in(TRAIN, "regParams")
      .doc("Logistic fits (baseline and scorecard): L2 strengths tried; the best test AUC wins. At least one."));
  public static final ConfigKey<Integer> MAX_BINS = LIST.add(ConfigKey.of("train.binning.max_bins",
      integer(2, 10_000)).byDefault(20).in(TRAIN, "maxBins")
      .doc("Fine quantile bins a numeric feature starts from, before the monotone merge."));
  public static final ConfigKey<Double> MIN_BIN_SHARE = LIST.add(ConfigKey.of("train.binning.min_bin_share",
      number(1e-9, 0.5)).byDefault(0.05).in(TRAIN, "minBinShare")
      .doc("Least share of a feature's rows in a merged bin (missing and special values excepted)."));
  public static final ConfigKey<TrainConfig.Monotonicity> MONOTONICITY = LIST.add(ConfigKey.of(
      "train.binning.monotonicity",
      choice(TrainConfig.Monotonicity.class, false, "auto, ascending, descending or none"))
      .byDefault(TrainConfig.Monotonicity.AUTO).in(TRAIN, "monotonicity")
      .doc("auto (direction of the bad-rate trend), ascending, descending or none."));
  public static final ConfigKey<List<Double>> SPECIAL_VALUES = LIST.add(ConfigKey.of("train.binning.special_values",
      numberList(-Double.MAX_VALUE, Double.MAX_VALUE)).byDefault(List.of()).in(TRAIN, "specialValues")
      .doc("Numeric codes that mean \"no value of this kind\" (e.g. -9): each gets its own bin."));
  public static final ConfigKey<Double> MIN_IV = LIST.add(ConfigKey.of("train.selection.min_iv", number(0.0, 100.0))
      .byDefault(0.02).in(TRAIN, "minIv")
      .doc("Features with a smaller information value are left out of the scorecard."));
  public static final ConfigKey<Double> MAX_CORRELATION = LIST.add(ConfigKey.of("train.selection.max_correlation",
      number(0.0, 1.0)).byDefault(0.7).in(TRAIN, "maxCorrelation")
      .doc("Of two features whose WoE columns correlate more than this (absolute), the lower-IV one is left out."));
  public static final ConfigKey<Integer> GBT_MAX_ITER = LIST.add(ConfigKey.of("train.gbt.max_iter",
      integer(1, 100_000)).byDefault(300).in(TRAIN, "gbtMaxIter")
      .doc("Most trees. Boosting stops at the first tree that improves the test rows' log-loss by less than "
          + "validation_tol times that loss: test rows steer the stopping, they never fit a tree."));
  public static final ConfigKey<List<Integer>> GBT_MAX_DEPTHS = LIST.add(ConfigKey.of("train.gbt.max_depths",
      wholeList(1, 30)).byDefault(List.of(2, 3, 4)).in(TRAIN, "gbtMaxDepths")
      .doc("Tree depths tried; the best test AUC wins. At least one."));
  public static final ConfigKey<Double> GBT_STEP_SIZE = LIST.add(ConfigKey.of("train.gbt.step_size",
      number(1e-9, 1.0)).byDefault(0.1).in(TRAIN, "gbtStepSize")
      .doc("Learning rate of the boosting."));
  public static final ConfigKey<Double> GBT_SUBSAMPLING_RATE = LIST.add(ConfigKey.of("train.gbt.subsampling_rate",
      number(1e-9, 1.0)).byDefault(0.8).in(TRAIN, "gbtSubsamplingRate")
      .doc("Share of rows each tree sees."));
  public static final ConfigKey<Integer> GBT_MAX_BINS = LIST.add(ConfigKey.of("train.gbt.max_bins",
      integer(2, 100_000)).byDefault(32).in(TRAIN, "gbtMaxBins")
      .doc("Bins of continuous features in the trees."));
  public static final ConfigKey<Integer> GBT_MIN_INSTANCES_PER_NODE = LIST.add(ConfigKey.of(
      "train.gbt.min_instances_per_node", integer(1, Integer.MAX_VALUE)).byDefault(50)
      .in(TRAIN, "gbtMinInstancesPerNode")
      .doc("Least training rows in a leaf: no leaf is fitted to a handful of loans."));
  public static final ConfigKey<Double> GBT_VALIDATION_TOL = LIST.add(ConfigKey.of("train.gbt.validation_tol",
      number(0.0, 1.0)).byDefault(0.0001).in(TRAIN, "gbtValidationTol")
      .doc("Boosting stops when the test log-loss improves by less than this share. Spark checks one tree at a "
          + "time with no patience, so keep it small."));
  public static final ConfigKey<Integer> GBT_PATIENCE = LIST.add(ConfigKey.of("train.gbt.patience",
      integer(0, 100_000)).byDefault(0).in(TRAIN, "gbtPatience").hashedUnlessDefault()
      .doc("0: Spark's validation stopping during the fit (it stops at the first tree that does not improve "
          + "the test log-loss by validation_tol). k > 0: all max_iter trees are fitted on the train rows, and "
          + "the model keeps the trees up to the best test log-loss, where the best is final once k trees in a "
          + "row have not improved on it by validation_tol (1 is Spark's rule, after the fit)."));
  public static final ConfigKey<Double> BASE_SCORE = LIST.add(ConfigKey.of("scorecard.base_score",
      number(-1e9, 1e9)).byDefault(600.0).in(SCALING, "baseScore")
      .doc("Points scaling of every model's score: base_score points at odds good:bad of base_odds, and pdo "
          + "more points double the odds. score = base_score + pdo / ln 2 * (ln(odds) - ln(base_odds))."));
  public static final ConfigKey<Double> BASE_ODDS = LIST.add(ConfigKey.of("scorecard.base_odds",
      number(Double.MIN_VALUE, 1e12)).byDefault(50.0).in(SCALING, "baseOdds")
      .doc("The odds good:bad that score base_score points."));
  public static final ConfigKey<Double> PDO = LIST.add(ConfigKey.of("scorecard.pdo",
      number(Double.MIN_VALUE, 1e9)).byDefault(20.0).in(SCALING, "pdo")
      .doc("Points to double the odds."));
  public static final ConfigKey<Integer> REASON_CODES = LIST.add(ConfigKey.of("scorecard.reason_codes",
      integer(0, 1000)).byDefault(3).in(TRAIN, "reasonCodes")
      .doc("Reason codes per scored application: the features that cost it the most points."));
  public static final ConfigKey<List<Double>> PD_UPPER_BOUNDS = LIST.add(ConfigKey.of("grades.pd_upper_bounds",
      numberList(0.0, 1.0)).byDefault(List.of(0.005, 0.01, 0.02, 0.04, 0.07, 0.10, 0.15, 0.22, 0.30))
      .in(TRAIN, "gradeBounds")
      .doc("Upper PD bounds of the risk grades 1..n-1 (grade n above the last bound); strictly ascending."));
}
