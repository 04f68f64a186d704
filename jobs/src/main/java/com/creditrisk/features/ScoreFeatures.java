package com.creditrisk.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Point-in-time score features of each application, from the snapshots strictly before its
 * application time (DESIGN.md, "Point in time and labels").
 *
 * <p>The as-of join is one sort per customer, not a range join: snapshots and applications are
 * put in one stream per customer ordered by time, and window frames look back from each
 * application. The cost is linear in snapshots + applications (plus the sort), whatever the
 * number of snapshots per customer. Each event gets the ordering key {@code 2 * micros + kind}
 * with kind 0 for an application and 1 for a snapshot, so a snapshot taken at exactly the
 * application time sorts after the application and is never used.
 */
public final class ScoreFeatures {
  public static final int TREND_CHANGE_DAYS = 90;
  public static final int TREND_WINDOW_DAYS = 180;
  private static final long MICROS_PER_DAY = 86_400L * 1_000_000L;

  /** The feature columns added to each application, in output order. */
  public static final String[] FEATURE_COLUMNS = {
      "score_at_application", "score_time_used", "score_age_days", "score_missing_reason",
      "last_snapshot_score", "score_change_90d", "score_min_180d", "score_max_180d", "score_std_180d",
      "snapshots_before_application", "days_since_last_snapshot"};

  private ScoreFeatures() {}

  /**
   * @param snapshots customer_id, score_time, score, limited to the as-of date
   * @param applications customer_id, application_id, application_time
   * @param maxScoreAgeDays the oldest usable snapshot, in calendar days
   * @return one row per application: application_id and {@link #FEATURE_COLUMNS}
   */
  public static Dataset<Row> compute(Dataset<Row> snapshots, Dataset<Row> applications, int maxScoreAgeDays) {
    return features(lookBack(snapshots,
        applications.select(col("customer_id"), col("application_id"), col("application_time")), lit(true)),
        maxScoreAgeDays);
  }

  /**
   * The per-customer event stream with the look-back frames applied: one row per snapshot
   * ({@code kind = 1}) and per application ({@code kind = 0}). Snapshot rows keep every column of
   * {@code snapshots}, so checks of the snapshots (validation flags) can be aggregated from this
   * same pass; {@code duplicate_snapshot} marks snapshot rows that share customer and time with
   * another. Application rows carry every column of {@code applications} but customer_id and
   * application_time in one struct column {@code __app} (null on snapshot rows), which
   * {@link #applicationsWithFeatures} unpacks.
   *
   * @param snapshots customer_id, score_time, score and any columns to carry
   * @param applications customer_id, application_id, application_time and any columns to carry
   * @param visible true on the snapshots the features may see (e.g. those up to the as-of date);
   *     the others are carried for their checks only
   */
  public static Dataset<Row> lookBack(Dataset<Row> snapshots, Dataset<Row> applications, Column visible) {
    // Only what the frames need travels through the sort, plus the caller's check columns ("__*")
    // and the applications' own columns: the sort is the cost of this pass, and it grows with the
    // row width.
    // The time travels only inside the ordering key k = 2 * micros + kind and is restored after the
    // sort: one column fewer in every sorted row.
    List<Column> snapCols = new ArrayList<>(List.of(
        col("customer_id"),
        unix_micros(col("score_time")).multiply(2).plus(1).as("k"),
        when(visible, col("score")).as("__score")));
    for (String c : snapshots.columns()) {
      if (c.startsWith("__")) {
        snapCols.add(col(c));
      }
    }
    Dataset<Row> snaps = snapshots.select(snapCols.toArray(new Column[0]));
    // The application's columns ride in one struct: a snapshot row pays one null field for all of
    // them, and the struct being null is what marks a snapshot row (no kind column in the sort).
    List<Column> carried = new ArrayList<>();
    for (String c : applications.columns()) {
      if (!c.equals("customer_id") && !c.equals("application_time")) {
        carried.add(col(c));
      }
    }
    Dataset<Row> apps = applications.select(
        col("customer_id"),
        unix_micros(col("application_time")).multiply(2).as("k"),
        lit(null).cast(DataTypes.IntegerType).as("__score"),
        struct(carried.toArray(new Column[0])).as("__app"));
    // Shuffled by customer explicitly, so that the inputs the frames compute (a snapshot's key, the
    // score as a double) are computed after the shuffle instead of travelling through it.
    // The score becomes a double after the shuffle, replacing the int: stddev_samp takes a double,
    // and given the int Spark would sort a double copy of it with every row.
    Dataset<Row> shuffled = snaps.unionByName(apps, true).repartition(col("customer_id"));
    List<Column> eventCols = new ArrayList<>();
    for (String c : shuffled.columns()) {
      eventCols.add(c.equals("__score") ? col(c).cast(DataTypes.DoubleType).as(c) : col(c));
    }
    Dataset<Row> events = shuffled.select(eventCols.toArray(new Column[0]));

    WindowSpec byTime = Window.partitionBy("customer_id").orderBy("k");
    // Application rows carry a null score, so the aggregates below only see snapshots; the
    // frame's upper bound "current row" ends before any snapshot at the same instant.
    WindowSpec upToNow = byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    // The whole partition, aggregated once (a "current row to unbounded following" frame would be
    // recomputed for every row).
    WindowSpec wholeCustomer = byTime.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    // Key 2s+1 <= 2t - 2D + 1  <=>  s <= t - D: the latest snapshot at or before t minus D days.
    WindowSpec beforeChange = byTime.rangeBetween(Window.unboundedPreceding(),
        -(2 * TREND_CHANGE_DAYS * MICROS_PER_DAY - 1));
    // Key 2s+1 >= 2t - 2D  <=>  s >= t - D, and key <= 2t  <=>  s < t.
    WindowSpec trendWindow = byTime.rangeBetween(-(2 * TREND_WINDOW_DAYS * MICROS_PER_DAY), 0);
    // A visible snapshot is one with a score the features may see; application rows have none.
    Column snapKey = when(col("__score").isNotNull(), col("k"));
    // Snapshot keys are odd, so equal neighbouring keys are two snapshots at the same instant.
    Column sameKeyAsNeighbour = lag(col("k"), 1).over(byTime).equalTo(col("k"))
        .or(lead(col("k"), 1).over(byTime).equalTo(col("k")));
    Column isSnapshot = col("__app").isNull();

    // One select, so that Spark plans one Window operator computing every frame over one buffer of
    // each customer's rows; a chain of withColumn calls puts a projection between the frames and
    // gets one Window operator (one more copy of every row) per step.
    Dataset<Row> framed = events
        .select(col("*"),
            // Back to int after the frames (the scores are ints, so the casts are exact).
            last(col("__score"), true).over(upToNow).cast(DataTypes.IntegerType).as("last_snapshot_score"),
            last(snapKey, true).over(upToNow).as("last_snapshot_k"),
            // count() counts the non-null scores: the visible snapshots.
            count(col("__score")).over(upToNow).as("snapshots_before_application"),
            count(col("__score")).over(wholeCustomer).as("__snapshots_of_customer"),
            last(col("__score"), true).over(beforeChange).cast(DataTypes.IntegerType).as("score_90d_before"),
            min(col("__score")).over(trendWindow).cast(DataTypes.IntegerType).as("score_min_180d"),
            max(col("__score")).over(trendWindow).cast(DataTypes.IntegerType).as("score_max_180d"),
            stddev_samp(col("__score")).over(trendWindow).as("score_std_180d"),
            isSnapshot.and(coalesce(sameKeyAsNeighbour, lit(false))).as("duplicate_snapshot"));
    // Derived after the frames, in a projection of their output: a column computed in the select
    // above would be computed before the sort and carried through it, and a frame used twice in
    // it (the count up to now) would be computed twice.
    return framed.select(col("*"),
            col("__snapshots_of_customer").minus(col("snapshots_before_application")).as("snapshots_from_application"),
            when(isSnapshot, lit(1)).otherwise(lit(0)).as("kind"),
            keyTime(col("k")).as("__t"),
            keyTime(col("last_snapshot_k")).as("last_snapshot_time"))
        .drop("__snapshots_of_customer");
  }

  /** The timestamp an ordering key was made from (an arithmetic shift is floor division by 2). */
  private static Column keyTime(Column key) {
    return timestamp_micros(shiftright(key, 1));
  }

  /** The application rows of {@link #lookBack} turned into application_id and {@link #FEATURE_COLUMNS}. */
  public static Dataset<Row> features(Dataset<Row> lookedBack, int maxScoreAgeDays) {
    List<Column> out = new ArrayList<>();
    out.add(col("__app.application_id").as("application_id"));
    out.addAll(featureColumns(maxScoreAgeDays));
    return lookedBack.filter(col("kind").equalTo(0)).select(out.toArray(new Column[0]));
  }

  /**
   * The application rows of {@link #lookBack} with every column of the applications it was given
   * (customer_id, application_time and the carried ones) followed by {@link #FEATURE_COLUMNS}: the
   * applications come out of the same sort as their features, so joining them back needs no
   * shuffle of either.
   */
  public static Dataset<Row> applicationsWithFeatures(Dataset<Row> lookedBack, int maxScoreAgeDays) {
    List<Column> out = new ArrayList<>(List.of(col("customer_id"), col("__t").as("application_time"),
        col("__app.*")));
    out.addAll(featureColumns(maxScoreAgeDays));
    return lookedBack.filter(col("kind").equalTo(0)).select(out.toArray(new Column[0]));
  }

  /** {@link #FEATURE_COLUMNS} on an application row of {@link #lookBack}. */
  private static List<Column> featureColumns(int maxScoreAgeDays) {
    Column age = datediff(to_date(col("__t")), to_date(col("last_snapshot_time")));
    Column usable = col("last_snapshot_time").isNotNull().and(age.leq(maxScoreAgeDays));
    Column reason = when(usable, lit(null).cast(DataTypes.StringType))
        .when(col("last_snapshot_time").isNotNull(), lit("stale"))
        .when(col("snapshots_from_application").gt(0), lit("only_after_application"))
        .otherwise(lit("no_snapshot"));
    return List.of(
        when(usable, col("last_snapshot_score")).as("score_at_application"),
        when(usable, col("last_snapshot_time")).as("score_time_used"),
        when(usable, age).as("score_age_days"),
        reason.as("score_missing_reason"),
        col("last_snapshot_score"),
        col("last_snapshot_score").minus(col("score_90d_before")).as("score_change_90d"),
        col("score_min_180d"),
        col("score_max_180d"),
        round(col("score_std_180d"), 6).as("score_std_180d"),
        col("snapshots_before_application").cast(DataTypes.IntegerType).as("snapshots_before_application"),
        age.as("days_since_last_snapshot"));
  }
}
