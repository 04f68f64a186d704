package com.creditrisk.dataset;

import com.creditrisk.ingest.RepaymentChecks;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.features.ScoreFeatures;
import com.creditrisk.ingest.ContractValidator;
import com.creditrisk.labels.LabelRules;
import com.creditrisk.labels.LoanPerformance;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The point-in-time view of the inputs as of a date: what build-dataset may know on that date.
 * Pure DataFrame logic, no action, no I/O; {@link BuildDataset} runs the same rules fused with the
 * contract checks of the largest inputs.
 *
 * @param applications applications up to the as-of date
 * @param features score features per application ({@link ScoreFeatures})
 * @param performance loan performance per loan ({@link LoanPerformance}) with application_month
 */
public record PointInTime(Dataset<Row> applications, Dataset<Row> features, Dataset<Row> performance) {

  /** Sets aside everything dated after the as-of date and computes features and labels. */
  public static PointInTime of(Dataset<Row> scoreSnapshots, Dataset<Row> applications, Dataset<Row> loans,
      Dataset<Row> repayments, Optional<Dataset<Row>> loanEvents, LocalDate asOf, CreditRiskConfig conf) {
    Column asOfEnd = endOf(asOf);
    Dataset<Row> apps = applications.filter(col("application_time").lt(asOfEnd));
    // Installments due after the as-of date cannot be late yet and payments after it are censored
    // by the DPD rule itself, so repayments need no date filter of their own.
    Dataset<Row> performance = LoanPerformance.compute(loansAsOf(loans, apps, asOf), repayments,
        eventsAsOf(loanEvents, asOf), LabelRules.from(conf, asOf));
    // Snapshots after the as-of date stay in the stream (their checks are counted in the same pass)
    // but are invisible to every feature.
    Dataset<Row> features = ScoreFeatures.features(ScoreFeatures.lookBack(scoreSnapshots,
        apps.select(col("customer_id"), col("application_id"), col("application_time")), col("score_time").lt(asOfEnd)),
        conf.maxScoreAgeDays());
    return new PointInTime(apps, features, performance);
  }

  /**
   * The rows of the repayments' contract pass turned into the loans' DPD summary
   * ({@link LoanPerformance#dpdByLoan}) in the same pass: the repayments are shuffled once.
   *
   * @param flagged the rows of {@link RepaymentChecks#flagged()}
   * @param observeRows observes the contract metrics on the repayment rows
   * @param observeKeys observes the key metric ({@link RepaymentChecks#loanMetrics()})
   *     on the per-loan rows, which carry {@link RepaymentChecks#keyProof()}
   */
  static Dataset<Row> repaymentPass(Dataset<Row> flagged, LabelRules rules,
      UnaryOperator<Dataset<Row>> observeRows,
      UnaryOperator<Dataset<Row>> observeKeys) {
    // Unknown loans get a null observed_until, hence no DPD, and later no loan to join to.
    Dataset<Row> installments = observeRows.apply(flagged)
        .withColumn("observed_until", LoanPerformance.observedUntil(col("__loan_disbursed"), rules))
        .select(col("loan_id"), col("installment_no"), col("__loan_known"), lit(1L).as("rows"),
            LoanPerformance.dpd(rules).as("dpd"), LoanPerformance.badOn(rules).as("bad_on"));
    // Partitioned by loan_id by the join: the grouping does not shuffle again.
    return observeKeys.apply(LoanPerformance.dpdByLoan(installments,
            RepaymentChecks.keyProof().toArray(new Column[0])))
        .select("loan_id", "installments", "max_dpd", "dpd_bad_date");
  }

  /**
   * Loan performance as of the date from a DPD summary computed with the same rules
   * ({@link #repaymentPass}), with application_month carried.
   */
  static Dataset<Row> performance(Dataset<Row> appsAsOf, Dataset<Row> loans, Dataset<Row> dpdByLoan,
      Optional<Dataset<Row>> loanEvents, LocalDate asOf, CreditRiskConfig conf) {
    return LoanPerformance.fromDpd(loansAsOf(loans, appsAsOf, asOf), dpdByLoan, eventsAsOf(loanEvents, asOf),
        LabelRules.from(conf, asOf));
  }

  /** The as-of date as a date column. */
  static Column dateOf(LocalDate asOf) {
    return lit(asOf.toString()).cast(DataTypes.DateType);
  }

  /** The first instant after the as-of date: everything known on the date is before it. */
  static Column endOf(LocalDate asOf) {
    return lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
  }

  private static Dataset<Row> loansAsOf(Dataset<Row> loans, Dataset<Row> appsAsOf, LocalDate asOf) {
    return loans.filter(col("disbursed_date").leq(dateOf(asOf)))
        .join(appsAsOf.select(col("application_id"),
            date_format(col("application_time"), "yyyy-MM").as("application_month")), "application_id")
        .select("loan_id", "application_id", "disbursed_date", "application_month");
  }

  private static Optional<Dataset<Row>> eventsAsOf(Optional<Dataset<Row>> loanEvents, LocalDate asOf) {
    Column asOfDate = dateOf(asOf);
    return loanEvents.map(e -> e.filter(col("event_date").leq(asOfDate)));
  }
}
