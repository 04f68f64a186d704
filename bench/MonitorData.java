// Data for the monitor benchmark (bench/monitor.sh): the tables `credit-risk monitor` reads, for RUNS
// monthly as-of dates (month ends up to 2025-12-31) of N applications each, written directly as
// Delta in the product's schemas. Running the real pipeline RUNS times at millions of rows is far
// too slow for a benchmark machine, so the rows are computed in Spark from hashes of the seed, the
// application id and a stream number (the same arguments give the same rows on any partitioning).
// Run with the jobs classpath through Java's single-file source launcher; not part of the jobs jar.
//
// Usage: MonitorData RUNS N TEMPLATE DATA WAREHOUSE SEED [key=value ...]
//   TEMPLATE: a small real run (bench/monitor.sh makes one with `credit-risk demo`): its
//     warehouse/ tables give the schemas, the partitioning, the models, the validate rows copied
//     per date and the train run whose model card is copied, its demo-data/ the inputs' schemas;
//     every table written is checked against the template's schema (names, types, order) and the
//     run stops if one differs.
//   DATA: the raw inputs loans and repayments (the contract's columns, as of the last date).
//   WAREHOUSE: validation_metrics, scored_applications, loan_performance, runs/<model run>.
//   key=value: the --set pairs monitor will run with: the validate rows get run_id
//     <as-of>-<fingerprint of that config>, so monitor reads them as this config's runs.
//
// The shape: each run scores the applications of the 24 months up to its as-of date (N / 24 a
// month), so consecutive runs share 23 months of applications, as the real runs do; every model of
// the template scores every application with a full-precision PD (the true logit plus the model's
// own noise); scores skewed (a normal centred on 650, clipped to 350..950) with a risk that rises
// over the months (the drift monitor should see); about 58% approved, 95% of those disbursed; bad
// when an installment is 30+ days late within 6 months (label window), about 12% of the loans;
// 10% of the good loans pay one installment 15 to 40 days late and catch up, some bad ones pay
// part of an installment. Per date the status (rejected, not_disbursed, bad, good, immature), the
// label and the split (oot = the 3 latest months with mature labels, else test or train by a hash
// of the customer) follow the product's rules; missing cells where the product has them (channel,
// requested_amount, score_at_application, label, split, reason codes of the non-scorecard models).
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

public class MonitorData {
  static final int WINDOW_MONTHS = 24;
  static final LocalDate LAST = LocalDate.of(2025, 12, 31);

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    long n = Long.parseLong(args[1]);
    String template = args[2];
    String data = args[3];
    String wh = args[4];
    long seed = Long.parseLong(args[5]);
    List<String> sets = Arrays.asList(args).subList(6, args.length);
    String fingerprint = com.creditrisk.config.CreditRiskConfig.load(List.of(), sets).fingerprint();

    SparkSession spark = SparkSession.builder().master("local[*]").appName("monitor-data")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "16")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();

    String inputs = template + "/demo-data";
    template = template + "/warehouse";
    Dataset<Row> tScored = spark.read().format("delta").load(template + "/scored_applications");
    Dataset<Row> tValidation = spark.read().format("delta").load(template + "/validation_metrics");
    Dataset<Row> tPerformance = spark.read().format("delta").load(template + "/loan_performance");
    List<String> models = tScored.select("model").distinct().orderBy("model").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    Row templateRun = tValidation.orderBy(col("as_of_date").desc()).select("run_id", "model_run_id", "as_of_date")
        .first();
    String modelRunId = templateRun.getString(1);
    System.out.println("models " + models + ", model run " + modelRunId + ", fingerprint " + fingerprint);

    int firstMonth = monthIndex(LAST) - (runs - 1) - (WINDOW_MONTHS - 1);   // months since year 0
    long perMonth = Math.max(1, n / WINDOW_MONTHS);
    long universe = perMonth * (runs + WINDOW_MONTHS - 1);
    spark.range(universe).createOrReplaceTempView("ids");
    // One row per application, whatever the date: its month, its true risk and its loan's fate.
    spark.sql("SELECT id, " + firstMonth + " + CAST(id / " + perMonth + " AS INT) AS m FROM ids")
        .createOrReplaceTempView("ids_m");
    String z = "(sqrt(-2 * ln(" + u(seed, 1) + ")) * cos(2 * pi() * " + u(seed, 2) + "))";
    Dataset<Row> apps = spark.sql("SELECT id, m, "
        + "make_date(CAST(m / 12 AS INT), pmod(m, 12) + 1, 1) AS month_start, "
        + "cast(least(950, greatest(350, round(650 + 80 * " + z + "))) as int) AS score, "
        + u(seed, 3) + " AS u_decision, " + u(seed, 4) + " AS u_loan, " + u(seed, 5) + " AS u_bad, "
        + u(seed, 6) + " AS u_day, " + u(seed, 7) + " AS u_miss, " + u(seed, 8) + " AS u_cure, "
        + u(seed, 9) + " AS u_missing, " + u(seed, 10) + " AS u_amount, " + u(seed, 11) + " AS u_cat "
        + "FROM ids_m");
    apps = apps
        .withColumn("application_time", expr("timestamp_seconds(unix_timestamp(cast(month_start AS timestamp)) "
            + "+ cast(u_day * (day(last_day(month_start)) * 86400 - 1) AS bigint))"))
        .withColumn("application_id", expr("concat('A', lpad(cast(id AS string), 10, '0'))"))
        .withColumn("customer_id", expr("concat('C', lpad(cast(id AS string), 10, '0'))"))
        // Risk rises over the months (0.02 of logit a month): the drift monitor should show.
        .withColumn("logit", expr("-2.3 - (score - 650) / 60.0 + 0.02 * (m - " + firstMonth + ") + 0.6 * "
            + "(sqrt(-2 * ln(" + u(seed, 12) + ")) * cos(2 * pi() * " + u(seed, 13) + "))"))
        .withColumn("decision", expr("CASE WHEN u_decision < 1 / (1 + exp(-(score - 630) / 40.0)) THEN "
            + "'approved' ELSE 'rejected' END"))
        .withColumn("disbursed_date", expr("CASE WHEN decision = 'approved' AND u_loan < 0.95 THEN "
            + "date_add(cast(application_time AS date), cast(u_loan * 10 AS int)) END"))
        .withColumn("bad", expr("disbursed_date IS NOT NULL AND u_bad < 1 / (1 + exp(-logit))"))
        // A bad loan stops paying at installment k (1..6, early ones likelier): 30+ DPD on due_k + 30.
        .withColumn("miss_from", expr("CASE WHEN bad THEN 1 + cast(floor(6 * u_miss * u_miss) AS int) END"))
        .withColumn("late_no", expr("CASE WHEN NOT bad AND u_cure < 0.10 THEN 1 + cast(u_cure * 60 AS int) END"))
        .withColumn("late_days", expr("15 + cast(u_cure * 250 AS int) % 26"))
        .withColumn("first_bad_date", expr("CASE WHEN bad THEN date_add(add_months(disbursed_date, miss_from), 30) END"))
        .withColumn("window_end", expr("add_months(disbursed_date, 6)"));
    apps.cache();

    writeInputs(spark, apps, seed, inputs, data);
    writeScored(spark, apps, runs, models, modelRunId, tScored.schema(), partitions(spark, template,
        "scored_applications"), seed, wh);
    writePerformance(spark, apps, runs, fingerprint, tPerformance.schema(), partitions(spark, template,
        "loan_performance"), wh);
    writeValidation(spark, tValidation, templateRun, runs, fingerprint, partitions(spark, template,
        "validation_metrics"), wh);
    copyTree(Path.of(template, "runs", modelRunId), Path.of(wh, "runs", modelRunId));
    // Counts from the Delta logs' file statistics, for the benchmark's table (no scan).
    for (String t : List.of("loans", "repayments")) {
      System.out.println(t + " rows " + spark.read().format("delta").load(data + "/" + t).count());
    }
    for (String t : List.of("validation_metrics", "scored_applications", "loan_performance")) {
      System.out.println(t + " rows " + spark.read().format("delta").load(wh + "/" + t).count());
    }
    spark.stop();
  }

  static String asOfDates(int runs) {
    List<String> out = new ArrayList<>();
    for (int k = runs - 1; k >= 0; k--) {
      LocalDate d = LAST.minusMonths(k);
      out.add("DATE'" + d.withDayOfMonth(d.lengthOfMonth()) + "'");
    }
    return String.join(", ", out);
  }

  /** The raw loans and repayments, as the lender's extract of the last date holds them. */
  static void writeInputs(SparkSession spark, Dataset<Row> apps, long seed, String inputs, String data) {
    Dataset<Row> loans = apps.where(col("disbursed_date").isNotNull().and(col("disbursed_date").leq(lit(LAST.toString())
        .cast("date"))))
        .withColumn("loan_id", expr("concat('L', lpad(cast(id AS string), 10, '0'))"))
        .withColumn("principal", expr("round(1000 + 19000 * u_amount * u_amount, 2)"))
        .withColumn("annual_rate", expr("round(0.08 + 0.12 * u_cat, 4)"))
        .withColumn("term_months", lit(12));
    write(conform(loans, spark.read().format("delta").load(inputs + "/loans").schema(), "loans"), data + "/loans",
        new String[0]);
    // One row per installment due by the extract date. Paid on time (a few days early or on the
    // day) unless it is a bad loan's missed one (a third of those pay half) or a good loan's one
    // late installment (15 to 40 days late, then caught up); a payment after the extract is not there.
    Dataset<Row> rep = loans.withColumn("installment_no", expr("explode(sequence(1, term_months))"))
        .withColumn("due_date", expr("add_months(disbursed_date, installment_no)"))
        .where(col("due_date").leq(lit(LAST.toString()).cast("date")))
        .withColumn("amount_due", expr("round(principal * (annual_rate / 12) / (1 - pow(1 + annual_rate / 12, -12)), 2)"))
        .withColumn("missed", expr("bad AND installment_no >= miss_from"))
        .withColumn("partial", expr("missed AND " + u(seed, 14, "id * 100 + installment_no") + " < 0.33"))
        .withColumn("paid_on", expr("CASE WHEN missed THEN NULL WHEN installment_no = late_no THEN "
            + "date_add(due_date, late_days) ELSE date_sub(due_date, cast(" + u(seed, 15, "id * 100 + installment_no")
            + " * 4 AS int)) END"))
        .withColumn("paid_date", expr("CASE WHEN partial THEN date_add(due_date, 3) WHEN paid_on <= DATE'" + LAST
            + "' THEN paid_on END"))
        .withColumn("amount_paid", expr("CASE WHEN partial THEN round(amount_due / 2, 2) WHEN paid_date IS NULL "
            + "THEN 0.0 ELSE amount_due END"));
    write(conform(rep, spark.read().format("delta").load(inputs + "/repayments").schema(), "repayments"),
        data + "/repayments", new String[0]);
  }

  /** Every application of the 24 months up to each as-of date, scored by every model. */
  static void writeScored(SparkSession spark, Dataset<Row> apps, int runs, List<String> models, String modelRunId,
      StructType schema, String[] partitionBy, long seed, String wh) {
    Dataset<Row> perDate = apps.crossJoin(spark.sql("SELECT explode(array(" + asOfDates(runs) + ")) AS as_of_date"))
        .where(expr("cast(application_time AS date) <= as_of_date AND months_between(as_of_date, month_start) < "
            + WINDOW_MONTHS))
        .withColumn("loan_seen", expr("disbursed_date IS NOT NULL AND disbursed_date <= as_of_date"))
        .withColumn("status", expr("CASE WHEN decision = 'rejected' THEN 'rejected' WHEN NOT loan_seen THEN "
            + "'not_disbursed' WHEN bad AND first_bad_date <= least(as_of_date, window_end) THEN 'bad' "
            + "WHEN window_end <= as_of_date THEN 'good' ELSE 'immature' END"))
        .withColumn("mature", expr("loan_seen AND window_end <= as_of_date"))
        .withColumn("label", expr("CASE status WHEN 'bad' THEN 1 WHEN 'good' THEN 0 END"))
        .withColumn("application_month", expr("date_format(application_time, 'yyyy-MM')"))
        // oot: the 3 latest application months with mature labels, i.e. disbursed 6 months before.
        .withColumn("split", expr("CASE WHEN label IS NULL OR NOT mature THEN NULL "
            + "WHEN application_month > date_format(add_months(as_of_date, -10), 'yyyy-MM') THEN 'oot' "
            + "WHEN pmod(xxhash64(7, customer_id), 100) < 20 THEN 'test' ELSE 'train' END"));
    String modelsSql = "array(" + String.join(", ", models.stream().map(m -> "'" + m + "'").toList()) + ")";
    Dataset<Row> scored = perDate
        .withColumn("model", expr("explode(" + modelsSql + ")"))
        .withColumn("model_no", expr("array_position(" + modelsSql + ", model)"))
        // Each model's PD: the true logit plus its own noise, full precision, within the PD floor.
        .withColumn("pd", expr("least(0.9999, greatest(0.0001, 1 / (1 + exp(-(logit * 0.85 + 0.5 * "
            + "(sqrt(-2 * ln(" + u(seed, 16, "id * 16 + model_no") + ")) * cos(2 * pi() * "
            + u(seed, 17, "id * 16 + model_no") + ")))))))"))
        .withColumn("model_score", expr("600 + 28.85390081777927 * ln((1 - pd) / pd / 20)"))
        .withColumn("risk_grade", expr("CASE WHEN pd < 0.01 THEN 1 WHEN pd < 0.02 THEN 2 WHEN pd < 0.04 THEN 3 "
            + "WHEN pd < 0.08 THEN 4 WHEN pd < 0.16 THEN 5 ELSE 6 END"))
        .withColumn("reason_codes", expr("CASE WHEN model = 'scorecard' THEN array('score_at_application', "
            + "'requested_amount', 'channel') END"))
        .withColumn("product", expr("element_at(array('personal', 'auto', 'card'), 1 + cast(u_cat * 3 AS int))"))
        .withColumn("channel", expr("CASE WHEN u_missing < 0.03 THEN NULL ELSE element_at(array('web', 'branch', "
            + "'broker'), 1 + cast(u_cat * 300 AS int) % 3) END"))
        .withColumn("requested_amount", expr("CASE WHEN u_missing BETWEEN 0.03 AND 0.05 THEN NULL ELSE "
            + "round(1000 + 24000 * u_amount * u_amount, 2) END"))
        .withColumn("score_at_application", expr("CASE WHEN u_missing > 0.96 THEN NULL ELSE score END"))
        .withColumn("model_run_id", lit(modelRunId));
    write(conform(scored, schema, "scored_applications"), wh + "/scored_applications", partitionBy);
  }

  /** One row per loan disbursed by each as-of date, with its status then (the label job's columns). */
  static void writePerformance(SparkSession spark, Dataset<Row> apps, int runs, String fingerprint,
      StructType schema, String[] partitionBy, String wh) {
    Dataset<Row> loans = apps.where(col("disbursed_date").isNotNull())
        .withColumn("loan_id", expr("concat('L', lpad(cast(id AS string), 10, '0'))"))
        .crossJoin(spark.sql("SELECT explode(array(" + asOfDates(runs) + ")) AS as_of_date"))
        .where(expr("disbursed_date <= as_of_date"))
        .withColumn("observed_until", expr("least(window_end, as_of_date)"))
        .withColumn("installments", expr("least(12, cast(months_between(as_of_date, disbursed_date) AS int))"))
        .withColumn("mature", expr("window_end <= as_of_date"))
        .withColumn("first_bad_date", expr("CASE WHEN first_bad_date <= least(as_of_date, window_end) THEN "
            + "first_bad_date END"))
        .withColumn("max_dpd", expr("CASE WHEN first_bad_date IS NOT NULL THEN datediff(observed_until, "
            + "add_months(disbursed_date, miss_from)) WHEN late_no IS NOT NULL AND add_months(disbursed_date, late_no) "
            + "<= observed_until THEN late_days ELSE 0 END"))
        .withColumn("bad_by_event", lit(false))
        .withColumn("status", expr("CASE WHEN first_bad_date IS NOT NULL THEN 'bad' WHEN mature THEN 'good' "
            + "ELSE 'immature' END"))
        .withColumn("label", expr("CASE status WHEN 'bad' THEN 1 WHEN 'good' THEN 0 END"))
        .withColumn("application_month", expr("date_format(application_time, 'yyyy-MM')"))
        .withColumn("run_id", expr("concat(cast(as_of_date AS string), '-" + fingerprint + "')"));
    write(conform(loans, schema, "loan_performance"), wh + "/loan_performance", partitionBy);
  }

  /** The template run's validate rows, once per as-of date as this config's run of that date. */
  static void writeValidation(SparkSession spark, Dataset<Row> template, Row templateRun, int runs,
      String fingerprint, String[] partitionBy, String wh) {
    Dataset<Row> rows = template.where(col("run_id").equalTo(templateRun.getString(0)))
        .crossJoin(spark.sql("SELECT explode(array(" + asOfDates(runs) + ")) AS __as_of"))
        .withColumn("as_of_date", col("__as_of"))
        .withColumn("run_id", expr("concat(cast(__as_of AS string), '-" + fingerprint + "')"))
        .drop("__as_of");
    write(conform(rows, template.schema(), "validation_metrics"), wh + "/validation_metrics", partitionBy);
  }

  /** The template's columns in its order and types; a column the generator does not make stops the run. */
  static Dataset<Row> conform(Dataset<Row> rows, StructType schema, String table) {
    List<String> have = Arrays.asList(rows.columns());
    List<Column> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!have.contains(f.name())) {
        throw new IllegalStateException(table + ": the generator has no column " + f.name() + " (" + f.dataType()
            + ") of the product's schema");
      }
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    Dataset<Row> conformed = rows.select(out.toArray(new Column[0]));
    if (!names(conformed.schema()).equals(names(schema))) {
      throw new IllegalStateException(table + ": schema " + conformed.schema().simpleString() + " is not the product's "
          + schema.simpleString());
    }
    System.out.println(table + " schema = product's: " + schema.simpleString());
    return conformed;
  }

  static List<String> names(StructType s) {
    return Stream.of(s.fields()).map(f -> f.name() + ":" + f.dataType().simpleString()).toList();
  }

  static String[] partitions(SparkSession spark, String template, String table) {
    Row detail = DeltaTable.forPath(spark, template + "/" + table).detail().select("partitionColumns").first();
    return detail.getList(0).stream().map(Object::toString).toArray(String[]::new);
  }

  static void write(Dataset<Row> rows, String path, String[] partitionBy) {
    rows.write().format("delta").mode(SaveMode.Overwrite).partitionBy(partitionBy).save(path);
  }

  static int monthIndex(LocalDate d) {
    return d.getYear() * 12 + d.getMonthValue() - 1;
  }

  /** A uniform in (0, 1) from a hash of the seed, the row id and a stream number. */
  static String u(long seed, int stream) {
    return u(seed, stream, "id");
  }

  static String u(long seed, int stream, String key) {
    return "((pmod(xxhash64(" + seed + "L, " + key + ", " + stream + "), 1000000007) + 0.5) / 1000000007.0)";
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
