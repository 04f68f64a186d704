// Data for the bin benchmark: N rows, 22 features and a 0/1 label, written as CSV (a folder of
// part files with a header each). Computed in Spark from hashes of the seed, the row id and the
// column, so the same N and seed give the same rows on any partitioning. Run by bench/bin.sh with
// the jobs classpath through Java's single-file source launcher; not part of the jobs jar.
//
// Features: num_01..num_20 numeric (log-normal, exponential, uniform, integer counts; the odd ones
// have ~3% missing and -9/-8 special codes in ~2%/1% of rows), cat_a (8 levels, two rare) and
// cat_b (40 levels, Zipf-like). The label is drawn from a logistic model of six of them.
import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

public class BinData {
  public static void main(String[] args) {
    long n = Long.parseLong(args[0]);
    String out = args[1];
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
    SparkSession spark = SparkSession.builder().master("local[*]").appName("bin-data")
        .config("spark.ui.enabled", "false").getOrCreate();
    List<Column> cols = new ArrayList<>();
    cols.add(expr("id"));
    for (int i = 1; i <= 20; i++) {
      String u = u(seed, i);
      String z = "(sqrt(-2 * ln(" + u + ")) * cos(2 * pi() * " + u(seed, 100 + i) + "))";
      String value = switch (i % 4) {
        case 0 -> "round(exp(" + z + " * 0.9) * 1000, 2)";                 // skewed amounts
        case 1 -> "round(-ln(" + u + ") * 12, 1)";                          // exponential durations
        case 2 -> "round(" + u + " * 100, 3)";                              // uniform percentages
        default -> "cast(floor(-ln(" + u + ") * 2) as double)";             // counts, heavy ties
      };
      String m = u(seed, 200 + i);
      String cell = i % 2 == 1
          ? "CASE WHEN " + m + " < 0.03 THEN NULL WHEN " + m + " < 0.05 THEN -9.0 WHEN " + m + " < 0.06 THEN -8.0 ELSE "
              + value + " END"
          : value;
      cols.add(expr(cell).as(String.format("num_%02d", i)));
    }
    String a = u(seed, 300);
    cols.add(expr("element_at(array('A','B','C','D','E','F','G','H'), cast(least(8, 1 + floor(pow(" + a
        + ", 1.6) * 8.2)) as int))").as("cat_a"));
    cols.add(expr("concat('L', cast(floor(pow(" + u(seed, 301) + ", 3) * 40) as int))").as("cat_b"));
    String z = "(-1.2 + 0.0004 * coalesce(nullif(greatest(num_04, 0), 0), 800) - 0.03 * coalesce(greatest(num_05, 0), 10)"
        + " + 0.015 * num_06 + 0.2 * num_07 - 0.3 * CASE WHEN cat_a IN ('A', 'B') THEN 1 ELSE 0 END"
        + " + 0.02 * cast(substr(cat_b, 2) as int))";
    spark.range(n).select(cols.toArray(new Column[0]))
        .withColumn("label", expr("CASE WHEN " + u(seed, 400) + " < 1 / (1 + exp(-" + z + ")) THEN 1 ELSE 0 END"))
        .drop("id")
        .write().mode(SaveMode.Overwrite).option("header", "true").csv(out);
    spark.stop();
  }

  /** A uniform in (0, 1) from a hash of the seed, the row id and a stream number. */
  private static String u(long seed, int stream) {
    return "((pmod(xxhash64(id, " + stream + ", " + seed + "L), 9007199254740881) + 0.5) / 9007199254740881.0)";
  }
}
