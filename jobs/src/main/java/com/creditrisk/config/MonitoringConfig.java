package com.creditrisk.config;

import static com.creditrisk.config.MonitoringKeys.APPROVAL_CHANGE_AMBER_POINTS;
import static com.creditrisk.config.MonitoringKeys.APPROVAL_CHANGE_RED_POINTS;
import static com.creditrisk.config.MonitoringKeys.AUC_DROP_AMBER_POINTS;
import static com.creditrisk.config.MonitoringKeys.AUC_DROP_RED_POINTS;
import static com.creditrisk.config.MonitoringKeys.BAD_RATE_RATIO_AMBER;
import static com.creditrisk.config.MonitoringKeys.BAD_RATE_RATIO_RED;
import static com.creditrisk.config.MonitoringKeys.EARLY_CONFIDENCE;
import static com.creditrisk.config.MonitoringKeys.EARLY_INDICATORS;
import static com.creditrisk.config.MonitoringKeys.KS_DROP_AMBER_POINTS;
import static com.creditrisk.config.MonitoringKeys.KS_DROP_RED_POINTS;

import com.creditrisk.errors.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code monitoring.*} settings of {@code credit-risk monitor}, declared in {@link MonitoringKeys}.
 * Drops and changes are in points: hundredths of the statistic (an AUC drop of 3 points is 0.03).
 *
 * @param aucDropAmberPoints development AUC minus AUC above this is amber
 * @param aucDropRedPoints ... above this red
 * @param ksDropAmberPoints development KS minus KS above this is amber
 * @param ksDropRedPoints ... above this red
 * @param approvalChangeAmberPoints |approval rate - first monitored approval rate| above this is amber
 * @param approvalChangeRedPoints ... above this red
 * @param badRateRatioAmber observed bad rate / mean PD above this (or below 1 / this) is amber
 * @param badRateRatioRed ... above this (or below 1 / this) red
 * @param earlyIndicators the early-delinquency indicators, in the order configured
 * @param earlyConfidence two-sided confidence of the Jeffreys interval of an early rate
 */
public record MonitoringConfig(double aucDropAmberPoints, double aucDropRedPoints, double ksDropAmberPoints,
    double ksDropRedPoints, double approvalChangeAmberPoints, double approvalChangeRedPoints,
    double badRateRatioAmber, double badRateRatioRed, List<EarlyIndicator> earlyIndicators,
    double earlyConfidence) {

  private static final Pattern INDICATOR = Pattern.compile("(\\d{1,4})@(\\d{1,3})");

  public MonitoringConfig {
    earlyIndicators = List.copyOf(earlyIndicators);
  }

  /**
   * One early-delinquency indicator: the share of a cohort's loans ever {@code dpd}+ days past due
   * by {@code mob} months on book.
   */
  public record EarlyIndicator(int dpd, int mob) {
    public EarlyIndicator {
      if (dpd < 1 || mob < 1) {
        throw new IllegalArgumentException("Invalid early indicator " + dpd + "@" + mob + ": both at least 1");
      }
    }

    /** The indicator's name in monitoring_metrics and the config, e.g. {@code 15@1}. */
    public String key() {
      return dpd + "@" + mob;
    }
  }

  static MonitoringConfig from(ConfigValues v) {
    double aucAmber = v.get(AUC_DROP_AMBER_POINTS);
    double ksAmber = v.get(KS_DROP_AMBER_POINTS);
    double approvalAmber = v.get(APPROVAL_CHANGE_AMBER_POINTS);
    double ratioAmber = v.get(BAD_RATE_RATIO_AMBER);
    return new MonitoringConfig(aucAmber, atLeast(AUC_DROP_RED_POINTS.key(), v.get(AUC_DROP_RED_POINTS), aucAmber),
        ksAmber, atLeast(KS_DROP_RED_POINTS.key(), v.get(KS_DROP_RED_POINTS), ksAmber),
        approvalAmber, atLeast(APPROVAL_CHANGE_RED_POINTS.key(), v.get(APPROVAL_CHANGE_RED_POINTS), approvalAmber),
        ratioAmber, atLeast(BAD_RATE_RATIO_RED.key(), v.get(BAD_RATE_RATIO_RED), ratioAmber),
        indicators(v.get(EARLY_INDICATORS)), v.get(EARLY_CONFIDENCE));
  }

  static List<EarlyIndicator> indicators(List<String> texts) {
    List<EarlyIndicator> out = new ArrayList<>();
    for (String t : texts) {
      Matcher m = INDICATOR.matcher(t.strip());
      if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
        throw Errors.badConfigValue(EARLY_INDICATORS.key(), t, "DPD@MOB, two whole numbers of at least 1, e.g. 30@3");
      }
      EarlyIndicator e = new EarlyIndicator(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      if (out.contains(e)) {
        throw Errors.badConfigValue(EARLY_INDICATORS.key(), t, "each indicator once");
      }
      out.add(e);
    }
    if (out.isEmpty()) {
      throw Errors.badConfigValue(EARLY_INDICATORS.key(), "[]", "at least one DPD@MOB indicator");
    }
    return out;
  }

  private static double atLeast(String key, double value, double min) {
    if (value < min) {
      throw Errors.badConfigValue(key, value, "a number of at least " + min);
    }
    return value;
  }
}
