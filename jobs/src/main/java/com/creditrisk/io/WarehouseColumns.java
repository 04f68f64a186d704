package com.creditrisk.io;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

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
}
