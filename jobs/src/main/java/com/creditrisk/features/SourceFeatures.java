package com.creditrisk.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Kind;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Point-in-time features of one feature source (DESIGN.md, "Feature sources"), by the rules of the
 * score: nothing dated after the as-of date, nothing at or after the application time, windows of
 * N days ending at the application time.
 *
 * <p>A customer source is joined as the snapshots are in {@link ScoreFeatures}: its rows and the
 * applications form one stream per customer ordered by the key {@code 2 * micros + kind} (0 for an
 * application, 1 for a source row), and window frames look back from each application. So a row at
 * exactly the application time sorts after it and is never used, and the cost is one sort of
 * rows + applications, never a join of every application with every row of its customer. A
 * snapshot source reads running frames only; an events source's windows are read in one pass per
 * customer by {@link EventWindows}, since Spark's sliding frames re-aggregate at every row.
 *
 * <p>A source whose time column is a date, not a timestamp, says only on which day a row became
 * known: the row is taken as known at the end of that day, so an application of the same day never
 * sees it.
 */
public final class SourceFeatures {
  private static final long MICROS_PER_DAY = 86_400L * 1_000_000L;

  /** Why an application has no data from a source. */
  public static final String NO_HISTORY = "no_history";
  public static final String STALE = "stale";
  public static final String ONLY_AFTER_APPLICATION = "only_after_application";
  /** Every missing reason, in the order reports list them. */
  public static final List<String> MISSING_REASONS = List.of(NO_HISTORY, STALE, ONLY_AFTER_APPLICATION);

  /** A snapshot source's feature: the calendar days between its row and the application. */
  public static final String AGE_DAYS = FeatureSource.AGE_DAYS;
  /** An events source's feature: calendar days since its latest row before the application. */
  public static final String DAYS_SINCE_LAST = FeatureSource.DAYS_SINCE_LAST;

  private SourceFeatures() {}

  /** The feature columns a source adds to model_dataset ({@link FeatureSource#featureColumns()}). */
  public static List<String> featureColumns(FeatureSource source) {
    return source.featureColumns();
  }

  /**
   * @param source the declaration
   * @param rows the source's rows with its columns under their contract names: the entity key, for
   *     a customer source {@link FeatureSource#EVENT_TIME} (timestamp or date), and the attribute or
   *     aggregate columns
   * @param applications customer_id, application_id, application_time, all at or before the as-of
   *     date
   * @param asOf the run's as-of date: rows dated after it are not read
   * @return one row per application: application_id and {@link #featureColumns}
   */
  public static Dataset<Row> compute(FeatureSource source, Dataset<Row> rows, Dataset<Row> applications,
      LocalDate asOf) {
    Dataset<Row> apps = applications.select(col("customer_id"), col("application_id"), col("application_time"));
    if (source.entity() == Entity.APPLICATION) {
      return byApplication(source, rows, apps);
    }
    Dataset<Row> visible = rows.filter(knownAt(rows).lt(unix_micros(lit(asOf.plusDays(1).toString())
        .cast(DataTypes.TimestampType))));
    return byCustomer(source, visible, apps);
  }

  /**
   * When a row became known, in microseconds: its timestamp, or for a date the last microsecond
   * of its day.
   */
  private static Column knownAt(Dataset<Row> rows) {
    boolean isDate = rows.schema().apply(FeatureSource.EVENT_TIME).dataType().equals(DataTypes.DateType);
    Column t = col(FeatureSource.EVENT_TIME);
    return isDate
        ? unix_micros(t.plus(1).cast(DataTypes.TimestampType)).minus(1)
        : unix_micros(t.cast(DataTypes.TimestampType));
  }

  private static Dataset<Row> byApplication(FeatureSource source, Dataset<Row> rows, Dataset<Row> apps) {
    List<Column> picked = new ArrayList<>(List.of(col("application_id"), lit(true).as("__found")));
    source.attributes().forEach(a -> picked.add(col(a).as(source.column(a))));
    Dataset<Row> joined = apps.join(rows.select(picked.toArray(new Column[0])), "application_id", "left");
    List<Column> out = new ArrayList<>(List.of(col("application_id")));
    source.attributes().forEach(a -> out.add(col(source.column(a))));
    out.add(when(col("__found").isNull(), lit(NO_HISTORY)).otherwise(lit(null).cast(DataTypes.StringType))
        .as(source.missingReasonColumn()));
    return joined.select(out.toArray(new Column[0]));
  }

  private static Dataset<Row> byCustomer(FeatureSource source, Dataset<Row> rows, Dataset<Row> apps) {
    List<String> valueColumns = source.valueColumns();
    List<Column> rowCols = new ArrayList<>(List.of(
        col("customer_id"),
        knownAt(rows).multiply(2).plus(1).as("k"),
        lit(null).cast(DataTypes.StringType).as("__app")));
    valueColumns.forEach(c -> rowCols.add(col(c)));
    List<Column> appCols = new ArrayList<>(List.of(
        col("customer_id"),
        unix_micros(col("application_time")).multiply(2).as("k"),
        col("application_id").as("__app")));
    Dataset<Row> stream = rows.select(rowCols.toArray(new Column[0]))
        .unionByName(apps.select(appCols.toArray(new Column[0])), true);

    Dataset<Row> looked = source.kind() == Kind.EVENTS
        ? EventWindows.look(stream, source.windowsDays(), source.aggregates(), MICROS_PER_DAY)
        : latestSnapshot(stream, valueColumns);

    Column appTime = timestamp_micros(shiftright(col("k"), 1));
    Column lastTime = timestamp_micros(shiftright(col("__last_k"), 1));
    Column hasBefore = col("__rows_before").gt(0);
    Column hasAfter = col("__rows_of_customer").gt(col("__rows_before"));
    Column ageDays = datediff(to_date(appTime), to_date(lastTime));

    List<Column> out = new ArrayList<>(List.of(col("__app").as("application_id")));
    Column usable;
    switch (source.kind()) {
      case SNAPSHOT -> {
        Column fresh = hasBefore.and(ageDays.leq(source.maxAgeDays()));
        usable = fresh;
        source.attributes().forEach(a -> out.add(when(fresh, col("__latest." + a)).as(source.column(a))));
        out.add(ageDays.as(source.column(AGE_DAYS)));
      }
      case EVENTS -> {
        long longest = source.windowsDays().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Stale: rows before the application, but none inside the longest window (the latest row's
        // key 2s+1 >= 2t - 2W  <=>  s >= t - W days, the windows' own boundary).
        usable = hasBefore.and(col("__last_k").geq(col("k").minus(2 * longest * MICROS_PER_DAY)));
        for (int w : source.windowsDays()) {
          for (Aggregate a : source.aggregates()) {
            out.add(col("__" + a.featureName(w)).as(source.column(a.featureName(w))));
          }
        }
        out.add(ageDays.as(source.column(DAYS_SINCE_LAST)));
      }
      default -> throw new IllegalStateException("not a customer kind: " + source.kind());
    }
    Column reason = when(usable, lit(null).cast(DataTypes.StringType))
        .when(hasBefore, lit(STALE))
        .when(hasAfter, lit(ONLY_AFTER_APPLICATION))
        .otherwise(lit(NO_HISTORY));
    out.add(reason.as(source.missingReasonColumn()));
    return looked.select(out.toArray(new Column[0]));
  }

  /**
   * The snapshot rows' frames: each application's latest row before it, its key and the rows
   * before and of its customer, all running frames (one pass, each row read once).
   */
  private static Dataset<Row> latestSnapshot(Dataset<Row> stream, List<String> valueColumns) {
    WindowSpec byTime = Window.partitionBy("customer_id").orderBy("k");
    WindowSpec upToNow = byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec wholeCustomer = byTime.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    // A source row's key is odd and an application's even, so the application rows carry a null
    // row key and every frame below sees only source rows.
    Column rowKey = when(col("__app").isNull(), col("k"));
    Column isRow = when(col("__app").isNull(), lit(1));
    // The latest row's values: last() over struct(k, values) of source rows only, ignoring the
    // applications' nulls. (customer_id, time) is unique in a snapshot source, so no tie.
    List<Column> fields = new ArrayList<>();
    valueColumns.forEach(c -> fields.add(col(c)));
    Column values = when(col("__app").isNull(), struct(fields.toArray(new Column[0])));
    return stream.select(col("__app"), col("k"),
            last(rowKey, true).over(upToNow).as("__last_k"),
            count(isRow).over(upToNow).as("__rows_before"),
            count(isRow).over(wholeCustomer).as("__rows_of_customer"),
            last(values, true).over(upToNow).as("__latest"))
        .filter(col("__app").isNotNull());
  }
}
