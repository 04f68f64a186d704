// The GBT early-stopping study (bench/gbt_stopping.sh): on a warehouse's model_dataset as of a date,
// with train's own split, features, label and GBT pipeline (ModelPipelines.gbt, reached by
// reflection because it is package-private), for every configured depth and every seed:
//   (1) the pipeline as train fits it (train.gbt.* settings; with train.gbt.patience 0 that is
//       Spark's validation stopping on the test rows),
//   (2) one fit of max(fixed counts) trees on the train rows alone, cut to each fixed count
//       (truncation of a boosted model is exact: the first k trees are the k-tree model).
// Prints one line per model: trees, AUC and log-loss on test and oot, and the paired DeLong test of
// oot AUC against (1); then the test and oot log-loss per tree count of fit (2) (one pass each with
// evaluateEachIteration), every 10th count. Usage:
//   java ... bench/GbtStopping.java WAREHOUSE AS_OF FIXED_COUNTS SEEDS [--set key=value ...]
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.models.ModelKind;
import java.lang.reflect.Method;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import static org.apache.spark.sql.functions.*;

public class GbtStopping {
  public static void main(String[] a) throws Exception {
    String wh = a[0];
    LocalDate asOf = LocalDate.parse(a[1]);
    int[] fixed = Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
    long[] seeds = Arrays.stream(a[3].split(",")).mapToLong(Long::parseLong).toArray();
    List<String> sets = new ArrayList<>(List.of("warehouse.path=" + wh));
    for (int i = 4; i + 1 < a.length; i += 2) {
      sets.add(a[i + 1]);
    }
    CreditRiskConfig base = CreditRiskConfig.load(List.of(), sets);
    // As train builds it (Delta, the local profile of CREDIT_RISK_CONF).
    SparkSession spark = SparkSessions.getOrCreate(base);
    spark.sparkContext().setLogLevel("WARN");
    WarehouseTable md = WarehouseTable.MODEL_DATASET;
    long version = md.currentVersion(spark, base).orElseThrow();
    Dataset<Row> ds = md.readAsOf(spark, base, version, asOf);
    TrainConfig t0 = base.train();
    List<Column> kept = new ArrayList<>();
    for (String f : t0.features()) {
      kept.add(col(f));
    }
    kept.add(col("split"));
    kept.add(col("label"));
    // As TrainModels prepares the rows (class weight none: weight 1); __id pairs two models' oot rows.
    Dataset<Row> eligible = ds.where(col("split").isNotNull()).select(kept.toArray(new Column[0]))
        .withColumn("__label", col("label").cast("double")).withColumn("__weight", lit(1.0))
        .withColumn("__id", monotonically_increasing_id())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> train = eligible.where(col("split").equalTo("train"));
    Dataset<Row> test = eligible.where(col("split").equalTo("test"));
    Dataset<Row> oot = eligible.where(col("split").equalTo("oot"));
    Dataset<Row> trainAndTest = eligible.where(col("split").isin("train", "test"))
        .withColumn("__validation", col("split").equalTo("test"));
    System.out.printf(Locale.ROOT, "rows: train %d, test %d, oot %d%n", train.count(), test.count(), oot.count());
    Method gbt = Class.forName("com.creditrisk.models.ModelPipelines").getDeclaredMethod("gbt", TrainConfig.class);
    gbt.setAccessible(true);
    Method pipelineOf = Class.forName("com.creditrisk.models.Candidate").getDeclaredMethod("pipeline");
    pipelineOf.setAccessible(true);
    int most = Arrays.stream(fixed).max().orElseThrow();
    System.out.println("seed\tdepth\tmodel\ttrees\tfit_s\ttest_auc\ttest_logloss\toot_auc\toot_logloss\toot_auc_minus_train_rule\tdelong_se\tp");
    for (long seed : seeds) {
      List<String> s = new ArrayList<>(sets);
      s.add("train.seed=" + seed);
      TrainConfig t = CreditRiskConfig.load(List.of(), s).train();
      @SuppressWarnings("unchecked")
      List<Object> candidates = (List<Object>) gbt.invoke(null, t);
      for (int d = 0; d < candidates.size(); d++) {
        int depth = t.gbtMaxDepths().get(d);
        Pipeline p = (Pipeline) pipelineOf.invoke(candidates.get(d));
        long c0 = System.nanoTime();
        // As train fits it; a candidate that validates on test is fitted on train and test rows.
        PipelineModel rule = p.fit(trainAndTest);
        double ruleS = (System.nanoTime() - c0) / 1e9;
        GBTClassificationModel ruleGbt = (GBTClassificationModel) rule.stages()[rule.stages().length - 1];
        report(seed, depth, "train_rule", ruleGbt.getNumTrees(), ruleS, rule, null, test, oot);

        PipelineStage[] stages = p.getStages().clone();
        GBTClassifier all = (GBTClassifier) stages[stages.length - 1].copy(new org.apache.spark.ml.param.ParamMap());
        all.clear(all.validationIndicatorCol());
        all.setMaxIter(most);
        stages[stages.length - 1] = all;
        c0 = System.nanoTime();
        PipelineModel full = new Pipeline().setStages(stages).fit(train);
        double fullS = (System.nanoTime() - c0) / 1e9;
        GBTClassificationModel fullGbt = (GBTClassificationModel) full.stages()[full.stages().length - 1];
        for (int k : fixed) {
          report(seed, depth, "fixed_" + k, k, k == most ? fullS : Double.NaN, cut(full, k), rule, test, oot);
        }
        PipelineModel prep = new PipelineModel("prep", Arrays.copyOf(full.stages(), full.stages().length - 1));
        double[] testLoss = fullGbt.evaluateEachIteration(prep.transform(test));
        double[] ootLoss = fullGbt.evaluateEachIteration(prep.transform(oot));
        int bestTest = 0;
        for (int i = 1; i < testLoss.length; i++) {
          if (testLoss[i] < testLoss[bestTest]) {
            bestTest = i;
          }
        }
        // Spark's "logistic" loss is 2 log(1 + exp(-2 y F)), twice the binary log-loss.
        StringBuilder curve = new StringBuilder();
        for (int i = 0; i < testLoss.length; i++) {
          if ((i + 1) % 10 == 0 || i == bestTest || i + 1 == ruleGbt.getNumTrees()) {
            curve.append(String.format(Locale.ROOT, " %d:%.5f/%.5f", i + 1, testLoss[i] / 2, ootLoss[i] / 2));
          }
        }
        System.out.printf(Locale.ROOT, "curve\tseed %d depth %d min test log-loss at %d trees; trees:test/oot log-loss%s%n",
            seed, depth, bestTest + 1, curve);
      }
    }
    spark.stop();
  }

  /** The same pipeline with only the first k trees of its boosted model. */
  static PipelineModel cut(PipelineModel m, int k) {
    Transformer[] stages = m.stages().clone();
    GBTClassificationModel g = (GBTClassificationModel) stages[stages.length - 1];
    GBTClassificationModel c = new GBTClassificationModel(g.uid(),
        Arrays.copyOf(g.trees(), k, DecisionTreeRegressionModel[].class), Arrays.copyOf(g.treeWeights(), k),
        g.numFeatures());
    for (org.apache.spark.ml.param.ParamPair<?> pp : g.extractParamMap().toList()) {
      c.set(pp);
    }
    stages[stages.length - 1] = c;
    return new PipelineModel(m.uid(), stages);
  }

  static void report(long seed, int depth, String name, int trees, double fitS, PipelineModel m, PipelineModel rule,
      Dataset<Row> test, Dataset<Row> oot) {
    double[] te = figures(m, test);
    double[] oo = figures(m, oot);
    String paired = "\t\t";
    if (rule != null) {
      Dataset<Row> both = m.transform(oot).select(ModelKind.GBT.pd(m, 0.0).as("a"), col("__id"), col("__label"))
          .join(rule.transform(oot).select(ModelKind.GBT.pd(rule, 0.0).as("b"), col("__id")), "__id");
      Discrimination.Paired pr = Discrimination.paired(both, "a", "b", "__label");
      paired = String.format(Locale.ROOT, "%+.4f\t%.4f\t%.3g", pr.difference(), pr.se(), pr.pValue());
    }
    System.out.printf(Locale.ROOT, "%d\t%d\t%s\t%d\t%.1f\t%.4f\t%.5f\t%.4f\t%.5f\t%s%n", seed, depth, name, trees, fitS,
        te[0], te[1], oo[0], oo[1], paired);
  }

  static double[] figures(PipelineModel m, Dataset<Row> rows) {
    Dataset<Row> s = m.transform(rows).select(ModelKind.GBT.pd(m, 0.0).as("pd"), col("__label"));
    double auc = Discrimination.compute(s, "pd", "__label").auc();
    double ll = -s.agg(avg(when(col("__label").equalTo(1), log(col("pd")))
        .otherwise(log(lit(1).minus(col("pd")))))).first().getDouble(0);
    return new double[] {auc, ll};
  }
}
