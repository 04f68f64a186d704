import static org.apache.spark.sql.functions.*;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.*;
import org.apache.spark.sql.expressions.*;
import org.apache.spark.sql.types.DataTypes;
// A/B probe of the feature pass (docs/benchmarks.md): the look-back frames as a chain of withColumn
// calls (five Window operators, the code before this probe) against ScoreFeatures.lookBack (one
// select, one Window operator), alternated in one warm JVM with a noop sink so that machine load
// drifts over both alike. Not part of the jobs jar. Run from the repository root after
// bin/credit-risk has built the jar:
//   java -Xmx8g $(cat jobs/target/classes/com/creditrisk/jvm.options) \
//     -cp "$(ls jobs/target/credit-risk-jobs-*.jar | grep -v original):$(cat jobs/target/classpath.txt)" \
//     bench/WindowCollapseProbe.java bench/out/data-1000000
public class WindowCollapseProbe {
  static final long DAY = 86_400L * 1_000_000L;

  /** The look-back as it was: one withColumn per frame. */
  static Dataset<Row> chained(Dataset<Row> snapshots, Dataset<Row> applications) {
    Dataset<Row> snaps = snapshots.select(col("customer_id"), unix_micros(col("score_time")).multiply(2).plus(1).as("k"),
        lit(1).as("kind"), col("score").as("__score"), lit(null).cast(DataTypes.StringType).as("application_id"),
        col("__snap_flags"));
    Dataset<Row> apps = applications.select(col("customer_id"), unix_micros(col("application_time")).multiply(2).as("k"),
        lit(0).as("kind"), lit(null).cast(DataTypes.IntegerType).as("__score"), col("application_id"),
        struct(col("application_id")).as("__app"));  // where ScoreFeatures.features now reads it
    Dataset<Row> events = snaps.unionByName(apps, true);
    WindowSpec byTime = Window.partitionBy("customer_id").orderBy("k");
    WindowSpec upToNow = byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole = byTime.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    WindowSpec beforeChange = byTime.rangeBetween(Window.unboundedPreceding(), -(2 * 90 * DAY - 1));
    WindowSpec trend = byTime.rangeBetween(-(2 * 180 * DAY), 0);
    Column snapKey = when(col("__score").isNotNull(), col("k"));
    Column visible = when(col("__score").isNotNull(), 1).otherwise(0);
    Column same = lag(col("k"), 1).over(byTime).equalTo(col("k")).or(lead(col("k"), 1).over(byTime).equalTo(col("k")));
    return events
        .withColumn("last_snapshot_score", last(col("__score"), true).over(upToNow))
        .withColumn("last_snapshot_k", last(snapKey, true).over(upToNow))
        .withColumn("snapshots_before_application", sum(visible).over(upToNow))
        .withColumn("snapshots_from_application", sum(visible).over(whole).minus(col("snapshots_before_application")))
        .withColumn("score_90d_before", last(col("__score"), true).over(beforeChange))
        .withColumn("score_min_180d", min(col("__score")).over(trend))
        .withColumn("score_max_180d", max(col("__score")).over(trend))
        .withColumn("score_std_180d", stddev_samp(col("__score")).over(trend))
        .withColumn("duplicate_snapshot", col("kind").equalTo(1).and(coalesce(same, lit(false))))
        .withColumn("__t", timestamp_micros(shiftright(col("k"), 1)))
        .withColumn("last_snapshot_time", timestamp_micros(shiftright(col("last_snapshot_k"), 1)));
  }

  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().master("local[*]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog").getOrCreate();
    Dataset<Row> s = spark.read().format("delta").load(a[0] + "/score_snapshots").withColumn("__snap_flags", lit(0));
    Dataset<Row> ap = spark.read().format("delta").load(a[0] + "/applications");
    List<String> out = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      com.creditrisk.features.ScoreFeatures.features(chained(s, ap), 45).write().format("noop").mode("overwrite").save();
      long t1 = System.nanoTime();
      com.creditrisk.features.ScoreFeatures.features(com.creditrisk.features.ScoreFeatures.lookBack(s,
          ap.select("customer_id", "application_id", "application_time"), lit(true)), 45)
          .write().format("noop").mode("overwrite").save();
      long t2 = System.nanoTime();
      out.add(String.format("round %d: withColumn chain %.1f s, one select %.1f s", round, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    }
    out.forEach(System.out::println);
  }
}
