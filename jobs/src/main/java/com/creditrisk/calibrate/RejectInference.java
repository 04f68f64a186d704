package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Outcome weights of the curve's rows. Every row gets {@code w_bad_none}/{@code w_good_none} (its
 * observed outcome: 1/0 or 0/1 when it is a mature labelled row, else 0/0) and
 * {@code w_bad_ri}/{@code w_good_ri}, the same with rejected applications filled in:
 * <ul>
 *   <li>fuzzy augmentation: a reject enters as a bad with weight PD and as a good with weight 1 - PD
 *       (its calibrated PD), so each reject adds exactly one application's weight;</li>
 *   <li>parcelling: rejects in a band of {@code band_points} model points are bad at the band's
 *       observed bad rate times {@code factor} (at most 1). The expected share is used rather than a
 *       random draw, so a rerun gives the same curve; a band without observed outcomes takes the
 *       rate of the nearest band that has them.</li>
 * </ul>
 * Only rejected applications are inferred: approved loans that are not yet mature, indeterminate or
 * not disbursed are a different question (no outcome yet, not a policy-censored one).
 */
public final class RejectInference {
  private RejectInference() {}

  public static Dataset<Row> weigh(Dataset<Row> population, CalibrateConfig cc) {
    Column known = col("split").isNotNull().and(col("label").isNotNull());
    Column y = col("label").cast("double");
    Column rejected = col("status").equalTo("rejected");
    Dataset<Row> d = population
        .withColumn("w_bad_none", when(known, y).otherwise(0.0))
        .withColumn("w_good_none", when(known, lit(1.0).minus(y)).otherwise(0.0));
    switch (cc.rejectInference()) {
      case FUZZY -> {
        Column pd = col(PdCalibration.PD_CAL);
        return d.withColumn("w_bad_ri", when(known, y).when(rejected, pd).otherwise(0.0))
            .withColumn("w_good_ri", when(known, lit(1.0).minus(y)).when(rejected, lit(1.0).minus(pd)).otherwise(0.0));
      }
      case PARCELLING -> {
        Column band = floor(round(col("model_score")).divide(lit(cc.parcellingBandPoints()))).cast("long");
        Dataset<Row> withBand = d.withColumn("__band", band);
        Dataset<Row> rates = bandRates(withBand, known, rejected, cc.parcellingFactor());
        Column rate = col("__rate");
        return withBand.join(broadcast(rates), withBand.col("__band").equalTo(rates.col("__rate_band")), "left")
            .withColumn("w_bad_ri", when(known, y).when(rejected, rate).otherwise(0.0))
            .withColumn("w_good_ri", when(known, lit(1.0).minus(y)).when(rejected, lit(1.0).minus(rate)).otherwise(0.0))
            .drop("__band", "__rate_band", "__rate");
      }
      default -> {
        return d.withColumn("w_bad_ri", col("w_bad_none")).withColumn("w_good_ri", col("w_good_none"));
      }
    }
  }

  /**
   * Bad rate per band for the rejects' bands: observed among the band's labelled rows, else the
   * nearest band with labelled rows (ties: the riskier, lower band), times the factor, capped at 1.
   * One row per band: the table is as small as the score range divided by the band width.
   */
  static Dataset<Row> bandRates(Dataset<Row> withBand, Column known, Column rejected, double factor) {
    TreeMap<Long, double[]> observed = new TreeMap<>();
    List<Long> rejectBands = new ArrayList<>();
    for (Row r : withBand.groupBy(col("__band"))
        .agg(sum(when(known, 1L).otherwise(0L)), sum(when(known, col("label")).otherwise(0)),
            count(when(rejected, 1)))
        .collectAsList()) {
      if (r.isNullAt(0)) {
        continue;
      }
      long b = r.getLong(0);
      if (r.getLong(1) > 0) {
        observed.put(b, new double[] {r.getLong(1), ((Number) r.get(2)).doubleValue()});
      }
      if (r.getLong(3) > 0) {
        rejectBands.add(b);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (long b : rejectBands) {
      double[] o = observed.get(b);
      if (o == null) {
        Long lo = observed.floorKey(b);
        Long hi = observed.ceilingKey(b);
        Long near = lo == null ? hi : hi == null ? lo : (b - lo <= hi - b ? lo : hi);
        o = near == null ? null : observed.get(near);
      }
      if (o != null) {
        rows.add(RowFactory.create(b, Math.min(1.0, factor * o[1] / o[0])));
      }
    }
    StructType schema = new StructType().add("__rate_band", DataTypes.LongType).add("__rate", DataTypes.DoubleType);
    return withBand.sparkSession().createDataFrame(rows, schema);
  }
}
