package com.creditrisk.models;

import java.util.Map;
import org.apache.spark.ml.Pipeline;

/**
 * One setting of a model's tuned parameters, as an unfitted pipeline.
 *
 * @param validatesOnTest the pipeline is fitted on train and test rows together, and uses the test
 *     rows (flagged in {@link ModelKind#VALIDATION}) only to stop early, never to fit
 */
record Candidate(Map<String, Object> params, Pipeline pipeline, boolean validatesOnTest) {
  Candidate {
    params = Map.copyOf(params);
  }

  Candidate(Map<String, Object> params, Pipeline pipeline) {
    this(params, pipeline, false);
  }
}
