package com.creditrisk.generate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.make_timestamp;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Seeded, deterministic demo data for the input contract (DESIGN.md, "Inputs"): score snapshots,
 * applications, loans, repayments and loan events of a small-loan lender that approved on one
 * credit score. Pure DataFrame logic: the caller writes the tables.
 *
 * <h2>Determinism and scale</h2>
 * Everything starts from {@code spark.range(customers)} and grows with {@code explode(sequence)};
 * there are no UDFs, no collects and no driver loops, so ten million customers work on a cluster.
 * No draw uses {@code rand()} (it depends on partitioning): every uniform is
 * {@code (pmod(xxhash64(seed, purpose, keys...), 2^31-1) + 0.5) / (2^31-1)}, keyed by the row's
 * natural keys (customer, application number, month, installment), and normals come from two such
 * uniforms through Box-Muller. The only aggregation picks the latest snapshot per application by a
 * unique key, so the same parameters give the same rows under any partitioning.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li><b>Customers</b>: a latent credit quality q ~ N(0,1); a score level
 *       650 + 75 (0.75 q + 0.66 e) - (up to 20 for late joiners), so the score sees quality only
 *       partly; a personal drift N(0, 2.5) points a month; a join month in the first 60% of the
 *       history; 12% stop being scored before the end (their later applications see stale
 *       scores), 1.5% have no score file at all, 15% are "gappy" (35% of months skipped, else 5%).
 *       Low-quality customers come more often through the partner channel.</li>
 *   <li><b>Score snapshots</b>: one per active, non-skipped month at a random day and time;
 *       score = clamp(round(level + drift * months since joining + N(0, 12)), 350, 950).</li>
 *   <li><b>Applications</b>: 1 + Bernoulli steps (mean about 1.22 a customer), uniform in time
 *       from the customer's join month to the extract date; product paylater (200..1500, 3 or 6
 *       months), installment (500..5000, 6/9/12) or cash_loan (300..5000, 3/6/9/12); amounts skewed
 *       to the low end. The decision system logged the latest snapshot strictly before the
 *       application as decision_score and approved when it was >= 580, with 3% exceptions either
 *       way; without a score 10% were approved. 2% of approvals were never disbursed.</li>
 *   <li><b>Partner campaign</b> (population shift): over the last 8 months a retailer's
 *       point-of-sale offer brings installment loans through the partner channel from customers
 *       pre-screened into the score band 620..690, more of them each month; recent applicants are
 *       more alike, so models' PDs of them spread less.</li>
 *   <li><b>Loans</b>: disbursed 0..3 days after the application, principal = requested amount,
 *       annual rate 0.10..0.60 by product and score.</li>
 *   <li><b>True default</b>: logistic in the true score at application (standardised), the
 *       3-month trend, the latent quality (what the score misses), partner channel, cash_loan, the
 *       amount relative to the product range, and a vintage effect rising over the last 9 months
 *       of history (recent cohorts drift worse). A defaulter stops at installment
 *       1 + floor(u^2 term) (early defaults likelier), sometimes with a partial payment on it.</li>
 *   <li><b>Repayments</b>: annuity (paylater: equal split) in cents. Payers: 75% on time (0..2
 *       days early), 15% late on 45% of installments (1..25 days), 10% early (3..22 days); 4% of
 *       installments are paid in two parts. Everything is seen as of the extract date: later
 *       payments are not made yet, the cumulative amount and the paid_date follow the contract.</li>
 *   <li><b>Loan events</b>: charge_off 120 days after the first missed due date; 12% of
 *       defaulters are restructured 30..60 days after it instead. Only events on or before the
 *       extract date exist.</li>
 * </ul>
 * {@link DemoSources} adds the demo's three feature sources from the same hidden draws, without
 * changing these tables. docs/generator.md describes the same model with the resulting sizes and
 * rates.
 */
public final class DemoDataGenerator {

  /**
   * The generated contract tables, the demo's feature sources by name (in the order they are
   * written; {@link DemoSources}), the extract date and the as-of date the demo runs with.
   */
  public record DemoData(
      Dataset<Row> scoreSnapshots,
      Dataset<Row> applications,
      Dataset<Row> loans,
      Dataset<Row> repayments,
      Dataset<Row> loanEvents,
      Map<String, Dataset<Row>> featureSources,
      LocalDate extractDate,
      LocalDate suggestedAsOf) {}

  /** The historical policy cutoff the decision system applied to decision_score. */
  static final int POLICY_CUTOFF = 580;

  /** The partner campaign (see campaignApplications) runs over the last this many months. */
  static final int CAMPAIGN_MONTHS = 8;
  /** Chance a month that a pre-screened customer applies through it, per campaign month elapsed. */
  static final double CAMPAIGN_RAMP = 0.025;
  /** The pre-screen's band of the true score. */
  static final double CAMPAIGN_BAND_LOW = 620.0;
  static final double CAMPAIGN_BAND_HIGH = 690.0;
  static final String CAMPAIGN_PRODUCT = "installment";
  /** Application number of the campaign's first month: above a customer's own 0..3. */
  static final int CAMPAIGN_FIRST_APP = 10;

  private static final int SCORE_MIN = 350;
  private static final int SCORE_MAX = 950;
  private static final long HASH_MOD = 2147483647L;
  private static final int SECONDS_PER_DAY = 86_400;

  private DemoDataGenerator() {}

  /** Builds the five contract tables for {@code p}; lazy, nothing runs until they are written. */
  public static DemoData generate(SparkSession spark, GeneratorParams p) {
    return generate(spark, p, 0);
  }

  /**
   * As {@link #generate(SparkSession, GeneratorParams)}, with the customer range split into
   * {@code rangePartitions} partitions (0 = Spark's default); tests use it to show the output does
   * not depend on partitioning.
   */
  static DemoData generate(SparkSession spark, GeneratorParams p, int rangePartitions) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(p, "params");
    Dataset<Row> ids = (rangePartitions > 0
        ? spark.range(0, p.customers(), 1, rangePartitions)
        : spark.range(p.customers())).toDF();
    Ctx ctx = new Ctx(p);

    Dataset<Row> customers = customers(ids, ctx);
    Dataset<Row> snapshots = scoreSnapshots(customers, ctx);
    Dataset<Row> draws = applicationDraws(customers, ctx);
    Dataset<Row> applications = applications(draws, snapshots, ctx);
    Dataset<Row> loans = loans(applications, ctx);

    return new DemoData(
        snapshots.select("customer_id", "score_time", "score", "source"),
        applications.select("application_id", "customer_id", "application_time", "product",
            "channel", "requested_amount", "term_months", "decision", "loan_id", "decision_score"),
        loans.select("loan_id", "application_id", "disbursed_date", "principal", "annual_rate",
            "term_months"),
        repayments(loans, ctx),
        loanEvents(loans, ctx),
        DemoSources.tables(customers, draws, ctx),
        p.extractDate(),
        p.extractDate());
  }

  /** Parameters turned into the literals and draws every table needs. */
  static final class Ctx {
    final long seed;
    final int historyMonths;
    final LocalDate extract;
    /** First day of the first history month; month index m starts at add_months(this, m). */
    final LocalDate historyStart;

    Ctx(GeneratorParams p) {
      this.seed = p.seed();
      this.historyMonths = p.historyMonths();
      this.extract = p.extractDate();
      this.historyStart = p.extractDate().withDayOfMonth(1).minusMonths(p.historyMonths() - 1L);
    }

    Column extractLit() {
      return lit(extract);
    }

    Column monthStart(Column monthIndex) {
      return add_months(lit(historyStart), monthIndex);
    }

    /**
     * A uniform in (0, 1) that depends only on the seed, the purpose and the keys: the same row
     * gets the same draw whatever partition it lands in, and purposes are independent.
     */
    Column u(String purpose, Column... keys) {
      Column[] parts = new Column[keys.length + 2];
      parts[0] = lit(seed);
      parts[1] = lit(purpose);
      System.arraycopy(keys, 0, parts, 2, keys.length);
      return pmod(xxhash64(parts), lit(HASH_MOD)).cast("double").plus(0.5).divide((double) HASH_MOD);
    }

    /** A standard normal by Box-Muller from two independent hash uniforms. */
    Column normal(String purpose, Column... keys) {
      Column u1 = u(purpose + "#1", keys);
      Column u2 = u(purpose + "#2", keys);
      return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2.0 * Math.PI)));
    }
  }

  /** One row per customer with its latent traits; never output, the tables derive from it. */
  private static Dataset<Row> customers(Dataset<Row> ids, Ctx c) {
    Column id = col("id");
    int h = c.historyMonths;
    double joinSpan = 0.6 * h;
    Column uApps = c.u("n_apps", id);
    return ids
        .withColumn("customer_id", format_string("C%07d", id))
        .withColumn("quality", c.normal("quality", id))
        // The lender grows: customers join over the first 60% of the history.
        .withColumn("s0", floor(c.u("join_month", id).multiply(joinSpan)).cast("int"))
        // Some bureau files stop being refreshed, which makes later applications see stale scores.
        .withColumn("s1", when(c.u("stops", id).lt(0.12),
                col("s0").plus(floor(c.u("stop_month", id).multiply(lit(h - 1).minus(col("s0"))))))
            .otherwise(lit(h - 1)).cast("int"))
        .withColumn("no_file", c.u("no_file", id).lt(0.015))
        .withColumn("gap_prob", when(c.u("gappy", id).lt(0.15), 0.35).otherwise(0.05))
        // The score sees quality only partly (correlation 0.75), so other features can add value;
        // late joiners score a little lower, one source of drift.
        .withColumn("level", lit(650.0)
            .plus(col("quality").multiply(0.75).plus(c.normal("level", id).multiply(0.66))
                .multiply(75.0))
            .minus(col("s0").divide(joinSpan).multiply(20.0)))
        .withColumn("drift", c.normal("drift", id).multiply(2.5))
        .withColumn("n_apps", lit(1)
            .plus(when(uApps.lt(0.16), 1).otherwise(0))
            .plus(when(uApps.lt(0.05), 1).otherwise(0))
            .plus(when(uApps.lt(0.01), 1).otherwise(0)))
        .withColumn("partner_prob", when(col("quality").lt(-0.5), 0.32).otherwise(0.14));
  }

  /** Monthly snapshots over each customer's scored span, with skipped months. */
  private static Dataset<Row> scoreSnapshots(Dataset<Row> customers, Ctx c) {
    Column id = col("id");
    Column m = col("m");
    Column monthStart = c.monthStart(m);
    Column daysInMonth = datediff(add_months(monthStart, 1), monthStart);
    Column day = floor(c.u("snap_day", id, m).multiply(daysInMonth)).cast("int");
    Column rawScore = col("level")
        .plus(col("drift").multiply(m.minus(col("s0"))))
        .plus(c.normal("snap_noise", id, m).multiply(12.0));
    return customers
        .filter(not(col("no_file")))
        .withColumn("m", explode(sequence(col("s0"), col("s1"))))
        .filter(c.u("gap", id, m).geq(col("gap_prob")))
        // One snapshot per month, never after the extract date (a mid-month extract caps it).
        .withColumn("snap_date", least(date_add(monthStart, day), c.extractLit()))
        .withColumn("score_time", atTime(col("snap_date"),
            floor(c.u("snap_second", id, m).multiply(SECONDS_PER_DAY))))
        .withColumn("score", clampScore(rawScore))
        .withColumn("source",
            when(c.u("source", id, m).lt(0.9), "bureau_monthly").otherwise("bureau_refresh"));
  }

  /**
   * One row per application with the customer's traits and the application's own draws (time,
   * product, channel, amount, term), before any decision: the applications and the application-
   * keyed feature sources both start from it.
   */
  private static Dataset<Row> applicationDraws(Dataset<Row> customers, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    Column spanStart = c.monthStart(col("s0"));
    Column spanDays = datediff(c.extractLit(), spanStart).plus(1);

    Column uProduct = c.u("product", id, k);
    Column product = when(uProduct.lt(0.35), "paylater")
        .when(uProduct.lt(0.70), "installment")
        .otherwise("cash_loan");
    Column uChannel = c.u("channel", id, k);
    Column partnerProb = col("partner_prob");
    Column channel = when(uChannel.lt(partnerProb), "partner")
        .when(uChannel.lt(partnerProb.plus(lit(1.0).minus(partnerProb).multiply(0.6))), "app")
        .otherwise("web");

    Column isPaylater = col("product").equalTo("paylater");
    Column isInstallment = col("product").equalTo("installment");
    Column minAmount = when(isPaylater, 200.0).when(isInstallment, 500.0).otherwise(300.0);
    Column maxAmount = when(isPaylater, 1500.0).otherwise(5000.0);
    Column amount = greatest(minAmount, round(minAmount
        .plus(col("amount_rel").multiply(maxAmount.minus(minAmount))).divide(10.0)).multiply(10.0));
    Column uTerm = c.u("term", id, k);
    Column term = when(isPaylater, array(lit(3), lit(6)).getItem(floor(uTerm.multiply(2)).cast("int")))
        .when(isInstallment, array(lit(6), lit(9), lit(12)).getItem(floor(uTerm.multiply(3)).cast("int")))
        .otherwise(array(lit(3), lit(6), lit(9), lit(12)).getItem(floor(uTerm.multiply(4)).cast("int")));

    Dataset<Row> own = customers
        .withColumn("k", explode(sequence(lit(0), col("n_apps").minus(1))))
        .withColumn("campaign", lit(false))
        .withColumn("app_date",
            date_add(spanStart, floor(c.u("app_day", id, k).multiply(spanDays)).cast("int")));
    return own.unionByName(campaignApplications(customers, c))
        .withColumn("application_id", format_string("A%07d%02d", id, k))
        .withColumn("application_time", atTime(col("app_date"),
            floor(c.u("app_second", id, k).multiply(SECONDS_PER_DAY))))
        .withColumn("app_month", year(col("app_date")).minus(c.historyStart.getYear()).multiply(12)
            .plus(month(col("app_date")).minus(c.historyStart.getMonthValue())))
        .withColumn("product", when(col("campaign"), CAMPAIGN_PRODUCT).otherwise(product))
        .withColumn("channel", when(col("campaign"), "partner").otherwise(channel))
        // Skewed to small amounts; the position inside the product's range is a risk driver.
        .withColumn("amount_rel", pow(c.u("amount", id, k), 1.4))
        .withColumn("requested_amount", amount)
        .withColumn("term_months", term.cast("int"));
  }

  /**
   * The partner campaign's applications: a population shift in the last {@link #CAMPAIGN_MONTHS}
   * months of history. A retailer's point-of-sale offer of installment loans goes to customers the
   * bureau pre-screened into a middle score band (the strongest do not need it, the weakest are not
   * invited), and its reach grows each month. So the recent applicants are more alike in score,
   * product and channel, and any model's PDs of them are less spread out: its expected AUC over
   * recent applications falls (and so does the AUC their labels realise), unlike the vintage effect,
   * which raises the defaults of the same PDs and which no estimate from PDs can see.
   *
   * <p>Per customer with a live score file and month m of the campaign (customer's span only): an
   * application when the true score path at m lies in the band and a keyed uniform falls below
   * {@link #CAMPAIGN_RAMP} times the campaign month number (1 in its first month). It is application
   * number {@link #CAMPAIGN_FIRST_APP} + (m - first month), so ids and every later draw stay keyed by
   * (customer, application number), apart from the customer's own 0..3.
   */
  private static Dataset<Row> campaignApplications(Dataset<Row> customers, Ctx c) {
    Column id = col("id");
    Column m = col("m");
    int h = c.historyMonths;
    int start = h - CAMPAIGN_MONTHS;
    Column monthStart = c.monthStart(m);
    Column daysInMonth = datediff(add_months(monthStart, 1), monthStart);
    Column trueScore = col("level").plus(col("drift").multiply(m.minus(col("s0"))));
    Column firstMonth = greatest(col("s0"), lit(Math.max(0, start)));
    return customers
        .filter(not(col("no_file")).and(col("s1").geq(firstMonth)))
        .withColumn("m", explode(sequence(firstMonth, col("s1"))))
        .filter(trueScore.between(CAMPAIGN_BAND_LOW, CAMPAIGN_BAND_HIGH)
            .and(c.u("campaign", id, m).lt(m.minus(start - 1).multiply(CAMPAIGN_RAMP))))
        .withColumn("k", m.minus(start).plus(CAMPAIGN_FIRST_APP).cast("int"))
        .withColumn("campaign", lit(true))
        // A mid-month extract caps the last month.
        .withColumn("app_date", least(date_add(monthStart,
            floor(c.u("app_day", id, col("k")).multiply(daysInMonth)).cast("int")), c.extractLit()))
        .drop("m");
  }

  /**
   * Applications with the historical decision, plus the hidden columns the later tables need
   * (true PD, default draw, loan id).
   */
  private static Dataset<Row> applications(Dataset<Row> apps, Dataset<Row> snapshots, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    int h = c.historyMonths;
    Column spanStart = c.monthStart(col("s0"));

    // What the decision system saw: the latest snapshot strictly before the application.
    // Spark underestimates the exploded snapshots (its statistics see only the range), and a
    // broadcast of ~15 rows per customer would not fit at ten million customers: force a
    // sort-merge join.
    Dataset<Row> seen = apps.select("application_id", "customer_id", "application_time")
        .join(snapshots.select("customer_id", "score_time", "score").hint("merge"), "customer_id")
        .filter(col("score_time").lt(col("application_time")))
        // Grouping with customer_id too reuses the join's partitioning: no second shuffle.
        .groupBy("customer_id", "application_id")
        .agg(max_by(col("score"), col("score_time")).as("decision_score"));

    Column ds = col("decision_score");
    Column uDecision = c.u("decision", id, k);
    Column approved = when(ds.isNull(), uDecision.lt(0.10))
        .when(ds.geq(POLICY_CUTOFF), uDecision.geq(0.03))
        .otherwise(uDecision.lt(0.03));
    Column disbursed = col("decision").equalTo("approved").and(c.u("disburse", id, k).geq(0.02));

    // The true score path, without snapshot noise, at the application date.
    Column monthsSinceJoin = datediff(col("app_date"), spanStart).divide(30.4375);
    Column trueScore = col("level").plus(col("drift").multiply(monthsSinceJoin));
    // Recent vintages are worse: the effect rises over the last 9 months so that the latest
    // mature cohorts (the out-of-time months) already show it.
    Column vintage = greatest(lit(0), col("app_month").minus(h - 10)).multiply(0.09);
    Column logit = lit(-2.55)
        .minus(trueScore.minus(650.0).divide(75.0).multiply(0.8))
        .minus(col("drift").multiply(3.0).multiply(0.05))
        .minus(col("quality").multiply(0.35))
        .plus(when(col("channel").equalTo("partner"), 0.55).otherwise(0.0))
        .plus(when(col("product").equalTo("cash_loan"), 0.45).otherwise(0.0))
        .plus(col("amount_rel").multiply(0.7))
        .plus(vintage);

    return apps
        .join(seen, new String[] {"customer_id", "application_id"}, "left")
        .withColumn("decision_score", ds.cast("int"))
        .withColumn("decision", when(approved, "approved").otherwise("rejected"))
        .withColumn("loan_id", when(disbursed, format_string("L%07d%02d", id, k)))
        .withColumn("true_pd", lit(1.0).divide(lit(1.0).plus(exp(negate(logit)))))
        .withColumn("defaults", c.u("default", id, k).lt(col("true_pd")));
  }

  /** Disbursed loans with the hidden repayment behaviour their installments follow. */
  private static Dataset<Row> loans(Dataset<Row> applications, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    Column product = col("product");
    Column baseRate = when(product.equalTo("paylater"), 0.15)
        .when(product.equalTo("installment"), 0.22)
        .otherwise(0.32);
    // Risk-based pricing on the logged score; approvals without a score priced as weak ones.
    Column rate = baseRate.plus(lit(650.0).minus(scoreOr(col("decision_score"), 560)).multiply(0.0012));
    Column uBehaviour = c.u("behaviour", id, k);
    return applications
        .filter(col("loan_id").isNotNull())
        .withColumn("disbursed_date", least(
            date_add(to_date(col("application_time")),
                floor(c.u("disburse_days", id, k).multiply(4)).cast("int")),
            c.extractLit()))
        .withColumn("principal", col("requested_amount"))
        .withColumn("annual_rate", round(least(lit(0.60), greatest(lit(0.10), rate)), 4))
        // Defaults cluster in the first installments, as in real small-loan books.
        .withColumn("default_no", lit(1).plus(
            floor(pow(c.u("default_installment", id, k), 2.0).multiply(col("term_months"))))
            .cast("int"))
        .withColumn("behaviour", when(uBehaviour.lt(0.75), "on_time")
            .when(uBehaviour.lt(0.90), "late")
            .otherwise("early"));
  }

  private static Column scoreOr(Column score, int fallback) {
    return when(score.isNull(), lit((double) fallback)).otherwise(score.cast("double"));
  }

  /**
   * One row per installment as of the extract date. Each installment has at most two payments: an
   * optional partial one and the one that completes it; the extract date hides the later ones.
   */
  private static Dataset<Row> repayments(Dataset<Row> loans, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    Column n = col("installment_no");
    Column due = col("due_date");
    Column amountDue = col("amount_due");

    Column r = col("annual_rate").divide(12.0);
    Column annuity = col("principal").multiply(r)
        .divide(lit(1.0).minus(pow(lit(1.0).plus(r), col("term_months").multiply(-1).cast("double"))));
    Column equalSplit = col("principal").divide(col("term_months"));

    Column onTimeShift = floor(c.u("on_time_days", id, k, n).multiply(3)).cast("int").multiply(-1);
    Column lateShift = when(c.u("late_hit", id, k, n).lt(0.45),
        lit(1).plus(floor(c.u("late_days", id, k, n).multiply(25)).cast("int")))
        .otherwise(onTimeShift);
    Column earlyShift = lit(-3).minus(floor(c.u("early_days", id, k, n).multiply(20)).cast("int"));
    Column shift = when(col("behaviour").equalTo("late"), lateShift)
        .when(col("behaviour").equalTo("early"), earlyShift)
        .otherwise(onTimeShift);
    // Nobody pays before the money arrives.
    Column normalDate = greatest(date_add(due, shift), col("disbursed_date"));

    Column defaulter = col("defaults");
    Column missed = defaulter.and(n.geq(col("default_no")));
    Column firstMissed = defaulter.and(n.equalTo(col("default_no")));
    Column split = not(missed).and(c.u("split", id, k, n).lt(0.04));
    Column partialOnMissed = firstMissed.and(c.u("missed_partial", id, k).lt(0.35));
    Column partShare = c.u("part_share", id, k, n);

    Column fullDate = when(missed, lit(null).cast("date"))
        .when(split, date_add(due, lit(3).plus(floor(c.u("split_days", id, k, n).multiply(18))
            .cast("int"))))
        .otherwise(normalDate);
    Column partDate = when(split, greatest(date_add(due, -2), col("disbursed_date")))
        .when(partialOnMissed, date_add(due, floor(c.u("missed_part_days", id, k).multiply(10))
            .cast("int")));
    Column partAmount = when(split, round(amountDue.multiply(partShare.multiply(0.4).plus(0.3)), 2))
        .when(partialOnMissed, round(amountDue.multiply(partShare.multiply(0.6).plus(0.2)), 2));

    Column x = c.extractLit();
    return loans
        .withColumn("installment_no", explode(sequence(lit(1), col("term_months"))))
        .withColumn("due_date", add_months(col("disbursed_date"), n))
        .withColumn("amount_due", round(when(col("product").equalTo("paylater"), equalSplit)
            .otherwise(annuity), 2))
        .withColumn("full_date", fullDate)
        .withColumn("part_date", partDate)
        .withColumn("part_amount", partAmount)
        .withColumn("amount_paid", when(col("full_date").leq(x), amountDue)
            .when(col("part_date").leq(x), col("part_amount"))
            .otherwise(0.0))
        .withColumn("paid_date", when(col("full_date").leq(x), col("full_date"))
            .when(col("part_date").leq(x), col("part_date")))
        .select("loan_id", "installment_no", "due_date", "amount_due", "amount_paid", "paid_date");
  }

  /** Charge-offs of loans 120 days past due, and a few restructures of delinquent ones. */
  private static Dataset<Row> loanEvents(Dataset<Row> loans, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    Column firstMissedDue = add_months(col("disbursed_date"), col("default_no"));
    Column restructured = c.u("restructure", id, k).lt(0.12);
    Column eventDate = when(restructured,
            date_add(firstMissedDue, lit(30).plus(floor(c.u("restructure_days", id, k).multiply(31))
                .cast("int"))))
        .otherwise(date_add(firstMissedDue, 120));
    return loans
        .filter(col("defaults"))
        .withColumn("event_type", when(restructured, "restructure").otherwise("charge_off"))
        .withColumn("event_date", eventDate)
        .filter(col("event_date").leq(c.extractLit()))
        .select("loan_id", "event_date", "event_type");
  }

  /** A timestamp at {@code seconds} after midnight of {@code date}, in the session time zone. */
  static Column atTime(Column date, Column seconds) {
    Column s = seconds.cast("int");
    return make_timestamp(year(date), month(date), dayofmonth(date),
        floor(s.divide(3600)).cast("int"),
        floor(pmod(s, lit(3600)).divide(60)).cast("int"),
        pmod(s, lit(60)).cast("decimal(16,6)"));
  }

  private static Column clampScore(Column raw) {
    return least(lit(SCORE_MAX), greatest(lit(SCORE_MIN), round(raw).cast("int")));
  }
}
