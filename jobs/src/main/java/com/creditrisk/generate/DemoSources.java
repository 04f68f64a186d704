package com.creditrisk.generate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.generate.DemoDataGenerator.Ctx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The demo lender's three feature sources (docs/feature-sources.md), generated from the same
 * hidden customers and application draws as the contract tables, which they leave unchanged. Their
 * signal comes only from terms the true default model of {@link DemoDataGenerator} already has, so
 * what a source carries really drives default:
 * <ul>
 *   <li><b>bureau_inquiries</b> (events, customer-keyed): other lenders' inquiries (70%) and loans.
 *       A customer's intensity is {@code exp(-0.4 q - 1.1 drift/2.5)}, normalised to mean 1: weak
 *       customers, and above all those whose score drifts down (the 3-month trend the score at
 *       application does not show), shop for credit. Background events at 0.65 a month times that
 *       intensity over the customer's span, plus a burst of 3.0 times it in the 60 days before each
 *       application (shopping around). Counts are Poisson by its normal approximation, rounded and
 *       floored at 0. About 12 events per application of the customers' own, 10 over all
 *       applications with the partner campaign's. Lender and amount are noise.</li>
 *   <li><b>device_profile</b> (snapshot, customer-keyed): an app check-in in 30% of the months of
 *       the customer's span, none for 8% of customers; os, rooted and apps_installed are
 *       independent of everything else: pure noise.</li>
 *   <li><b>declared_income</b> (application-keyed, 93% of applications): log-normal, median 1,800,
 *       {@code exp(ln 1800 + 0.3 q - 1.2 (amount_rel - 0.42) - 0.35 [partner] - 0.25 [cash_loan]
 *       + 0.3 e)}: applicants who stretch for an amount near the top of the product's range, come
 *       through a partner or take cash have lower incomes. All four terms are in the true default
 *       model and none is in the score, so income is informative.</li>
 * </ul>
 * Same determinism as the contract tables: hash uniforms keyed by natural keys (customer, month,
 * application number, event slot), {@code explode(sequence)}, no UDF, no collect, no rand().
 */
public final class DemoSources {
  public static final String BUREAU = "bureau_inquiries";
  public static final String DEVICE = "device_profile";
  public static final String INCOME = "declared_income";

  /** How much the intensity of bureau events falls per unit of quality q. */
  static final double BUREAU_QUALITY = 0.4;
  /** How much it falls per standard deviation (2.5 points a month) of the score's drift. */
  static final double BUREAU_DRIFT = 1.1;
  /** Background events per month of an average customer. */
  static final double BUREAU_MONTHLY = 0.65;
  /** Events of an average customer in the {@link #BURST_DAYS} before each application. */
  static final double BUREAU_BURST = 3.0;
  static final int BURST_DAYS = 60;
  static final int BUREAU_LENDERS = 40;
  static final double INQUIRY_SHARE = 0.70;

  static final double DEVICE_MONTHLY = 0.30;
  static final double DEVICE_NONE = 0.08;

  static final double INCOME_DECLARED = 0.93;

  private static final double DRIFT_SD = 2.5;
  private static final double DAYS_PER_MONTH = 30.4375;
  private static final int SECONDS_PER_DAY = 86_400;

  private DemoSources() {}

  /**
   * The {@code --set}-style lines that declare the three sources on the demo data under
   * {@code dataDir} (Delta), with their costs per application. conf/demo.conf declares the same
   * sources (DemoSourcesTest holds it to these lines).
   */
  public static List<String> config(String dataDir) {
    String b = "feature_sources." + BUREAU + ".";
    String d = "feature_sources." + DEVICE + ".";
    String i = "feature_sources." + INCOME + ".";
    return List.of(
        b + "path=" + dataDir + "/" + BUREAU, b + "format=delta",
        b + "entity=customer", b + "kind=events",
        b + "windows_days=[30, 90, 180]",
        b + "aggregates=[count, \"sum:amount\", \"distinct:lender_id\"]",
        b + "cost_per_application=0.30",
        d + "path=" + dataDir + "/" + DEVICE, d + "format=delta",
        d + "entity=customer", d + "kind=snapshot",
        d + "attributes=[os, rooted, apps_installed]", d + "max_age_days=180",
        d + "cost_per_application=0.05",
        i + "path=" + dataDir + "/" + INCOME, i + "format=delta",
        i + "entity=application", i + "kind=application",
        i + "attributes=[declared_income]",
        i + "cost_per_application=12.00");
  }

  /** The three sources by name, in the order they are written. */
  static Map<String, Dataset<Row>> tables(Dataset<Row> customers, Dataset<Row> applicationDraws, Ctx c) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put(BUREAU, bureauInquiries(customers, applicationDraws, c));
    out.put(DEVICE, deviceProfile(customers, c));
    out.put(INCOME, declaredIncome(applicationDraws, c));
    return out;
  }

  /** The bureau intensity of a customer: mean 1 over customers, higher for weak and worsening ones. */
  private static Column intensity() {
    double a = BUREAU_QUALITY;
    double b = BUREAU_DRIFT;
    return exp(col("quality").multiply(-a).minus(col("drift").divide(DRIFT_SD).multiply(b))
        .minus((a * a + b * b) / 2.0));
  }

  /** A count with mean {@code mu}: Poisson by its normal approximation, rounded, at least 0. */
  private static Column count(Column mu, Column z) {
    return greatest(lit(0), round(mu.plus(sqrt(mu).multiply(z)))).cast("int");
  }

  /**
   * Background events spread over the customer's span, plus a burst before each application. A
   * burst event's slot key carries the application number (background slots use -1), so every
   * event's draws have their own natural key.
   */
  private static Dataset<Row> bureauInquiries(Dataset<Row> customers, Dataset<Row> apps, Ctx c) {
    Column id = col("id");
    Column j = col("j");
    Column spanStart = c.monthStart(col("s0"));
    Column spanDays = datediff(c.extractLit(), spanStart).plus(1);
    Dataset<Row> bg = customers
        .withColumn("n", count(intensity().multiply(BUREAU_MONTHLY).multiply(spanDays).divide(DAYS_PER_MONTH),
            c.normal("bureau_n", id)))
        .filter(col("n").gt(0))
        .withColumn("j", explode(sequence(lit(1), col("n"))))
        .withColumn("slot", lit(-1))
        .withColumn("event_time", DemoDataGenerator.atTime(
            date_add(spanStart, floor(c.u("bureau_day", id, j).multiply(spanDays)).cast("int")),
            floor(c.u("bureau_second", id, j).multiply(SECONDS_PER_DAY))))
        .select("id", "customer_id", "slot", "j", "event_time");
    // Shopping around before an application: strictly before it, so never after the extract date.
    Column k = col("k");
    Column burstOffset = floor(c.u("burst_second", id, k, j).multiply(BURST_DAYS * (double) SECONDS_PER_DAY));
    Dataset<Row> bursts = apps
        .withColumn("n", count(intensity().multiply(BUREAU_BURST), c.normal("burst_n", id, k)))
        .filter(col("n").gt(0))
        .withColumn("j", explode(sequence(lit(1), col("n"))))
        .withColumn("slot", k)
        .withColumn("event_time", timestamp_seconds(
            unix_seconds(col("application_time")).minus(1).minus(burstOffset.cast("long"))))
        .select("id", "customer_id", "slot", "j", "event_time");

    Column slot = col("slot");
    Column uLender = c.u("bureau_lender", id, slot, j);
    return bg.unionByName(bursts)
        .withColumn("kind", when(c.u("bureau_kind", id, slot, j).lt(INQUIRY_SHARE), "inquiry").otherwise("loan"))
        // A few large lenders take most of the market.
        .withColumn("lender_id", format_string("BL%03d",
            floor(pow(uLender, 1.6).multiply(BUREAU_LENDERS)).cast("int")))
        .withColumn("amount", round(exp(c.normal("bureau_amount", id, slot, j).multiply(0.7).plus(6.6))
            .divide(10.0)).multiply(10.0))
        .select("customer_id", "event_time", "kind", "lender_id", "amount");
  }

  /** Monthly app check-ins with device attributes that say nothing about the customer's risk. */
  private static Dataset<Row> deviceProfile(Dataset<Row> customers, Ctx c) {
    Column id = col("id");
    Column m = col("m");
    Column monthStart = c.monthStart(m);
    Column daysInMonth = datediff(add_months(monthStart, 1), monthStart);
    Column android = c.u("device_os", id).lt(0.72);
    return customers
        .filter(c.u("device_none", id).geq(DEVICE_NONE))
        .withColumn("m", explode(sequence(col("s0"), lit(c.historyMonths - 1))))
        .filter(c.u("device_check", id, m).lt(DEVICE_MONTHLY))
        .withColumn("event_time", DemoDataGenerator.atTime(
            least(date_add(monthStart, floor(c.u("device_day", id, m).multiply(daysInMonth)).cast("int")),
                c.extractLit()),
            floor(c.u("device_second", id, m).multiply(SECONDS_PER_DAY))))
        .withColumn("os", when(android, "android").otherwise("ios"))
        .withColumn("rooted", when(android.and(c.u("device_rooted", id).lt(0.06)), 1).otherwise(0))
        .withColumn("apps_installed", greatest(lit(3),
            round(c.normal("device_apps", id, m).multiply(20.0).plus(45.0))).cast("int"))
        .select("customer_id", "event_time", "os", "rooted", "apps_installed");
  }

  /** What the applicant declared; some leave the field empty, so they have no row. */
  private static Dataset<Row> declaredIncome(Dataset<Row> apps, Ctx c) {
    Column id = col("id");
    Column k = col("k");
    Column logIncome = lit(Math.log(1800.0))
        .plus(col("quality").multiply(0.3))
        .minus(col("amount_rel").minus(0.42).multiply(1.2))
        .minus(when(col("channel").equalTo("partner"), 0.35).otherwise(0.0))
        .minus(when(col("product").equalTo("cash_loan"), 0.25).otherwise(0.0))
        .plus(c.normal("income_noise", id, k).multiply(0.3));
    return apps
        .filter(c.u("income_declared", id, k).lt(INCOME_DECLARED))
        .withColumn("declared_income", round(exp(logIncome).divide(10.0)).multiply(10.0))
        .select("application_id", "declared_income");
  }
}
