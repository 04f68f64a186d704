import static org.apache.spark.sql.functions.*;
import org.apache.spark.sql.*;
import org.apache.spark.sql.expressions.*;
import org.apache.spark.sql.types.DataTypes;
// Probe of the feature sort's cost (docs/benchmarks.md, "Why the 4M ratio misses"): times, in one
// warm JVM and with a noop sink, the bare sort of snapshot + application events by customer, one
// window function, all the feature frames, the same with observed metrics, and the project's
// ScoreFeatures on the same rows. Not part of the jobs jar. Run from the repository root after
// bin/credit-risk has built the jar:
//   java -Xmx8g $(cat jobs/target/classes/com/creditrisk/jvm.options) \
//     -cp "$(ls jobs/target/credit-risk-jobs-*.jar | grep -v original):$(cat jobs/target/classpath.txt)" \
//     bench/FeaturePassProbe.java bench/out/data-1000000
public class FeaturePassProbe {
  public static void main(String[] a) {
    SparkSession spark = SparkSession.builder().master("local[*]").config("spark.ui.enabled","false")
      .config("spark.sql.shuffle.partitions","8")
      .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
      .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog").getOrCreate();
    String d = a[0];
    Dataset<Row> s = spark.read().format("delta").load(d + "/score_snapshots");
    Dataset<Row> ap = spark.read().format("delta").load(d + "/applications");
    Dataset<Row> ev = s.select(col("customer_id"), unix_micros(col("score_time")).multiply(2).plus(1).as("k"), col("score"), lit(null).cast("string").as("application_id"))
      .unionByName(ap.select(col("customer_id"), unix_micros(col("application_time")).multiply(2).as("k"), lit(null).cast("int").as("score"), col("application_id")));
    long t0 = System.nanoTime();
    ev.repartition(8, col("customer_id")).sortWithinPartitions("customer_id", "k").write().format("noop").mode("overwrite").save();
    long t1 = System.nanoTime();
    WindowSpec w = Window.partitionBy("customer_id").orderBy("k");
    ev.withColumn("l", last(col("score"), true).over(w.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
      .filter(col("score").isNull()).write().format("noop").mode("overwrite").save();
    long t2 = System.nanoTime();
    ev.withColumn("l", last(col("score"), true).over(w.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
      .withColumn("c", sum(lit(1)).over(w.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())))
      .withColumn("b", last(col("score"), true).over(w.rangeBetween(Window.unboundedPreceding(), -15552000000000L)))
      .withColumn("mn", min(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("mx", max(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("sd", stddev_samp(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("lg", lag(col("k"),1).over(w))
      .filter(col("score").isNull()).write().format("noop").mode("overwrite").save();
    long t3 = System.nanoTime();
    java.util.List<Column> m = new java.util.ArrayList<>();
    for (int i = 0; i < 14; i++) m.add(sum(when(col("score").isNotNull().and(col("k").bitwiseAND(1L << i).notEqual(0)), 1L).otherwise(0L)).as("m" + i));
    Observation o = new Observation("x");
    long t4 = System.nanoTime();
    ev.withColumn("l", last(col("score"), true).over(w.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
      .withColumn("c", sum(lit(1)).over(w.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())))
      .withColumn("b", last(col("score"), true).over(w.rangeBetween(Window.unboundedPreceding(), -15552000000000L)))
      .withColumn("mn", min(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("mx", max(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("sd", stddev_samp(col("score")).over(w.rangeBetween(-31104000000000L, 0)))
      .withColumn("lg", lag(col("k"),1).over(w))
      .observe(o, m.get(0), m.subList(1, 14).toArray(new Column[0]))
      .filter(col("score").isNull()).write().format("noop").mode("overwrite").save();
    long t5 = System.nanoTime();
    long t6 = System.nanoTime();
    com.creditrisk.features.ScoreFeatures.features(com.creditrisk.features.ScoreFeatures.lookBack(
        s.withColumn("__snap_flags", lit(0)), ap.select("customer_id", "application_id", "application_time"), lit(true)), 45).write().format("noop").mode("overwrite").save();
    long t7 = System.nanoTime();
    Dataset<Row> f = com.creditrisk.features.ScoreFeatures.features(com.creditrisk.features.ScoreFeatures.lookBack(
        s.withColumn("__snap_flags", lit(0)), ap.select("customer_id", "application_id", "application_time"), lit(true)), 45).persist(org.apache.spark.storage.StorageLevel.DISK_ONLY());
    f.count();
    long t8 = System.nanoTime();
    System.out.printf("production lookBack+features %.1f s, with persist+count %.1f s%n", (t7-t6)/1e9, (t8-t7)/1e9);
    System.out.printf("with observe %.1f s%n", (t5-t4)/1e9);
    System.out.printf("sort only %.1f s, one window %.1f s, all windows %.1f s%n", (t1-t0)/1e9, (t2-t1)/1e9, (t3-t2)/1e9);
  }
}
