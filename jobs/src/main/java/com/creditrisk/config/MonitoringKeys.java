package com.creditrisk.config;

import static com.creditrisk.config.ConfigType.number;
import static com.creditrisk.config.ConfigType.textList;

import java.util.List;

/**
 * The registry's {@code monitoring} keys, read into {@link MonitoringConfig}: the traffic lights of
 * {@code credit-risk monitor} and its early-warning indicators. PSI and CSI use validation's
 * thresholds ({@code validation.psi.*}), so the two reports never disagree on a shift.
 *
 * <p>None of them is part of the RUN_ID: monitor reads the history of runs and writes its own
 * outputs keyed by its {@code --to} date, so a threshold changes how the history is judged, never
 * what a pipeline run computes.
 */
public final class MonitoringKeys {
  private MonitoringKeys() {}

  static final KeyList LIST = new KeyList();

  public static final ConfigKey<Double> AUC_DROP_AMBER_POINTS = LIST.add(ConfigKey.of(
      "monitoring.auc_drop.amber_points", number(0.0, 100.0)).byDefault(3.0).executionOnly()
      .doc("Out-of-time AUC below the development AUC by more than this many AUC points (0.01 of AUC each) is "
          + "amber."));
  public static final ConfigKey<Double> AUC_DROP_RED_POINTS = LIST.add(ConfigKey.of(
      "monitoring.auc_drop.red_points", number(0.0, 100.0)).byDefault(5.0).executionOnly()
      .doc("... and by more than this many is red; at least monitoring.auc_drop.amber_points."));
  public static final ConfigKey<Double> KS_DROP_AMBER_POINTS = LIST.add(ConfigKey.of(
      "monitoring.ks_drop.amber_points", number(0.0, 100.0)).byDefault(5.0).executionOnly()
      .doc("Out-of-time KS below the development KS (the model card's test KS) by more than this many KS points "
          + "(0.01 of KS each) is amber."));
  public static final ConfigKey<Double> KS_DROP_RED_POINTS = LIST.add(ConfigKey.of(
      "monitoring.ks_drop.red_points", number(0.0, 100.0)).byDefault(10.0).executionOnly()
      .doc("... and by more than this many is red; at least monitoring.ks_drop.amber_points."));
  public static final ConfigKey<Double> APPROVAL_CHANGE_AMBER_POINTS = LIST.add(ConfigKey.of(
      "monitoring.approval_rate_change.amber_points", number(0.0, 100.0)).byDefault(5.0).executionOnly()
      .doc("An approval rate at the chosen cutoff that moved by more than this many percentage points from the "
          + "first as-of date monitored, either way, is amber."));
  public static final ConfigKey<Double> APPROVAL_CHANGE_RED_POINTS = LIST.add(ConfigKey.of(
      "monitoring.approval_rate_change.red_points", number(0.0, 100.0)).byDefault(10.0).executionOnly()
      .doc("... and by more than this many is red; at least monitoring.approval_rate_change.amber_points."));
  public static final ConfigKey<Double> BAD_RATE_RATIO_AMBER = LIST.add(ConfigKey.of(
      "monitoring.bad_rate_ratio.amber", number(1.0, 100.0)).byDefault(1.2).executionOnly()
      .doc("Observed bad rate over mean PD of the out-of-time sample above this, or below its inverse, is amber "
          + "(the PDs understate, or overstate, the risk)."));
  public static final ConfigKey<Double> BAD_RATE_RATIO_RED = LIST.add(ConfigKey.of(
      "monitoring.bad_rate_ratio.red", number(1.0, 100.0)).byDefault(1.5).executionOnly()
      .doc("... and above this, or below its inverse, is red; at least monitoring.bad_rate_ratio.amber."));
  public static final ConfigKey<List<String>> EARLY_INDICATORS = LIST.add(ConfigKey.of(
      "monitoring.early_warning.indicators", textList()).byDefault(List.of("15@1", "30@2", "30@3"))
      .executionOnly()
      .doc("Early-delinquency indicators of immature cohorts, each DPD@MOB: the share of a disbursement month's "
          + "loans ever DPD or more days past due by MOB months on book (15@1: ever 15+ DPD by month 1)."));
  public static final ConfigKey<Double> EARLY_CONFIDENCE = LIST.add(ConfigKey.of(
      "monitoring.early_warning.confidence", number(0.5, 0.9999)).byDefault(0.95).executionOnly()
      .doc("Two-sided confidence of the Jeffreys interval of an early-delinquency rate; a month whose interval "
          + "lies wholly above the development cohorts' rate at the same MOB is red."));
}
