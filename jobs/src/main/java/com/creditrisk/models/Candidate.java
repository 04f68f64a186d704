package com.creditrisk.models;

import org.apache.spark.ml.Pipeline;

/**
 * One setting of a model's tuned parameters, as an unfitted pipeline.
 *
 * @param validatesOnTest the pipeline is fitted on train and test rows together, and uses the test
 *     rows (flagged in {@link ModelKind#VALIDATION}) only to stop early, never to fit
 */
record Candidate(TunedParams params, Pipeline pipeline, boolean validatesOnTest) {
  Candidate(TunedParams params, Pipeline pipeline) {
    this(params, pipeline, false);
  }
}
