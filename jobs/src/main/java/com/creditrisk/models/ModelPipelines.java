package com.creditrisk.models;

import com.creditrisk.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.IsotonicRegression;

/**
 * The unfitted pipelines of the score-only baselines and the gradient-boosted trees, one per
 * setting of their tuned parameters. Every pipeline starts from model_dataset columns and handles
 * missing values itself, so a saved model scores any application, rejected ones included.
 */
final class ModelPipelines {
  static final String SCORE = "__score";
  static final String SCORE_MISSING = "__score_missing";
  /** Below every real value of the features the trees see: "missing" becomes its own branch. */
  static final double TREE_MISSING = -1.0e9;
  static final String MISSING_LEVEL = "__missing__";

  private ModelPipelines() {}

  /**
   * The score at application as a number for every row: a row without a usable score is placed
   * below the lowest valid score, where a score-cutoff policy puts it too, and flagged.
   */
  static SQLTransformer scoreInput(int scoreMin) {
    // In hundreds of points above score.min: the same order as the score, on a scale where the
    // optimiser's line search does not fail on the intercept's tiny steps.
    return new SQLTransformer().setStatement(
        "SELECT *, (coalesce(CAST(score_at_application AS DOUBLE), " + (double) (scoreMin - 1) + ") - " + (double) scoreMin
            + ") / 100.0 AS " + SCORE
            + ", CASE WHEN score_at_application IS NULL THEN 1.0 ELSE 0.0 END AS " + SCORE_MISSING
            + " FROM __THIS__");
  }

  static List<Candidate> scoreLogistic(TrainConfig t, int scoreMin) {
    List<Candidate> out = new ArrayList<>();
    for (double reg : t.regParams()) {
      LogisticRegression lr = logistic(t, reg);
      out.add(new Candidate(TunedParams.regParam(reg), new Pipeline().setStages(new PipelineStage[] {
          scoreInput(scoreMin),
          new VectorAssembler().setInputCols(new String[] {SCORE, SCORE_MISSING}).setOutputCol(ModelKind.FEATURES),
          lr})));
    }
    return out;
  }

  static List<Candidate> scoreIsotonic(TrainConfig t, int scoreMin) {
    IsotonicRegression iso = new IsotonicRegression()
        .setIsotonic(false) // PD falls as the score rises
        .setFeaturesCol(SCORE)
        .setLabelCol(ModelKind.LABEL)
        .setPredictionCol(ModelKind.PREDICTION);
    if (t.balancedWeights()) {
      iso.setWeightCol(ModelKind.WEIGHT);
    }
    return List.of(new Candidate(TunedParams.NONE, new Pipeline().setStages(new PipelineStage[] {scoreInput(scoreMin), iso})));
  }

  /** A binomial logistic regression writing to the shared output columns. */
  static LogisticRegression logistic(TrainConfig t, double regParam) {
    LogisticRegression lr = new LogisticRegression()
        .setFamily("binomial")
        .setRegParam(regParam)
        .setElasticNetParam(0.0)
        .setMaxIter(100)
        .setTol(1e-6)
        .setLabelCol(ModelKind.LABEL)
        .setFeaturesCol(ModelKind.FEATURES)
        .setRawPredictionCol(ModelKind.RAW)
        .setProbabilityCol(ModelKind.PROBABILITY)
        .setPredictionCol(ModelKind.PREDICTION);
    if (t.balancedWeights()) {
      lr.setWeightCol(ModelKind.WEIGHT);
    }
    return lr;
  }

  static List<Candidate> gbt(TrainConfig t) {
    List<String> numeric = t.numericFeatures();
    List<String> categorical = t.categoricalFeatures();
    StringBuilder sql = new StringBuilder("SELECT *");
    List<String> assembled = new ArrayList<>();
    for (String f : numeric) {
      sql.append(", coalesce(CAST(`").append(f).append("` AS DOUBLE), ").append(TREE_MISSING).append(") AS `__num_")
          .append(f).append('`');
      assembled.add("__num_" + f);
    }
    String[] catIn = new String[categorical.size()];
    String[] catOut = new String[categorical.size()];
    for (int i = 0; i < categorical.size(); i++) {
      String f = categorical.get(i);
      sql.append(", coalesce(CAST(`").append(f).append("` AS STRING), '").append(MISSING_LEVEL).append("') AS `__cat_")
          .append(f).append('`');
      catIn[i] = "__cat_" + f;
      catOut[i] = "__idx_" + f;
      assembled.add(catOut[i]);
    }
    sql.append(" FROM __THIS__");
    List<Candidate> out = new ArrayList<>();
    for (int depth : t.gbtMaxDepths()) {
      List<PipelineStage> stages = new ArrayList<>();
      stages.add(new SQLTransformer().setStatement(sql.toString()));
      if (catIn.length > 0) {
        // Levels unseen in training get their own index; alphabetical order keeps reruns identical.
        stages.add(new StringIndexer().setInputCols(catIn).setOutputCols(catOut)
            .setHandleInvalid("keep").setStringOrderType("alphabetAsc"));
      }
      stages.add(new VectorAssembler().setInputCols(assembled.toArray(new String[0]))
          .setOutputCol(ModelKind.FEATURES).setHandleInvalid("error"));
      GBTClassifier gbt = new GBTClassifier()
          .setLabelCol(ModelKind.LABEL)
          .setFeaturesCol(ModelKind.FEATURES)
          .setRawPredictionCol(ModelKind.RAW)
          .setProbabilityCol(ModelKind.PROBABILITY)
          .setPredictionCol(ModelKind.PREDICTION)
          .setMaxIter(t.gbtMaxIter())
          .setMaxDepth(depth)
          .setStepSize(t.gbtStepSize())
          .setSubsamplingRate(t.gbtSubsamplingRate())
          .setMaxBins(t.gbtMaxBins())
          .setMinInstancesPerNode(t.gbtMinInstancesPerNode())
          .setSeed(t.seed());
      // GBTClassifier has the param but no setter for it.
      gbt.set(gbt.validationTol(), (Object) t.gbtValidationTol());
      boolean sparkStops = t.gbtPatience() == 0;
      if (sparkStops) {
        gbt.setValidationIndicatorCol(ModelKind.VALIDATION);
      }
      if (t.balancedWeights()) {
        gbt.setWeightCol(ModelKind.WEIGHT);
      }
      stages.add(gbt);
      // With patience the trees are fitted on train rows alone and cut afterwards (BoostingStop).
      out.add(new Candidate(TunedParams.maxDepth(depth), new Pipeline().setStages(stages.toArray(new PipelineStage[0])),
          sparkStops));
    }
    return out;
  }
}
