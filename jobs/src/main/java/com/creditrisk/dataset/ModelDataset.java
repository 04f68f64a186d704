package com.creditrisk.dataset;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.creditrisk.config.CreditRiskConfig.LabelUse;
import com.creditrisk.features.ScoreFeatures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Assembles model_dataset: one row per application with its features, status, label and split. */
public final class ModelDataset {
  private static final long HASH_BUCKETS = 1_000_000L;

  /** The applications' columns that model_dataset keeps (application_month is derived from the time). */
  public static final List<String> APPLICATION_COLUMNS = List.of("application_id", "customer_id", "application_time",
      "product", "channel", "requested_amount", "term_months", "decision", "decision_score");

  private ModelDataset() {}

  /**
   * Joins applications that already hold their score features (one row per application, e.g.
   * {@link ScoreFeatures#applicationsWithFeatures}) with their loan performance (no split yet).
   *
   * @param applicationsWithFeatures the contract columns of the applications, limited to the as-of
   *     date, and {@link ScoreFeatures#FEATURE_COLUMNS}
   * @param performance output of {@link com.creditrisk.labels.LoanPerformance#compute}
   */
  public static Dataset<Row> assemble(Dataset<Row> applicationsWithFeatures, Dataset<Row> performance) {
    return assemble(applicationsWithFeatures, performance, List.of());
  }

  /**
   * As {@link #assemble(Dataset, Dataset)}, with further feature columns of the applications (the
   * feature sources') placed after the score features.
   */
  public static Dataset<Row> assemble(Dataset<Row> applicationsWithFeatures, Dataset<Row> performance,
      List<String> sourceFeatures) {
    Dataset<Row> perf = performance.select(
        col("application_id"), col("loan_id").as("perf_loan_id"), col("disbursed_date"), col("window_end"),
        col("max_dpd"), col("first_bad_date"), col("status").as("loan_status"), col("mature"), col("label"));
    // A hash join on the (fewer, narrower) loans: a sort-merge join would sort every application
    // row, features and all, by application_id only for the join.
    Dataset<Row> joined = applicationsWithFeatures.join(perf.hint("shuffle_hash"), "application_id", "left");
    Column status = when(col("decision").equalTo("rejected"), lit("rejected"))
        .when(col("loan_status").isNull(), lit("not_disbursed"))
        .otherwise(col("loan_status"));
    List<Column> out = new ArrayList<>();
    for (String c : APPLICATION_COLUMNS) {
      out.add(col(c));
      if (c.equals("application_time")) {
        out.add(date_format(col("application_time"), "yyyy-MM").as("application_month"));
      }
    }
    for (String f : ScoreFeatures.FEATURE_COLUMNS) {
      out.add(col(f));
    }
    for (String f : sourceFeatures) {
      out.add(col(f));
    }
    out.addAll(List.of(
        col("perf_loan_id").as("loan_id"), col("disbursed_date"), col("window_end"), col("max_dpd"),
        col("first_bad_date"),
        status.as("status"),
        when(col("mature").isNull(), lit(false)).otherwise(col("mature")).as("mature"),
        col("label")));
    return joined.select(out.toArray(new Column[0]));
  }

  /** Rows that training and validation may use: labelled, and mature unless label.use = all. */
  public static Column eligible(LabelUse use) {
    Column labelled = col("label").isNotNull();
    return use == LabelUse.ALL ? labelled : labelled.and(col("mature"));
  }

  /**
   * The oot months: the latest {@code ootMonths} of the distinct application months that hold
   * eligible rows (a list whose size is bounded by the calendar, not by the data).
   */
  public static List<String> ootMonths(Collection<String> eligibleMonths, int ootMonths) {
    List<String> sorted = new ArrayList<>(eligibleMonths);
    sorted.sort(String::compareTo);
    return List.copyOf(sorted.subList(Math.max(0, sorted.size() - ootMonths), sorted.size()));
  }

  /** The split column: oot by month, else test or train by a seeded hash of customer_id. */
  public static Dataset<Row> withSplit(Dataset<Row> dataset, List<String> ootMonths, SplitRules rules) {
    Column bucket = pmod(xxhash64(lit(rules.seed()), col("customer_id")), lit(HASH_BUCKETS));
    long testBuckets = Math.round(rules.testFraction() * HASH_BUCKETS);
    Column inOot = ootMonths.isEmpty() ? lit(false) : col("application_month").isin(ootMonths.toArray());
    Column split = when(eligible(rules.labelUse()).unary_$bang(), lit(null).cast(DataTypes.StringType))
        .when(inOot, lit("oot"))
        .when(bucket.lt(testBuckets), lit("test"))
        .otherwise(lit("train"));
    return dataset.withColumn("split", split);
  }
}
