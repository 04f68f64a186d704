// Data for the calibrate benchmark: N applications scored by two models (score_logistic and
// scorecard), written as the Delta table scored_applications of a warehouse, with the model card
// calibrate reads the model names from. Computed in Spark from hashes of the seed and the row id, so
// the same arguments give the same rows. Run by bench/calibrate.sh with the jobs classpath through
// Java's single-file source launcher; not part of the jobs jar.
//
// Twelve application months of 2025; the last three are oot, the rest train/test (30% test). A
// latent quality drives the consumer score (350..950, 3% missing) and the true PD; the historical
// policy approved a score >= 600 (3% exceptions), so rejected rows have no outcome; 5% of approved
// loans are indeterminate. Three products and four channels give 12 segments. The model's score is
// points = 600 + SPREAD * 28.85 * (ln odds(good:bad) - ln 50) of a noisy PD, so SPREAD sets how many
// distinct whole-point cutoffs there are (1: a few hundred; 100: tens of thousands).
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class CalibrateData {
  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    String wh = args[1];
    double spread = Double.parseDouble(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
    SparkSession spark = SparkSession.builder().master("local[*]").appName("calibrate-data")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    String z = "(sqrt(-2 * ln(" + u(seed, 1) + ")) * cos(2 * pi() * " + u(seed, 2) + "))";
    String noise = "(sqrt(-2 * ln(" + u(seed, 3) + ")) * cos(2 * pi() * " + u(seed, 4) + "))";
    Dataset<Row> apps = spark.range(n).selectExpr("id",
            z + " AS z", noise + " AS e",
            "element_at(array('paylater','installment','cash_loan'), cast(1 + floor(" + u(seed, 5) + " * 3) as int)) AS product",
            "element_at(array('app','web','partner','branch'), cast(1 + floor(" + u(seed, 6) + " * 4) as int)) AS channel",
            "round(200 + " + u(seed, 7) + " * 4800, 2) AS requested_amount",
            "format_string('2025-%02d', cast(1 + floor(" + u(seed, 8) + " * 12) as int)) AS application_month",
            u(seed, 9) + " AS u_missing", u(seed, 10) + " AS u_exception", u(seed, 11) + " AS u_outcome",
            u(seed, 12) + " AS u_indeterminate", u(seed, 13) + " AS u_split")
        .selectExpr("*",
            "CASE WHEN u_missing < 0.03 THEN NULL ELSE cast(least(950, greatest(350, round(650 + 80 * z))) as int) END"
                + " AS score_at_application",
            "1 / (1 + exp(2.6 + 0.9 * z - CASE WHEN channel = 'partner' THEN 0.5 ELSE 0 END"
                + " - CASE WHEN product = 'cash_loan' THEN 0.4 ELSE 0 END)) AS true_pd")
        .selectExpr("*",
            "CASE WHEN coalesce(score_at_application, 0) >= 600 OR u_exception < 0.03 THEN 'approved' ELSE 'rejected' END"
                + " AS decision")
        .selectExpr("*",
            "CASE WHEN decision = 'rejected' THEN 'rejected' WHEN u_indeterminate < 0.05 THEN 'indeterminate'"
                + " WHEN u_outcome < true_pd THEN 'bad' ELSE 'good' END AS status")
        .selectExpr("*",
            "CASE status WHEN 'bad' THEN 1 WHEN 'good' THEN 0 END AS label",
            "CASE WHEN status NOT IN ('bad', 'good') THEN NULL WHEN application_month >= '2025-10' THEN 'oot'"
                + " WHEN u_split < 0.3 THEN 'test' ELSE 'train' END AS split");
    String logitSc = "(ln(true_pd / (1 - true_pd)) + 0.35 * e)";
    String logitSl = "(ln(true_pd / (1 - true_pd)) * 0.8 + 0.6 * e)";
    Dataset<Row> scored = apps.selectExpr("*", "explode(array(named_struct('model', 'scorecard', 'logit', " + logitSc
            + "), named_struct('model', 'score_logistic', 'logit', " + logitSl + "))) AS m")
        .selectExpr("concat('A', id) AS application_id", "concat('C', id % " + Math.max(1, n / 2) + ") AS customer_id",
            "to_timestamp(concat(application_month, '-15 12:00:00')) AS application_time", "application_month",
            "product", "channel", "requested_amount", "decision", "score_at_application", "status", "label", "split",
            "m.model AS model", "1 / (1 + exp(-m.logit)) AS pd",
            "600 + " + spread + " * 28.853900817779268 * (-m.logit - ln(50)) AS model_score",
            "cast(NULL AS int) AS risk_grade", "cast(NULL AS array<string>) AS reason_codes",
            "to_date('2025-12-31') AS as_of_date", "'bench' AS model_run_id");
    scored.write().format("delta").mode("overwrite").partitionBy("as_of_date").save(wh + "/scored_applications");
    java.nio.file.Path card = java.nio.file.Path.of(wh, "runs", "bench", "model_card.json");
    java.nio.file.Files.createDirectories(card.getParent());
    java.nio.file.Files.writeString(card, "{\"models\": {\"score_logistic\": {}, \"scorecard\": {}}}\n");
    spark.stop();
  }

  /** A uniform in (0, 1) from a hash of the seed, the row id and a stream number. */
  private static String u(long seed, int stream) {
    return "((pmod(xxhash64(id, " + stream + ", " + seed + "L), 9007199254740881) + 0.5) / 9007199254740881.0)";
  }
}
