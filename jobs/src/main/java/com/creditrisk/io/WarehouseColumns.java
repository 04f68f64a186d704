package com.creditrisk.io;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Columns of the warehouse tables that more than one job reads, and how the derived ones are made,
 * so a reader (validate, calibrate) needs no import of the job that writes them.
 */
public final class WarehouseColumns {
  /** scored_applications: the risk grade 1..n of the PD on the master scale ({@link #riskGrade}). */
  public static final String RISK_GRADE = "risk_grade";

  private WarehouseColumns() {}

  /**
   * Risk grade 1..n: the first grade whose upper PD bound is not below the PD. The rule of
   * scored_applications' {@value #RISK_GRADE}, also applied by validate to a PD column of any table.
   *
   * @param bounds the master scale's upper PD bounds (grades.pd_upper_bounds), ascending
   */
  public static Column riskGrade(Column pd, List<Double> bounds) {
    Column g = lit(bounds.size() + 1);
    for (int i = bounds.size() - 1; i >= 0; i--) {
      g = when(pd.leq(bounds.get(i)), lit(i + 1)).otherwise(g);
    }
    return g;
  }

  /**
   * A PD held in [floor, 1 - floor] (calibrate.pd_floor): the rule of every PD column the jobs write,
   * scored_applications' pd and calibrate's pd_calibrated, so no loan looks riskless or certain.
   */
  public static Column flooredPd(Column pd, double floor) {
    return least(greatest(pd, lit(floor)), lit(1 - floor));
  }

  /**
   * A fitted isotonic regression as the step function it is, with built-in expressions: each step
   * holds from its first fitted point up to the next step's first point, so a value between two
   * fitted steps takes the step below it (for a PD falling with the score, the riskier one), a value
   * below every step the first, above every step the last. MLlib's own prediction instead
   * interpolates linearly between the last point of one step and the first of the next, giving
   * values that belong to no step.
   *
   * @param boundaries the model's ascending boundaries (each step contributes its first and last point)
   * @param values the model's prediction at each boundary
   */
  public static Column stepFunction(Column x, double[] boundaries, double[] values) {
    List<double[]> steps = new ArrayList<>(); // {first point, value}, one per change of value
    for (int i = 0; i < boundaries.length; i++) {
      if (steps.isEmpty() || steps.get(steps.size() - 1)[1] != values[i]) {
        steps.add(new double[] {boundaries[i], values[i]});
      }
    }
    if (steps.isEmpty()) {
      return lit(null).cast("double");
    }
    return when(x.isNotNull(), stepSearch(x, steps, 0, steps.size()));
  }

  /** A balanced tree of comparisons over steps [from, to): log2(steps) comparisons per row. */
  private static Column stepSearch(Column x, List<double[]> steps, int from, int to) {
    if (to - from == 1) {
      return lit(steps.get(from)[1]);
    }
    int mid = (from + to) >>> 1;
    return when(x.lt(steps.get(mid)[0]), stepSearch(x, steps, from, mid)).otherwise(stepSearch(x, steps, mid, to));
  }
}
