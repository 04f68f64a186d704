package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import com.creditrisk.config.TrainConfig.PointsScaling;
import java.util.Locale;
import org.apache.spark.ml.functions;
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

  /** PDs this close to 0 or 1 are clipped before the log-odds, so a score is always finite. */
  private static final double PD_CLIP = 1e-12;

  public String modelName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The PD column of this model's pipeline output (higher = riskier). */
  public Column pd() {
    if (this == SCORE_ISOTONIC) {
      return col(PREDICTION);
    }
    return functions.vector_to_array(col(PROBABILITY), "float64").getItem(1);
  }

  /**
   * The model's score in points (higher = safer): offset + factor ln(odds good:bad). For the
   * scorecard this is the sum of its points, taken from the logistic margin so that it equals the
   * scorecard's SQL expression up to rounding.
   */
  public Column score(PointsScaling scaling) {
    Column logit;
    if (this == SCORECARD) {
      logit = functions.vector_to_array(col(RAW), "float64").getItem(1);
    } else {
      Column p = least(greatest(pd(), lit(PD_CLIP)), lit(1 - PD_CLIP));
      logit = log(p.divide(lit(1).minus(p)));
    }
    return lit(scaling.offset()).minus(lit(scaling.factor()).multiply(logit));
  }
}
