// Data for the validate benchmark: N scored rows and a baseline of N / 4 rows, written as Parquet.
// Computed in Spark from hashes of the seed, the row id and a stream number, so the same N and seed
// give the same rows on any partitioning. Run by bench/validate.sh with the jobs classpath through
// Java's single-file source launcher; not part of the jobs jar.
//
// Columns: score (int 350..950, higher = safe, ~600 distinct values: heavy ties), pd (a logistic of
// the score, slightly off so calibration has something to find), a second model's score2 (the
// score plus noise), month (12 months, 2025-01..2025-12), label (0/1 drawn from a logistic of the
// score). The baseline is drawn the same way with a small shift of the score.
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

public class ValidateData {
  public static void main(String[] args) {
    long n = Long.parseLong(args[0]);
    String out = args[1];
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
    SparkSession spark = SparkSession.builder().master("local[*]").appName("validate-data")
        .config("spark.ui.enabled", "false").getOrCreate();
    write(spark, n, seed, 0, out + "/scores");
    write(spark, Math.max(1000, n / 4), seed + 1, 8, out + "/baseline");
    spark.stop();
  }

  private static void write(SparkSession spark, long n, long seed, int shift, String path) {
    String z = "(sqrt(-2 * ln(" + u(seed, 1) + ")) * cos(2 * pi() * " + u(seed, 2) + "))";
    spark.range(n)
        .withColumn("score", expr("cast(least(950, greatest(350, round(650 + " + shift + " + 80 * " + z + "))) as int)"))
        .withColumn("pd", expr("1 / (1 + exp(-(-2.2 - (score - 650) / 55.0)))"))
        .withColumn("score2", expr("score + cast(round(60 * (" + u(seed, 3) + " - 0.5)) as int)"))
        .withColumn("month", expr("concat('2025-', lpad(cast(1 + pmod(id, 12) as string), 2, '0'))"))
        .withColumn("label", expr("CASE WHEN " + u(seed, 4) + " < 1 / (1 + exp(-(-2.0 - (score - 650) / 60.0)))"
            + " THEN 1 ELSE 0 END"))
        .drop("id")
        .write().mode(SaveMode.Overwrite).parquet(path);
  }

  /** A uniform in (0, 1) from a hash of the seed, the row id and a stream number. */
  private static String u(long seed, int stream) {
    return "((pmod(xxhash64(id, " + stream + ", " + seed + "L), 9007199254740881) + 0.5) / 9007199254740881.0)";
  }
}
