package com.creditrisk.labels;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Days past due and the default label of each loan, censored at the as-of date.
 *
 * <p>Let e = min(window_end, as-of). An installment paid in full (within the tolerance) on or
 * before e has DPD max(0, paid_date - due_date); any other installment is still open at e and has
 * DPD max(0, e - due_date), so a payment after the as-of date counts as not yet made. A loan is bad
 * once an installment reaches {@code badDpd}, on due_date + badDpd, or on a bad loan event in
 * [disbursed_date, e]; good when its window has ended (mature) with max DPD <= goodMaxDpd;
 * indeterminate when mature in between; immature when the window is still open and it is not bad.
 * A loan with no installment rows has a null max_dpd and can only be bad by an event, otherwise
 * indeterminate or immature: there is no evidence that it performed.
 */
public final class LoanPerformance {
  /** A loan's status once it went bad, at any time before or at the end of its outcome window. */
  public static final String STATUS_BAD = "bad";
  /** A loan's status while its outcome window is open and it has not gone bad. */
  public static final String STATUS_IMMATURE = "immature";
  /** Output columns, in order. */
  public static final String[] COLUMNS = {
      "loan_id", "application_id", "disbursed_date", "window_end", "observed_until", "installments",
      "max_dpd", "first_bad_date", "bad_by_event", "mature", "status", "label"};

  private LoanPerformance() {}

  /**
   * @param loans loan_id, application_id, disbursed_date (loans disbursed after the as-of date already set
   *     aside); any other columns are carried through to the output after {@link #COLUMNS}
   * @param repayments loan_id, installment_no, due_date, amount_due, amount_paid, paid_date
   * @param events loan_id, event_date, event_type, when the lender has them
   */
  public static Dataset<Row> compute(Dataset<Row> loans, Dataset<Row> repayments, Optional<Dataset<Row>> events,
      LabelRules rules) {
    Dataset<Row> perInstallment = repayments
        .select(col("loan_id"), col("due_date"), col("amount_due"), col("amount_paid"), col("paid_date"))
        .join(loans.select(col("loan_id"), observedUntil(col("disbursed_date"), rules).as("observed_until")),
            "loan_id")
        .select(col("loan_id"), lit(1L).as("rows"), dpd(rules).as("dpd"), badOn(rules).as("bad_on"));
    return fromDpd(loans, dpdByLoan(perInstallment), events, rules);
  }

  /** The last day a loan is observed: the end of its outcome window, or the as-of date if earlier. */
  public static Column observedUntil(Column disbursedDate, LabelRules rules) {
    return least(add_months(disbursedDate, rules.windowMonths()),
        lit(rules.asOf().toString()).cast(DataTypes.DateType));
  }

  /**
   * The DPD of one installment at the end of its loan's observation, on a row with due_date,
   * amount_due, amount_paid, paid_date and observed_until ({@link #observedUntil}).
   */
  public static Column dpd(LabelRules rules) {
    return greatest(lit(0), datediff(dpdEnd(rules), col("due_date")));
  }

  /** The day an installment made its loan bad, or null (same row as {@link #dpd}). */
  public static Column badOn(LabelRules rules) {
    return reachedDpdOn(rules.badDpd(), rules);
  }

  /**
   * The day an installment became {@code days} days past due, if it did by its row's
   * observed_until, else null (same row as {@link #dpd}): the DPD clock of the labels for any
   * threshold, so an early-delinquency indicator counts days exactly as the label does.
   */
  public static Column reachedDpdOn(int days, LabelRules rules) {
    Column on = date_add(col("due_date"), days);
    return when(on.leq(dpdEnd(rules)), on);
  }

  private static Column dpdEnd(LabelRules rules) {
    Column paidInTime = col("paid_date").isNotNull()
        .and(col("amount_paid").geq(col("amount_due").minus(rules.paidTolerance())))
        .and(col("paid_date").leq(col("observed_until")));
    return when(paidInTime, col("paid_date")).otherwise(col("observed_until"));
  }

  /**
   * Per loan: installments, max_dpd and dpd_bad_date, from rows of loan_id, rows (how many
   * installment rows the row stands for), dpd and bad_on. Rows may be pre-aggregated: the
   * aggregates compose. {@code alsoPerLoan} are further aggregates computed in the same grouping
   * (e.g. the contract checks' key proof), after those three columns.
   */
  public static Dataset<Row> dpdByLoan(Dataset<Row> installments, Column... alsoPerLoan) {
    java.util.List<Column> aggs = new java.util.ArrayList<>(java.util.List.of(
        max("dpd").cast(DataTypes.IntegerType).as("max_dpd"),
        min("bad_on").as("dpd_bad_date")));
    aggs.addAll(java.util.Arrays.asList(alsoPerLoan));
    return installments.groupBy("loan_id").agg(sum("rows").cast(DataTypes.IntegerType).as("installments"),
        aggs.toArray(new Column[0]));
  }

  /**
   * Loan performance from the per-loan DPD summary of {@link #dpdByLoan}, which may hold loans that
   * are not in {@code loans} (they are ignored) and must have been computed with the same rules.
   *
   * @param loans as for {@link #compute}
   */
  public static Dataset<Row> fromDpd(Dataset<Row> loans, Dataset<Row> dpdByLoan, Optional<Dataset<Row>> events,
      LabelRules rules) {
    Column asOf = lit(rules.asOf().toString()).cast(DataTypes.DateType);
    java.util.List<String> carried = new java.util.ArrayList<>(java.util.Arrays.asList(loans.columns()));
    carried.removeAll(java.util.Arrays.asList(COLUMNS));
    Dataset<Row> windows = loans
        .withColumn("window_end", add_months(col("disbursed_date"), rules.windowMonths()))
        .withColumn("observed_until", observedUntil(col("disbursed_date"), rules));

    Dataset<Row> joined = windows.join(dpdByLoan, "loan_id", "left");
    if (events.isPresent() && !rules.badEvents().isEmpty()) {
      // The (few) bad event dates of each loan, kept only within the loan's observation once
      // joined to it: joining the events to the loans first would compute the loans (and their
      // join with the applications) a second time in the same query.
      Dataset<Row> badEventDates = events.get()
          .filter(col("event_type").isin(rules.badEvents().toArray()))
          .groupBy("loan_id").agg(collect_list(col("event_date")).as("__bad_event_dates"));
      joined = joined.join(badEventDates, "loan_id", "left")
          .withColumn("event_bad_date", array_min(filter(col("__bad_event_dates"),
              d -> d.geq(col("disbursed_date")).and(d.leq(col("observed_until"))))))
          .drop("__bad_event_dates");
    } else {
      joined = joined.withColumn("event_bad_date", lit(null).cast(DataTypes.DateType));
    }

    Column bad = col("dpd_bad_date").isNotNull().or(col("event_bad_date").isNotNull());
    Column mature = col("window_end").leq(asOf);
    Column status = when(bad, lit(STATUS_BAD))
        .when(mature.and(col("max_dpd").leq(rules.goodMaxDpd())), lit("good"))
        .when(mature, lit("indeterminate"))
        .otherwise(lit(STATUS_IMMATURE));
    return joined
        .withColumn("first_bad_date", least(col("dpd_bad_date"), col("event_bad_date")))
        .withColumn("bad_by_event", col("event_bad_date").isNotNull())
        .withColumn("mature", mature)
        .withColumn("installments", when(col("installments").isNull(), lit(0)).otherwise(col("installments")))
        .withColumn("status", status)
        .withColumn("label", when(col("status").equalTo(STATUS_BAD), lit(1))
            .when(col("status").equalTo("good"), lit(0)).cast(DataTypes.IntegerType))
        .select(java.util.stream.Stream.concat(java.util.Arrays.stream(COLUMNS), carried.stream())
            .map(c -> col(c)).toArray(Column[]::new));
  }
}
