package com.creditrisk.models;

import java.util.Arrays;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Early stopping with patience ({@code train.gbt.patience} above 0). Spark's validation stopping
 * ends the fit at the first tree that does not improve the test log-loss, so one noisy tree stops
 * the boosting. Here every tree is fitted on the train rows, the test log-loss of every tree count
 * comes from one pass ({@code evaluateEachIteration}), and the model keeps the first trees up to
 * the chosen count: a boosted model cut to its first k trees is exactly the k-tree model.
 */
final class BoostingStop {
  private BoostingStop() {}

  /**
   * The tree count to keep. Walking the counts in order, a count is a new best when its loss is
   * below the best so far by more than {@code tol * max(loss, 0.01)} (Spark's improvement test);
   * the walk ends once {@code patience} counts in a row have not been a new best, and the last
   * best is kept. Patience 1 is Spark's rule.
   *
   * @param losses the validation loss with 1, 2, ... trees
   * @param patience at least 1
   * @return a count in [1, losses.length]
   */
  static int treesToKeep(double[] losses, int patience, double tol) {
    if (losses.length == 0 || patience < 1) {
      throw new IllegalArgumentException("losses " + losses.length + ", patience " + patience);
    }
    int best = 0;
    for (int i = 1; i < losses.length && i - best <= patience; i++) {
      if (losses[best] - losses[i] > tol * Math.max(losses[i], 0.01)) {
        best = i;
      }
    }
    return best + 1;
  }

  /**
   * The fitted pipeline with its boosted model cut to {@link #treesToKeep} of the loss on
   * {@code validation} (rows with the pipeline's input columns, label and weight).
   */
  static PipelineModel keepBest(PipelineModel fitted, Dataset<Row> validation, int patience, double tol) {
    Transformer[] stages = fitted.stages().clone();
    int last = stages.length - 1;
    GBTClassificationModel gbt = (GBTClassificationModel) stages[last];
    PipelineModel features = new PipelineModel(fitted.uid() + "_features", Arrays.copyOf(stages, last));
    double[] losses = gbt.evaluateEachIteration(features.transform(validation));
    int keep = treesToKeep(losses, patience, tol);
    if (keep == gbt.getNumTrees()) {
      return fitted;
    }
    stages[last] = firstTrees(gbt, keep);
    return new PipelineModel(fitted.uid(), stages);
  }

  /** The model of the first {@code k} trees, with the same uid and parameters. */
  static GBTClassificationModel firstTrees(GBTClassificationModel gbt, int k) {
    GBTClassificationModel cut = new GBTClassificationModel(gbt.uid(),
        Arrays.copyOf(gbt.trees(), k, DecisionTreeRegressionModel[].class), Arrays.copyOf(gbt.treeWeights(), k),
        gbt.numFeatures());
    for (ParamPair<?> p : gbt.extractParamMap().toList()) {
      cut.set(p);
    }
    return cut;
  }
}
