package com.creditrisk.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of {@code calibrate}, declared in {@link CalibrateKeys}.
 *
 * @param model the model whose score the lender would set the cutoff on
 * @param method PD calibration used downstream
 * @param pdFloor every PD produced is in [pdFloor, 1 - pdFloor]
 * @param months population of the strategy curve: the latest this many application months that
 *     hold mature labelled rows, every application in them (rejected ones included)
 * @param segmentSets each a list of model_dataset columns crossed into segments; "all" is always added
 * @param policy how each segment's cutoff is chosen
 * @param targetBadRate the bad-rate target of the target policies
 * @param minApprovalRate least approval rate a chosen cutoff must keep
 * @param minBads a segment with fewer observed bads is flagged too small to decide
 * @param confidence one-sided level of the Jeffreys upper bound
 * @param rejectInference how rejected applications are weighed into the strategy curve
 * @param parcellingBandPoints width in score points of the bands parcelling works on
 * @param parcellingFactor how much riskier than the approved rows of its band a reject is assumed
 * @param economics per product (and "default"): margin_rate, lgd, unit_cost
 */
public record CalibrateConfig(String model, Method method, double pdFloor, int months, List<List<String>> segmentSets, Policy policy,
    double targetBadRate, double minApprovalRate, int minBads, double confidence, RejectInferenceMethod rejectInference,
    double parcellingBandPoints, double parcellingFactor, Map<String, Economics> economics) {

  // toString is the config spelling in the three enums below: run folders, messages and printed
  // tables show it, as they did when these settings were strings. JSON writers use configName().

  /** calibrate.method. */
  public enum Method implements ConfigEnum {
    ISOTONIC, PLATT;

    @Override
    public String toString() {
      return configName();
    }
  }

  /** calibrate.policy. */
  public enum Policy implements ConfigEnum {
    TARGET_BAD_RATE, TARGET_BAD_RATE_UPPER, MAX_PROFIT;

    @Override
    public String toString() {
      return configName();
    }
  }

  /** calibrate.reject_inference.method. */
  public enum RejectInferenceMethod implements ConfigEnum {
    NONE, FUZZY, PARCELLING;

    @Override
    public String toString() {
      return configName();
    }
  }

  /** The settings from the registry values. */
  static CalibrateConfig from(ConfigValues v) {
    return new CalibrateConfig(v.get(CalibrateKeys.MODEL), v.get(CalibrateKeys.METHOD), v.get(CalibrateKeys.PD_FLOOR),
        v.get(CalibrateKeys.MONTHS),
        v.get(CalibrateKeys.SEGMENTS), v.get(CalibrateKeys.POLICY), v.get(CalibrateKeys.TARGET_BAD_RATE),
        v.get(CalibrateKeys.MIN_APPROVAL_RATE), v.get(CalibrateKeys.MIN_BADS), v.get(CalibrateKeys.CONFIDENCE),
        v.get(CalibrateKeys.REJECT_INFERENCE), v.get(CalibrateKeys.PARCELLING_BAND_POINTS),
        v.get(CalibrateKeys.PARCELLING_FACTOR), v.get(CalibrateKeys.ECONOMICS));
  }

  /** Unit economics of a product, in the currency of the requested amounts. */
  public record Economics(double marginRate, double lgd, double unitCost) {}

  /** The economics of a product, falling back to "default". */
  public Economics economicsOf(String product) {
    return economics.getOrDefault(product, economics.get("default"));
  }
}
