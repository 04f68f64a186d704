// The benchmark's scan floor: read the same five input tables build-dataset reads and write
// them back as Delta, with no logic. Run by bench/build_dataset.sh with the jobs classpath,
// through Java's single-file source launcher; not part of the jobs jar.
// Usage: ScanFloor IN OUT [TABLE ...]: the tables under IN to copy, the five inputs by default
// (bench/sources.sh copies a feature source alone).
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

public class ScanFloor {
  public static void main(String[] args) {
    String in = args[0];
    String out = args[1];
    SparkSession spark = SparkSession.builder().master("local[*]").appName("scan-floor")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();
    String[] tables = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
        : new String[] {"score_snapshots", "applications", "loans", "repayments", "loan_events"};
    for (String t : tables) {
      spark.read().format("delta").load(in + "/" + t)
          .write().format("delta").mode(SaveMode.Overwrite).save(out + "/" + t);
    }
    spark.stop();
  }
}
