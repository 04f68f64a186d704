// The benchmark's scan floor: read the same five input tables build-dataset reads and write
// them back as Delta, with no logic. Run by bench/build_dataset.sh with the jobs classpath,
// through Java's single-file source launcher; not part of the jobs jar.
// Usage: ScanFloor IN OUT [TABLE ...]: the tables under IN to copy, the five inputs by default
// (bench/sources.sh copies a feature source alone).
//        ScanFloor --noop PATH=COLUMN,COLUMN,... [...]: read those columns of each Delta table once
// into Spark's noop sink, nothing written (bench/monitor.sh: monitor writes a few aggregates only).
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

public class ScanFloor {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[*]").appName("scan-floor")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();
    if (args[0].equals("--noop")) {
      for (String a : java.util.Arrays.copyOfRange(args, 1, args.length)) {
        String[] columns = a.split("=", 2)[1].split(",");
        spark.read().format("delta").load(a.split("=", 2)[0])
            .select(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length))
            .write().format("noop").mode(SaveMode.Overwrite).save();
      }
      spark.stop();
      return;
    }
    String in = args[0];
    String out = args[1];
    String[] tables = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
        : new String[] {"score_snapshots", "applications", "loans", "repayments", "loan_events"};
    for (String t : tables) {
      spark.read().format("delta").load(in + "/" + t)
          .write().format("delta").mode(SaveMode.Overwrite).save(out + "/" + t);
    }
    spark.stop();
  }
}
