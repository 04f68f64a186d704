package com.creditrisk.models;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate fitted while tuning a model, as the model card's {@code tuning} lists it.
 *
 * @param params its setting
 * @param trees the trees the boosting kept (early stopping on test), null for other models
 * @param testAuc its AUC on the test split; null when it was the only candidate, so nothing was chosen
 */
public record Trial(TunedParams params, Integer trees, Double testAuc) {
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>(params.toJson());
    if (trees != null) {
      m.put("trees", trees);
    }
    m.put("test_auc", testAuc);
    return m;
  }
}
