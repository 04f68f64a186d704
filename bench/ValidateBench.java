// The validate benchmark's timed part: in one Spark application, (1) the whole validation pack of
// validate --scores on the generated data (every statistic, with PD, baseline, months, a second
// model and two cutoff targets; metrics.json written) and (2) MLlib's BinaryClassificationEvaluator
// exact AUC (numBins 0) alone on the same rows, as the yardstick of one exact statistic. Each side
// runs 3 times untimed first (-Dbench.warmups; warm JVM and file cache for both), then 3 rounds
// (-Dbench.rounds) of both, alternating. Prints the median wall and CPU time of each side, every round's, both AUCs
// (they must agree) and the Spark job counts of one run. Run by bench/validate.sh.
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkJobCounter;
import com.creditrisk.validation.MetricsFile;
import com.creditrisk.validation.ValidateScores;
import com.creditrisk.validation.ValidationResult;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class ValidateBench {
  public static void main(String[] args) {
    String data = args[0];
    String out = args[1];
    SparkSession spark = SparkSession.builder().master(System.getProperty("bench.master", "local[*]"))
        .appName("validate-bench").config("spark.ui.enabled", "false")
        // As conf/local.conf sizes a local run.
        .config("spark.sql.shuffle.partitions", System.getProperty("bench.shuffle_partitions", "8")).getOrCreate();
    ValidateScores.Input in = new ValidateScores.Input(data + "/scores", "parquet", "score", "label", null, true, "pd",
        null, "month", data + "/baseline", "score2", List.of(), List.of(0.05, 0.1), null, out);
    // Warm up the JVM and Spark (class loading, the JIT, code generation, the file cache): untimed
    // runs of each side on all rows (the pack's many code paths take a few runs to be compiled).
    // Then the timed rounds, the pack and MLlib alternating, so that both see the same machine;
    // the medians are compared.
    for (int k = 0; k < Integer.getInteger("bench.warmups", 3); k++) {
      run(spark, in, out + "-warmup");
      mllib(spark, data);
    }
    int rounds = Integer.getInteger("bench.rounds", 3);
    double[] packS = new double[rounds];
    double[] packCpu = new double[rounds];
    double[] mllibS = new double[rounds];
    double[] mllibCpu = new double[rounds];
    int packJobs = 0;
    int mllibJobs = 0;
    ValidationResult r = null;
    double mllibAuc = Double.NaN;
    for (int k = 0; k < rounds; k++) {
      long c0 = cpu();
      long t0 = System.nanoTime();
      try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
        r = run(spark, in, out);
        packJobs = jobs.jobs();
      }
      long t1 = System.nanoTime();
      long c1 = cpu();
      try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
        mllibAuc = mllib(spark, data);
        mllibJobs = jobs.jobs();
      }
      packS[k] = (t1 - t0) / 1e9;
      packCpu[k] = (c1 - c0) / 1e9;
      mllibS[k] = (System.nanoTime() - t1) / 1e9;
      mllibCpu[k] = (cpu() - c1) / 1e9;
    }
    System.out.printf("rows\t%d%n", r.discrimination().n());
    // CPU time of the whole process (both cores), which another load on the machine distorts less than wall time.
    System.out.printf("pack_s\t%.2f\tcpu_s\t%.2f\tspark_jobs\t%d\tauc\t%.12f\tverdict\t%s%n", median(packS),
        median(packCpu), packJobs, r.discrimination().auc(), r.verdict());
    System.out.printf("mllib_auc_s\t%.2f\tcpu_s\t%.2f\tspark_jobs\t%d\tauc\t%.12f%n", median(mllibS),
        median(mllibCpu), mllibJobs, mllibAuc);
    System.out.println("pack_timings_ms (last round)\t" + r.timingsMs());
    System.out.println("rounds pack_s\t" + java.util.Arrays.toString(packS) + "\tcpu_s\t" + java.util.Arrays.toString(packCpu));
    System.out.println("rounds mllib_s\t" + java.util.Arrays.toString(mllibS) + "\tcpu_s\t"
        + java.util.Arrays.toString(mllibCpu));
    spark.stop();
  }

  private static ValidationResult run(SparkSession spark, ValidateScores.Input in, String out) {
    ValidationResult r = ValidateScores.run(spark, CreditRiskConfig.defaults(), new ValidateScores.Input(in.scores(),
        in.format(), in.scoreCol(), in.labelCol(), in.badValue(), in.higherIsSafe(), in.pdCol(), in.gradeCol(),
        in.monthCol(), in.baseline(), in.compareCol(), in.csiCols(), in.targetBadRates(), in.developmentAuc(), out));
    MetricsFile.write(spark, out, r.toJson());
    return r;
  }

  /** MLlib's exact AUC alone, from reading the rows on. */
  private static double mllib(SparkSession spark, String data) {
    Dataset<Row> rows = spark.read().parquet(data + "/scores")
        .selectExpr("cast(-score as double) as raw", "cast(label as double) as label");
    return new BinaryClassificationEvaluator().setRawPredictionCol("raw").setLabelCol("label").setNumBins(0)
        .setMetricName("areaUnderROC").evaluate(rows);
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
