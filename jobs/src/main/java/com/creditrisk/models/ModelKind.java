package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import com.creditrisk.config.TrainConfig.PointsScaling;
import com.creditrisk.io.WarehouseColumns;
import java.util.Locale;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;

/**
 * The models {@code train} fits, and how each one's pipeline output becomes a PD and a score.
 * Every pipeline writes its outputs to the same internal columns, so scoring is uniform.
 */
public enum ModelKind {
  /** PD as a logistic function of the score at application: the policy the lender runs today. */
  SCORE_LOGISTIC,
  /** PD as a non-increasing step function of the score at application (isotonic regression). */
  SCORE_ISOTONIC,
  /** WoE logistic scorecard on the selected features. */
  SCORECARD,
  /** Gradient-boosted trees on the raw point-in-time features. */
  GBT;

  static final String LABEL = "__label";
  static final String WEIGHT = "__weight";
  static final String FEATURES = "__features";
  static final String RAW = "__raw";
  static final String PROBABILITY = "__probability";
  static final String PREDICTION = "__prediction";
  /** True on test rows, which boosting uses to stop adding trees, never to fit them. */
  static final String VALIDATION = "__validation";

  public String modelName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /**
   * The PD column of this model's pipeline output (higher = riskier), held in [floor, 1 - floor]
   * (calibrate.pd_floor). The isotonic baseline's PD is its fitted step function of the score, not
   * MLlib's prediction, which interpolates between steps.
   */
  public Column pd(PipelineModel model, double floor) {
    Column raw;
    if (this == SCORE_ISOTONIC) {
      IsotonicRegressionModel iso = (IsotonicRegressionModel) model.stages()[model.stages().length - 1];
      raw = WarehouseColumns.stepFunction(col(iso.getFeaturesCol()), iso.boundaries().toArray(),
          iso.predictions().toArray());
    } else {
      raw = functions.vector_to_array(col(PROBABILITY), "float64").getItem(1);
    }
    return WarehouseColumns.flooredPd(raw, floor);
  }

  /**
   * The model's score in points (higher = safer): offset - factor ln(odds bad:good). For the
   * scorecard this is the sum of its points, taken from the logistic margin so that it equals the
   * scorecard's SQL expression up to rounding; it is not derived from a PD, so the floor leaves it
   * alone (only its PD is floored). Every other model's score is that of its floored PD, so it is
   * always finite and tells the same story as the PD.
   */
  public Column score(PipelineModel model, PointsScaling scaling, double floor) {
    Column logit;
    if (this == SCORECARD) {
      logit = functions.vector_to_array(col(RAW), "float64").getItem(1);
    } else {
      Column p = pd(model, floor);
      logit = log(p.divide(lit(1).minus(p)));
    }
    return lit(scaling.offset()).minus(lit(scaling.factor()).multiply(logit));
  }
}
