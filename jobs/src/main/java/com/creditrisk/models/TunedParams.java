package com.creditrisk.models;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One setting of a model's tuned parameters: the L2 strength of a logistic model, the depth of the
 * boosted trees, or nothing to tune (isotonic). Written to model_card.json by the config names
 * of the parameters, and to model_card.md and the log as {@code {reg_param=0.001}}.
 *
 * @param regParam {@code train.reg_params}: one of them, or null when the model has no such parameter
 * @param maxDepth {@code train.gbt.max_depths}: one of them, or null when the model has no such parameter
 */
public record TunedParams(Double regParam, Integer maxDepth) {
  /** A model with nothing to tune. */
  public static final TunedParams NONE = new TunedParams(null, null);

  public static TunedParams regParam(double regParam) {
    return new TunedParams(regParam, null);
  }

  public static TunedParams maxDepth(int maxDepth) {
    return new TunedParams(null, maxDepth);
  }

  public boolean isEmpty() {
    return regParam == null && maxDepth == null;
  }

  /** The parameters that are set, by name, in a fixed order: the chosen_params of the model card. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (regParam != null) {
      m.put("reg_param", regParam);
    }
    if (maxDepth != null) {
      m.put("max_depth", maxDepth);
    }
    return m;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
