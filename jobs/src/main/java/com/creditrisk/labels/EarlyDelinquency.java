package com.creditrisk.labels;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.cutoffs.Jeffreys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Early delinquency of disbursement-month cohorts: per month and indicator "ever D+ days past due
 * by months on book M", the loans whose MOB-M window is complete on or before the as-of date and
 * how many of them reached D days past due inside it. It warns about a month before any of its
 * loans has a mature label.
 *
 * <p><b>The DPD clock</b> is the label's ({@link LoanPerformance#reachedDpdOn}): an installment is
 * paid when amount_paid >= amount_due - {@code label.paid_tolerance} with a paid_date; until then
 * its days past due run from its due date, so a partial payment does not stop the clock, and a
 * payment made after the as-of date counts as not yet made. A loan is D+ as soon as any installment
 * is, which is the same as the oldest installment not fully paid being D days late. A loan that
 * caught up later still counts: the indicator is "ever", not "at the end of the window".
 *
 * <p><b>Months on book.</b> The MOB-M window of a loan ends M calendar months after its first due
 * date (the earliest due_date of its installments), on the same day of the month, or on the last
 * day of a shorter month (Spark's {@code add_months}, as for the label window: Jan 31 + 1 month is
 * Feb 28 or 29). Counted from the first due date rather than from disbursement, because the first
 * installment falls due about a month after disbursement: a window of one month from disbursement
 * would close the day that installment falls due, and "15+ by MOB 1" could never happen (nor "30+
 * by MOB 2" on an installment due in a 28-day February). From the first due date, MOB 1 gives the
 * first installment a whole month to go 15 days late (first payment default), and MOB M gives M
 * installments' worth of time. A loan is observable for an indicator when its window has ended on
 * or before the as-of date (both ends included, as for labels); a loan without installment rows
 * has no clock and is never observable. Loans disbursed after the as-of date are left out, and
 * loan events (charge-offs) do not count: the indicator is days past due only.
 *
 * <p>Distributed: one aggregation of the repayments per loan, a join to the loans and one
 * aggregation per disbursement month; only the months' counts (months x indicators) reach the
 * driver.
 */
public final class EarlyDelinquency {
  private EarlyDelinquency() {}

  /**
   * "Ever {@code dpd}+ days past due by months on book {@code mob}".
   *
   * @param dpd days past due that count, >= 1
   * @param mob months after the first due date at which the window ends, >= 1
   */
  public record Indicator(int dpd, int mob) {
    public Indicator {
      if (dpd < 1 || mob < 1) {
        throw new IllegalArgumentException("Invalid early-delinquency indicator: need dpd >= 1 and mob >= 1, got "
            + dpd + " and " + mob);
      }
    }

    /** A stable name for tables and JSON, e.g. {@code dpd15_mob1}. */
    public String id() {
      return "dpd" + dpd + "_mob" + mob;
    }

    /** For readers, e.g. "ever 15+ DPD by MOB 1". */
    public String label() {
      return "ever " + dpd + "+ DPD by MOB " + mob;
    }
  }

  /**
   * One disbursement month at one indicator.
   *
   * @param month disbursement month, yyyy-MM
   * @param loans loans disbursed in the month on or before the as-of date
   * @param observable those whose window of the indicator has ended by the as-of date
   * @param hits observable loans that were ever dpd+ days past due inside their window
   */
  public record Cohort(String month, Indicator indicator, long loans, long observable, long hits) {
    /** hits / observable; NaN when no loan is observable yet. */
    public double rate() {
      return observable == 0 ? Double.NaN : (double) hits / observable;
    }
  }

  /**
   * A month's rate against the development cohorts' pooled rate at the same indicator.
   *
   * @param n the month's observable loans
   * @param hits of them, ever D+ within the window
   * @param rate hits / n; NaN when n is 0
   * @param low lower end of the two-sided Jeffreys interval of the rate ({@link Jeffreys#interval}); NaN when n is 0
   * @param high its upper end
   * @param devN observable loans of the development months, pooled
   * @param devHits their hits
   * @param devRate devHits / devN; NaN when devN is 0
   * @param above the month is significantly above the development cohorts: it has at least one hit
   *     and the lower end of its interval exceeds devRate (false when either rate is NaN)
   */
  public record Comparison(String month, Indicator indicator, long n, long hits, double rate, double low,
      double high, long devN, long devHits, double devRate, boolean above) {}

  /**
   * Early-delinquency counts per disbursement month (ascending) and indicator (in the order given).
   *
   * @param loans loan_id, disbursed_date (the input contract's loans; later disbursements are left out here)
   * @param repayments loan_id, due_date, amount_due, amount_paid, paid_date (the contract's repayments
   *     as extracted; payments after the as-of date count as not yet made)
   * @param rules the run's label rules: its as-of date and paid tolerance
   * @param indicators at least one
   */
  public static List<Cohort> compute(Dataset<Row> loans, Dataset<Row> repayments, LabelRules rules,
      List<Indicator> indicators) {
    if (indicators.isEmpty()) {
      throw new IllegalArgumentException("Cannot compute early delinquency: no indicator given");
    }
    Column asOf = lit(rules.asOf().toString()).cast(DataTypes.DateType);
    List<Integer> dpds = indicators.stream().map(Indicator::dpd).distinct().sorted().toList();
    // The day each installment first reached D, read with the clock stopped at the as-of date: any
    // window ending on or before it sees that day exactly when the day is inside the window, so one
    // aggregation per loan serves every window length.
    List<Column> reached = new ArrayList<>();
    for (int d : dpds) {
      reached.add(min(LoanPerformance.reachedDpdOn(d, rules)).as(reachedCol(d)));
    }
    Dataset<Row> clocks = repayments
        .select(col("loan_id"), col("due_date"), col("amount_due"), col("amount_paid"), col("paid_date"))
        .withColumn("observed_until", asOf)
        .groupBy("loan_id")
        .agg(min("due_date").as("first_due"), reached.toArray(new Column[0]));

    List<Column> perMonth = new ArrayList<>();
    for (int k = 0; k < indicators.size(); k++) {
      Indicator ind = indicators.get(k);
      Column windowEnd = add_months(col("first_due"), ind.mob());
      Column observable = coalesce(windowEnd.leq(asOf), lit(false));
      Column hit = observable.and(coalesce(col(reachedCol(ind.dpd())).leq(windowEnd), lit(false)));
      perMonth.add(sum(when(observable, 1L).otherwise(0L)).as("n_" + k));
      perMonth.add(sum(when(hit, 1L).otherwise(0L)).as("hits_" + k));
    }
    List<Row> months = loans.where(col("disbursed_date").leq(asOf))
        .select(col("loan_id"), date_format(col("disbursed_date"), "yyyy-MM").as("month"))
        .join(clocks, "loan_id", "left")
        .groupBy("month")
        .agg(count(lit(1)).as("loans"), perMonth.toArray(new Column[0]))
        .collectAsList();

    List<Cohort> out = new ArrayList<>();
    // Sorted here, not by Spark: a distributed sort of a few months would cost a sampling job.
    for (Row r : months.stream().sorted(Comparator.comparing(r -> r.getString(0))).toList()) {
      for (int k = 0; k < indicators.size(); k++) {
        out.add(new Cohort(r.getString(0), indicators.get(k), r.getLong(1), r.getLong(2 + 2 * k),
            r.getLong(3 + 2 * k)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Each cohort against the development months pooled at its indicator.
   *
   * @param cohorts from {@link #compute}
   * @param developmentMonths the months (yyyy-MM) the model was developed on; the caller's choice
   * @param confidence two-sided level of the Jeffreys interval, in (0, 1), e.g. 0.95
   */
  public static List<Comparison> compare(List<Cohort> cohorts, Set<String> developmentMonths, double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("Invalid confidence: " + confidence + " (must be in (0, 1))");
    }
    Map<Indicator, long[]> pooled = new HashMap<>();
    for (Cohort c : cohorts) {
      long[] p = pooled.computeIfAbsent(c.indicator(), i -> new long[2]);
      if (developmentMonths.contains(c.month())) {
        p[0] += c.observable();
        p[1] += c.hits();
      }
    }
    List<Comparison> out = new ArrayList<>();
    for (Cohort c : cohorts) {
      long[] dev = pooled.get(c.indicator());
      double devRate = dev[0] == 0 ? Double.NaN : (double) dev[1] / dev[0];
      double[] ci = Jeffreys.interval(c.hits(), c.observable(), confidence);
      // Without a hit the interval's lower end is only the prior's tail, above a development rate
      // of 0: a month with no early delinquency is never flagged.
      boolean above = c.hits() > 0 && ci[0] > devRate;
      out.add(new Comparison(c.month(), c.indicator(), c.observable(), c.hits(), c.rate(), ci[0], ci[1], dev[0],
          dev[1], devRate, above));
    }
    return List.copyOf(out);
  }

  private static String reachedCol(int dpd) {
    return "reached_" + dpd;
  }
}
