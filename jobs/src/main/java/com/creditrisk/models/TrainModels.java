package com.creditrisk.models;

import static com.creditrisk.run.Timings.timed;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.run.FinishedBuilds;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train}: fits every configured model on the train split of model_dataset as of a date,
 * tunes on test, reports AUC, Gini and KS on train, test and oot, and writes the models
 * ({@code PipelineModel}s), the scorecard and a model card into the run folder.
 *
 * <p>The run folder is the one build-dataset uses for the same as-of date and config. Models are
 * written to a temporary folder first and moved into place at the end, so a failed run leaves the
 * previous models of that run folder as they were.
 */
public final class TrainModels {
  private static final Logger LOG = LoggerFactory.getLogger(TrainModels.class);
  public static final List<String> SPLITS = List.of("train", "test", "oot");

  private TrainModels() {}

  public record Input(CreditRiskConfig conf, LocalDate asOf) {}

  /**
   * @param params the chosen setting of the tuned parameters
   * @param tuning every setting tried, with its test AUC
   * @param metrics AUC, Gini and KS per split
   */
  public record ModelResult(String name, TunedParams params, List<Trial> tuning,
      Map<String, Discrimination.Result> metrics, String path) {}

  public record Result(String runId, String runDir, String modelCard, Map<String, ModelResult> models,
      Map<String, Map<String, Long>> rowsBySplitAndStatus) {}

  /**
   * train.features plus every feature of the sources named in train.feature_sources; a source
   * feature holding text (its missing reason, a text attribute) is categorical.
   */
  static TrainConfig withSourceFeatures(CreditRiskConfig conf, StructType schema) {
    TrainConfig t = conf.train();
    if (t.featureSources().isEmpty()) {
      return t;
    }
    List<String> features = new ArrayList<>(t.features());
    List<String> categorical = new ArrayList<>(t.categoricalFeatures());
    for (String name : t.featureSources()) {
      for (String f : conf.featureSources().get(name).featureColumns()) {
        if (features.contains(f)) {
          continue;
        }
        features.add(f);
        if (List.of(schema.fieldNames()).contains(f) && schema.apply(f).dataType().equals(DataTypes.StringType)) {
          categorical.add(f);
        }
      }
    }
    return t.withFeatures(features, categorical);
  }

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    Instant started = Instant.now();
    Map<String, Long> timings = new LinkedHashMap<>();
    String runId = RunFolder.runId(in.asOf(), conf);
    String runDir = RunFolder.path(conf, runId);
    WarehouseTable md = WarehouseTable.MODEL_DATASET;
    String mdPath = md.path(conf);
    String action = "train as of " + in.asOf();
    String buildFirst = "run build-dataset --as-of " + in.asOf() + " first";
    long version = FinishedBuilds.requireVersion(spark, conf, md, in.asOf(), action);
    Dataset<Row> dataset = md.readAsOf(spark, conf, version, in.asOf());
    TrainConfig t = withSourceFeatures(conf, dataset.schema());
    List<String> missing = new ArrayList<>();
    for (String f : t.features()) {
      if (!List.of(dataset.columns()).contains(f)) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.badConfigValue("train.features", missing, "columns of model_dataset");
    }

    Map<String, Map<String, Long>> counts = new TreeMap<>();
    List<String> buildRuns = new ArrayList<>();
    timed(timings, "count_rows", () -> {
      for (Row r : dataset.groupBy(col("split"), col("status"), col("run_id")).agg(count(lit(1))).collectAsList()) {
        String split = r.isNullAt(0) ? "none" : r.getString(0);
        counts.computeIfAbsent(split, k -> new TreeMap<>()).merge(r.getString(1), r.getLong(3), Long::sum);
        if (!buildRuns.contains(r.getString(2))) {
          buildRuns.add(r.getString(2));
        }
      }
      return null;
    });
    if (counts.isEmpty()) {
      throw Errors.missingStageOutput(action, "rows of " + md.tableName() + " as of " + in.asOf(), mdPath,
          buildFirst);
    }
    for (String s : List.of("train", "test")) {
      Map<String, Long> c = counts.getOrDefault(s, Map.of());
      if (c.getOrDefault("bad", 0L) == 0 || c.getOrDefault("good", 0L) == 0) {
        throw Errors.unusableStageInput(action, md.tableName(), "has no " + (c.getOrDefault("bad", 0L) == 0 ? "bad" : "good")
            + " rows in the " + s + " split as of " + in.asOf() + " (rows by status: " + c
            + "); a model needs both classes in train and test");
      }
    }

    Map<String, Long> train = counts.get("train");
    long n = train.get("bad") + train.get("good");
    Column weight = t.balancedWeights()
        ? when(col("label").equalTo(1), lit(n / (2.0 * train.get("bad")))).otherwise(lit(n / (2.0 * train.get("good"))))
        : lit(1.0);
    // Only what the fits and the metrics read is kept: the features, the split and the label.
    List<Column> kept = new ArrayList<>();
    for (String f : t.features()) {
      kept.add(col(f));
    }
    if (!t.features().contains("score_at_application")) {
      kept.add(col("score_at_application")); // the baselines' one input
    }
    kept.add(col("split"));
    kept.add(col("label"));
    Dataset<Row> eligible = dataset.where(col("split").isNotNull())
        .select(kept.toArray(new Column[0]))
        .withColumn(ModelKind.LABEL, col("label").cast("double"))
        .withColumn(ModelKind.WEIGHT, weight)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Dataset<Row>> splits = new LinkedHashMap<>();
    for (String s : SPLITS) {
      splits.put(s, eligible.where(col("split").equalTo(s)));
    }

    Dataset<Row> trainAndTest = eligible.where(col("split").isin("train", "test"))
        .withColumn(ModelKind.VALIDATION, col("split").equalTo("test"));
    String tmpModels = runDir + "/.models-" + java.util.UUID.randomUUID();
    Map<String, ModelResult> results = new LinkedHashMap<>();
    Scorecard.Selected selection = null;
    Scorecard.Points points = null;
    try {
      for (String name : t.models()) {
        ModelKind kind = ModelKind.of(name);
        spark.sparkContext().setJobGroup("train-" + in.asOf(), "train " + name + " as of " + in.asOf(), false);
        long t0 = System.nanoTime();
        List<Candidate> candidates = switch (kind) {
          case SCORE_LOGISTIC -> ModelPipelines.scoreLogistic(t, conf.scoreMin());
          case SCORE_ISOTONIC -> ModelPipelines.scoreIsotonic(t, conf.scoreMin());
          case GBT -> ModelPipelines.gbt(t);
          case SCORECARD -> {
            selection = Scorecard.select(t, splits.get("train"));
            yield Scorecard.candidates(t, selection.features(), splits.get("train"));
          }
        };
        double floor = conf.calibrate().pdFloor();
        Tuned tuned = tune(kind, candidates, splits.get("train"), splits.get("test"), trainAndTest, floor, t);
        Map<String, Discrimination.Result> metrics = new LinkedHashMap<>();
        for (String s : SPLITS) {
          // The PD score writes, floored: the card's figures are those of the PDs users get.
          metrics.put(s, Discrimination.compute(tuned.model().transform(splits.get(s)).select(
              kind.pd(tuned.model(), floor).as("pd"),
              col(ModelKind.LABEL)), "pd", ModelKind.LABEL));
        }
        String path = tmpModels + "/" + name;
        tuned.model().write().overwrite().save(path);
        if (kind == ModelKind.SCORECARD) {
          points = new Scorecard.Points(tuned.model(), t.scaling());
        }
        timings.put("train_" + name, (System.nanoTime() - t0) / 1_000_000);
        LOG.info("{}: chose {}; oot AUC {}", name, tuned.params(), metrics.get("oot").auc());
        results.put(name, new ModelResult(name, tuned.params(), tuned.tuning(), metrics, runDir + "/models/" + name));
      }
      RunFolder.replaceFolder(spark, tmpModels, runDir + "/models");
      String card = ModelCard.write(spark, runDir, new ModelCard.Content(runId, in.asOf(), conf, t, mdPath, version,
          buildRuns, counts, results, selection, points, started, timings));
      return new Result(runId, runDir, card, results, counts);
    } catch (IOException e) {
      throw Errors.cannot("write the models of run " + runId, e);
    } finally {
      deleteQuietly(spark, tmpModels);
      eligible.unpersist(false);
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The fitted candidate with the best test AUC (the first one on a tie), and every candidate's figure. */
  record Tuned(PipelineModel model, TunedParams params, List<Trial> tuning) {}

  static Tuned tune(ModelKind kind, List<Candidate> candidates, Dataset<Row> train, Dataset<Row> test,
      Dataset<Row> trainAndTest, double pdFloor, TrainConfig t) {
    PipelineModel best = null;
    TunedParams bestParams = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    List<Trial> tried = new ArrayList<>();
    for (Candidate c : candidates) {
      PipelineModel m = c.pipeline().fit(c.validatesOnTest() ? trainAndTest : train);
      if (kind == ModelKind.GBT && t.gbtPatience() > 0) {
        m = BoostingStop.keepBest(m, test, t.gbtPatience(), t.gbtValidationTol());
      }
      double auc = candidates.size() == 1 ? Double.NaN
          : Discrimination.compute(m.transform(test).select(kind.pd(m, pdFloor).as("pd"), col(ModelKind.LABEL)), "pd",
              ModelKind.LABEL).auc();
      Integer trees = null;
      if (m.stages()[m.stages().length - 1] instanceof GBTClassificationModel gbt) {
        trees = gbt.getNumTrees();
        logBoostingStop(gbt, t.gbtPatience());
      }
      tried.add(new Trial(c.params(), trees, Double.isNaN(auc) ? null : auc));
      if (best == null || auc > bestAuc) {
        best = m;
        bestParams = c.params();
        bestAuc = auc;
      }
    }
    return new Tuned(best, bestParams, tried);
  }

  /*
   * Spark 4.2 warns "tree models size ... exceeds threshold (0 bytes)" whenever validation-based
   * early stopping ends a GBT fit (its size check shares the stop flag and ignores a 0, i.e. off,
   * threshold); that logger is silenced in credit-risk-log4j2.properties and this line says what
   * really stopped the boosting. Both rules keep the trees up to the best test log-loss, so fewer
   * trees than maxIter means the boosting stopped early.
   */
  private static void logBoostingStop(GBTClassificationModel gbt, int patience) {
    String rule = patience == 0 ? "Spark's validation stopping" : "patience " + patience;
    if (gbt.getNumTrees() < gbt.getMaxIter()) {
      LOG.info("gbt (max_depth {}): {} kept {} of maxIter {} trees (validation_tol {})",
          gbt.getMaxDepth(), rule, gbt.getNumTrees(), gbt.getMaxIter(), gbt.getValidationTol());
    } else {
      LOG.info("gbt (max_depth {}): {} kept all maxIter {} trees (validation_tol {})",
          gbt.getMaxDepth(), rule, gbt.getMaxIter(), gbt.getValidationTol());
    }
  }

  private static void deleteQuietly(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", path, e.getMessage());
    }
  }
}
