package com.creditrisk.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of {@code calibrate}, read and checked by {@link CreditRiskConfig}.
 *
 * @param model the model whose score the lender would set the cutoff on
 * @param method PD calibration used downstream: isotonic or platt
 * @param months population of the strategy curve: the latest this many application months that
 *     hold mature labelled rows, every application in them (rejected ones included)
 * @param segmentSets each a list of model_dataset columns crossed into segments; "all" is always added
 * @param policy target_bad_rate, target_bad_rate_upper or max_profit
 * @param targetBadRate the bad-rate target of the target policies
 * @param minApprovalRate least approval rate a chosen cutoff must keep
 * @param minBads a segment with fewer observed bads is flagged too small to decide
 * @param confidence one-sided level of the Jeffreys upper bound
 * @param rejectInference none, fuzzy or parcelling
 * @param parcellingBandPoints width in score points of the bands parcelling works on
 * @param parcellingFactor how much riskier than the approved rows of its band a reject is assumed
 * @param economics per product (and "default"): margin_rate, lgd, unit_cost
 */
public record CalibrateConfig(String model, String method, int months, List<List<String>> segmentSets, String policy,
    double targetBadRate, double minApprovalRate, int minBads, double confidence, String rejectInference,
    double parcellingBandPoints, double parcellingFactor, Map<String, Economics> economics) {

  public static final List<String> METHODS = List.of("isotonic", "platt");
  public static final List<String> POLICIES = List.of("target_bad_rate", "target_bad_rate_upper", "max_profit");
  public static final List<String> REJECT_INFERENCE = List.of("none", "fuzzy", "parcelling");

  /** Unit economics of a product, in the currency of the requested amounts. */
  public record Economics(double marginRate, double lgd, double unitCost) {}

  /** The economics of a product, falling back to "default". */
  public Economics economicsOf(String product) {
    return economics.getOrDefault(product, economics.get("default"));
  }
}
