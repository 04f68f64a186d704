package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig.Method;
import com.creditrisk.cutoffs.Jeffreys;
import com.creditrisk.io.WarehouseColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Maps a model's score (points, higher = safer) to a calibrated PD, fitted on the test split (rows
 * no model was fitted on) and checked on oot. Isotonic: MLlib's pool-adjacent-violators fit, a
 * non-increasing step function of the score whose value on each block is the block's observed bad
 * rate, predicted as that step function (a score between two blocks takes the lower-scoring,
 * riskier block's PD; MLlib's own prediction interpolates there). Platt: a one-feature logistic regression on the score. Either way the PD is held in
 * [pd_floor, 1 - pd_floor]: an isotonic block without a bad would otherwise give PD 0.
 */
public final class PdCalibration {
  static final String LABEL_D = "__label_d";
  static final String SCORE_VEC = "__score_vec";
  static final String PD_CAL = "pd_calibrated";
  static final double LOG_LOSS_CLIP = 1e-12;

  private final Method method;
  private final double floor;
  private final IsotonicRegressionModel isotonic;
  private final LogisticRegressionModel platt;

  private PdCalibration(Method method, double floor, IsotonicRegressionModel isotonic, LogisticRegressionModel platt) {
    this.method = method;
    this.floor = floor;
    this.isotonic = isotonic;
    this.platt = platt;
  }

  /**
   * @param fitRows rows with {@code model_score} (double) and {@code label} (0/1, not null)
   * @param floor calibrate.pd_floor: every calibrated PD is in [floor, 1 - floor]
   */
  public static PdCalibration fit(Dataset<Row> fitRows, Method method, double floor) {
    Dataset<Row> in = fitRows.select(col("model_score").cast("double").as("model_score"),
        col("label").cast("double").as(LABEL_D));
    if (method == Method.ISOTONIC) {
      IsotonicRegressionModel m = new IsotonicRegression().setIsotonic(false).setFeaturesCol("model_score")
          .setLabelCol(LABEL_D).setPredictionCol(PD_CAL).fit(in);
      return new PdCalibration(method, floor, m, null);
    }
    Dataset<Row> v = new VectorAssembler().setInputCols(new String[] {"model_score"}).setOutputCol(SCORE_VEC)
        .transform(in);
    LogisticRegressionModel m = new LogisticRegression().setFeaturesCol(SCORE_VEC).setLabelCol(LABEL_D)
        .setRegParam(0.0).setMaxIter(100).setTol(1e-6).setProbabilityCol("__p").setRawPredictionCol("__raw")
        .setPredictionCol("__pred").fit(v);
    return new PdCalibration(method, floor, null, m);
  }

  public Method method() {
    return method;
  }

  /** Adds {@code pd_calibrated} computed from {@code model_score}; other columns are kept. */
  public Dataset<Row> transform(Dataset<Row> rows) {
    if (isotonic != null) {
      // The fitted steps themselves: MLlib's transform would interpolate between them.
      Column step = WarehouseColumns.stepFunction(col("model_score").cast("double"), isotonic.boundaries().toArray(),
          isotonic.predictions().toArray());
      return rows.withColumn(PD_CAL, WarehouseColumns.flooredPd(step, floor));
    }
    List<String> keep = new ArrayList<>(List.of(rows.columns()));
    keep.add(PD_CAL);
    Dataset<Row> v = new VectorAssembler().setInputCols(new String[] {"model_score"}).setOutputCol(SCORE_VEC)
        .setHandleInvalid("keep").transform(rows.withColumn("model_score", col("model_score").cast("double")));
    return platt.transform(v)
        .withColumn(PD_CAL, WarehouseColumns.flooredPd(vector_to_array(col("__p"), "float64").getItem(1), floor))
        .select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /** A readable summary of the mapping: the isotonic steps, or Platt's intercept and slope. */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("method", method.configName());
    d.put("pd_floor", floor);
    if (isotonic != null) {
      d.put("score_boundaries", isotonic.boundaries().toArray());
      d.put("pd_at_boundaries", isotonic.predictions().toArray());
    } else {
      d.put("intercept", platt.intercept());
      d.put("slope_per_point", platt.coefficients().apply(0));
      if (platt.hasSummary()) {
        d.put("iterations", platt.summary().totalIterations());
      }
    }
    return d;
  }

  public void save(String path) throws IOException {
    if (isotonic != null) {
      isotonic.write().overwrite().save(path);
    } else {
      platt.write().overwrite().save(path);
    }
  }

  /** Fit quality on labelled rows of {@code pd_calibrated}: one aggregation. */
  public record Check(long n, long bads, double observedBadRate, double meanPd, double brier, double logLoss,
      double jeffreysP) {}

  /** {@link Check} per split of the labelled rows, in one aggregation. */
  public static Map<String, Check> checkBySplit(Dataset<Row> withPd, String pdCol) {
    Column p = least(greatest(col(pdCol), lit(LOG_LOSS_CLIP)), lit(1 - LOG_LOSS_CLIP));
    Column y = col("label").cast("double");
    Map<String, Check> out = new java.util.TreeMap<>();
    for (Row r : withPd.where(col("label").isNotNull()).groupBy(col("split")).agg(count(lit(1)), sum(y),
        avg(col(pdCol)), avg(pow(col(pdCol).minus(y), 2)),
        avg(y.multiply(log(p)).plus(lit(1).minus(y).multiply(log(lit(1).minus(p)))).multiply(-1))).collectAsList()) {
      long n = r.getLong(1);
      double bads = r.getDouble(2);
      double meanPd = r.getDouble(3);
      out.put(r.getString(0), new Check(n, Math.round(bads), bads / n, meanPd, r.getDouble(4), r.getDouble(5),
          Jeffreys.pValue(meanPd, bads, n)));
    }
    return out;
  }

  /**
   * The master scale: risk grades by calibrated PD (upper bounds from conf), with the score range,
   * rows, observed bad rate and mean calibrated PD of each grade on the fitting rows and on oot.
   * Small: one row per grade and split.
   */
  public static List<Row> masterScale(Dataset<Row> withPd, List<Double> bounds) {
    Column grade = lit(bounds.size() + 1);
    for (int i = bounds.size() - 1; i >= 0; i--) {
      grade = when(col(PD_CAL).leq(bounds.get(i)), lit(i + 1)).otherwise(grade);
    }
    return withPd.where(col("label").isNotNull()).withColumn("grade", grade)
        .groupBy(col("split"), col("grade"))
        .agg(count(lit(1)).as("n"), sum(col("label")).as("bads"), avg(col(PD_CAL)).as("mean_pd"),
            min(col(PD_CAL)).as("min_pd"), max(col(PD_CAL)).as("max_pd"),
            min(col("model_score")).as("min_score"), max(col("model_score")).as("max_score"))
        .orderBy(col("split"), col("grade"))
        .collectAsList();
  }
}
