package com.creditrisk.contract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The per-loan aggregates of the repayments that the {@link RuleKind#PER_LOAN} rules read: the
 * pass that groups the repayments by loan for the labels computes them in the same grouping.
 */
public final class Schedule {
  /** Installment rows of the loan that have a number. */
  public static final String NUMBERED = "__numbered";
  /** The loan's highest installment number. */
  public static final String HIGHEST = "__highest_no";

  private Schedule() {}

  /** The aggregates, over one loan's repayment rows. */
  public static List<Column> aggregates() {
    return List.of(count(col("installment_no")).as(NUMBERED), max(col("installment_no")).as(HIGHEST));
  }
}
