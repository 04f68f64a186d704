package com.creditrisk.config;

import static com.creditrisk.config.ConfigType.integer;
import static com.creditrisk.config.ConfigType.number;
import static com.creditrisk.config.Fingerprint.Section.VALIDATION;

/**
 * The registry's {@code validation} keys, read into {@link ValidationConfig}: traffic lights of the
 * validation pack (the verdict is the worst light that counts; {@code validate --gate red} exits 4
 * when it is red) and the size of its chart data.
 */
public final class ValidationKeys {
  private ValidationKeys() {}

  static final KeyList LIST = new KeyList();

  public static final ConfigKey<Double> PSI_AMBER = LIST.add(ConfigKey.of("validation.psi.amber", number(0.0, 100.0))
      .byDefault(0.10).in(VALIDATION, "psiAmber")
      .doc("PSI of the score and CSI of features against the baseline at or above this is amber (watch)."));
  public static final ConfigKey<Double> PSI_RED = LIST.add(ConfigKey.of("validation.psi.red", number(0.0, 100.0))
      .byDefault(0.25).in(VALIDATION, "psiRed")
      .doc("PSI (and CSI) above this is red (shifted); at least validation.psi.amber."));
  public static final ConfigKey<Double> JEFFREYS_AMBER_P = LIST.add(ConfigKey.of("validation.jeffreys.amber_p",
      number(0.0, 1.0)).byDefault(0.10).in(VALIDATION, "jeffreysAmberP")
      .doc("A Jeffreys test p-value below this is amber (small = PD too low for the defaults seen); at least "
          + "validation.jeffreys.red_p."));
  public static final ConfigKey<Double> JEFFREYS_RED_P = LIST.add(ConfigKey.of("validation.jeffreys.red_p",
      number(0.0, 1.0)).byDefault(0.05).in(VALIDATION, "jeffreysRedP")
      .doc("A Jeffreys p-value below this is red. The portfolio's test decides the verdict; per-grade reds are "
          + "listed only (ten grades at 5% give false reds by chance)."));
  public static final ConfigKey<Double> AUC_DROP_AMBER_SE = LIST.add(ConfigKey.of("validation.auc_drop.amber_se",
      number(0.0, 100.0)).byDefault(1.0).in(VALIDATION, "aucDropAmberSe")
      .doc("An AUC below the development AUC (--dev-auc) by more than this many DeLong standard errors is amber."));
  public static final ConfigKey<Double> AUC_DROP_RED_SE = LIST.add(ConfigKey.of("validation.auc_drop.red_se",
      number(0.0, 100.0)).byDefault(2.0).in(VALIDATION, "aucDropRedSe")
      .doc("... and by more than this many is red; at least validation.auc_drop.amber_se."));
  public static final ConfigKey<Double> HOSMER_LEMESHOW_AMBER_P = LIST.add(ConfigKey.of(
      "validation.hosmer_lemeshow.amber_p", number(0.0, 1.0)).byDefault(0.05).in(VALIDATION, "hosmerLemeshowAmberP")
      .doc("A Hosmer-Lemeshow p-value below this is amber (large samples reject small miscalibration)."));
  public static final ConfigKey<Integer> RANK_BREAKS_AMBER = LIST.add(ConfigKey.of(
      "validation.rank_ordering.amber_breaks", integer(1, 1000)).byDefault(1).in(VALIDATION, "rankBreaksAmber")
      .doc("This many score bands or more whose bad rate rises although the scores are safer is amber."));
  public static final ConfigKey<Integer> RANK_BREAKS_RED = LIST.add(ConfigKey.of(
      "validation.rank_ordering.red_breaks", integer(1, 1000)).byDefault(3).in(VALIDATION, "rankBreaksRed")
      .doc("This many rank-ordering breaks or more is red; at least validation.rank_ordering.amber_breaks."));
  public static final ConfigKey<Integer> CURVE_POINTS = LIST.add(ConfigKey.of("validation.charts.curve_points",
      integer(10, 10_000)).byDefault(200).in(VALIDATION, "curvePoints")
      .doc("About this many points of the ROC and KS curves for the report's charts; the metrics are exact "
          + "whatever it says."));
  public static final ConfigKey<Integer> DISTRIBUTION_BINS = LIST.add(ConfigKey.of(
      "validation.charts.distribution_bins", integer(2, 1000)).byDefault(30).in(VALIDATION, "distributionBins")
      .doc("Equal-width bins of the score distribution chart."));
  public static final ConfigKey<Integer> SUMMARY_MAX_GROUPS = LIST.add(ConfigKey.of("validation.summary_max_groups",
      integer(0, 10_000_000)).byDefault(500_000).in(VALIDATION, "summaryMaxGroups")
      .doc("The pack reads the rows once, into counts per distinct value, and computes every statistic exactly "
          + "from those counts on the driver. With more groups than this (continuous scores on very large "
          + "tables) it sorts the score's distinct values across the cluster instead (two passes, driver memory "
          + "bounded by the partitions), or, with a PD, grade, month, compared model or CSI features, runs one "
          + "distributed pass per statistic; 0 always does. About 150 bytes of driver memory per group. monitor "
          + "bounds the groups of each of its two passes (distinct PDs x months x dates x models) by it too; "
          + "beyond it, the same two passes, each pass's estimates computed on the cluster in one sweep over its "
          + "groups sorted by date and model (or model and month) and PD."));
  public static final ConfigKey<Integer> LOCAL_MAX_BYTES = LIST.add(ConfigKey.of("validation.local_max_bytes",
      integer(0, Integer.MAX_VALUE)).byDefault(268_435_456).executionOnly()
      .doc("validate --scores on a local master reads a local CSV (and its --baseline) in the JVM, without "
          + "starting Spark, when the files together hold at most this many bytes and it covers the options "
          + "(score, label, --bad-value, --higher-is, --baseline, --target-bad-rate, --dev-auc) and the file's "
          + "spelling (docs/pipeline.md, a local CSV without Spark); every figure is the Spark path's. It keeps "
          + "8 bytes per scored row and about 80 per distinct score: the default, 256 MiB, is about 12M rows of "
          + "a score with 15-17 digits and a label (under 1.5 GB of heap) and at most 67M rows of the shortest "
          + "lines." + ConfigKeys.LOCAL_READ_LIMITS));
}
