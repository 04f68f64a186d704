// The validate benchmark's timed part: in one Spark application, (1) the whole validation pack of
// validate --scores on the generated data (every statistic, with PD, baseline, months, a second
// model and two cutoff targets; metrics.json written) and (2) MLlib's BinaryClassificationEvaluator
// exact AUC (numBins 0) alone on the same rows, as the yardstick of one exact statistic. Each side
// runs once untimed first (warm JVM and file cache for both). Prints both times, both AUCs (they
// must agree) and the Spark job counts. Run by bench/validate.sh.
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkJobCounter;
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
    // Warm up the JVM and Spark (class loading, code generation, the first shuffle, the file
    // cache): one untimed run of each side on all rows, so that neither timed run pays for it.
    ValidateScores.run(spark, CreditRiskConfig.defaults(), new ValidateScores.Input(in.scores(), in.format(),
        in.scoreCol(), in.labelCol(), in.badValue(), in.higherIsSafe(), in.pdCol(), in.gradeCol(), in.monthCol(),
        in.baseline(), in.compareCol(), in.csiCols(), in.targetBadRates(), in.developmentAuc(), out + "-warmup"));
    new BinaryClassificationEvaluator().setRawPredictionCol("raw").setLabelCol("label").setNumBins(0)
        .evaluate(spark.read().parquet(data + "/scores")
            .selectExpr("cast(-score as double) as raw", "cast(label as double) as label"));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    ValidationResult r;
    SparkJobCounter packJobs = SparkJobCounter.start(spark);
    try (packJobs) {
      r = ValidateScores.run(spark, CreditRiskConfig.defaults(), in);
    }
    long t1 = System.nanoTime();
    long c1 = os.getProcessCpuTime();
    Dataset<Row> rows = spark.read().parquet(data + "/scores")
        .selectExpr("cast(-score as double) as raw", "cast(label as double) as label");
    double mllibAuc;
    SparkJobCounter mllibJobs = SparkJobCounter.start(spark);
    try (mllibJobs) {
      mllibAuc = new BinaryClassificationEvaluator().setRawPredictionCol("raw").setLabelCol("label").setNumBins(0)
          .setMetricName("areaUnderROC").evaluate(rows);
    }
    long t2 = System.nanoTime();
    long c2 = os.getProcessCpuTime();
    System.out.printf("rows\t%d%n", r.discrimination().n());
    // CPU time of the whole process (both cores), which another load on the machine distorts less than wall time.
    System.out.printf("pack_s\t%.1f\tcpu_s\t%.1f\tspark_jobs\t%d\tauc\t%.12f\tverdict\t%s%n", (t1 - t0) / 1e9,
        (c1 - c0) / 1e9, packJobs.jobs(), r.discrimination().auc(), r.verdict());
    System.out.println("pack_timings_ms\t" + r.timingsMs());
    System.out.printf("mllib_auc_s\t%.1f\tcpu_s\t%.1f\tspark_jobs\t%d\tauc\t%.12f%n", (t2 - t1) / 1e9,
        (c2 - c1) / 1e9, mllibJobs.jobs(), mllibAuc);
    spark.stop();
  }
}
