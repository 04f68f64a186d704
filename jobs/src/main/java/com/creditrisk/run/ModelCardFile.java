package com.creditrisk.run;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig.PointsScaling;
import com.creditrisk.errors.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What the later stages read of a train run's {@code model_card.json}: the models in the order
 * they were trained, the points scaling and each model's development (test) AUC. The one reader
 * of that file; {@code models.ModelCard} is its one writer.
 *
 * @param runId the train run
 * @param runDir its run folder
 * @param models the model names, in the card's order
 * @param scaling the points scaling the scorecard and model scores use
 * @param testAuc each model's AUC on the test split, absent when the card holds none (e.g. one class)
 * @param scorecardFeatures the features the scorecard selected, in the card's order; empty without a scorecard
 */
public record ModelCardFile(String runId, String runDir, List<String> models, PointsScaling scaling,
    Map<String, Double> testAuc, List<String> scorecardFeatures) {
  public static final String FILE = "model_card.json";

  public ModelCardFile {
    models = List.copyOf(models);
    testAuc = Collections.unmodifiableMap(new LinkedHashMap<>(testAuc));
    scorecardFeatures = List.copyOf(scorecardFeatures);
  }

  /**
   * Reads the card of run {@code runId}; exit 3 naming {@code action} when the run has none (train
   * has not run, or the run id names no train run).
   */
  public static ModelCardFile read(SparkSession spark, CreditRiskConfig conf, String runId, String action) {
    String runDir = RunFolder.path(conf, runId);
    JsonNode card;
    try {
      card = RunFolder.readJson(spark, runDir, FILE).orElseThrow(() -> Errors.missingStageOutput(action,
          "the model card of run " + runId, runDir + "/" + FILE,
          "run train first, or name a run that has models with --model"));
    } catch (IOException e) {
      throw Errors.cannot("read " + runDir + "/" + FILE, e);
    }
    List<String> models = new ArrayList<>();
    card.get("models").fieldNames().forEachRemaining(models::add);
    JsonNode s = card.get("scaling");
    PointsScaling scaling = new PointsScaling(s.get("base_score").asDouble(), s.get("base_odds").asDouble(),
        s.get("pdo").asDouble());
    List<String> scorecardFeatures = new ArrayList<>();
    card.at("/scorecard/features").forEach(f -> scorecardFeatures.add(f.asText()));
    return new ModelCardFile(runId, runDir, models, scaling, testMetric(card, models, "auc"), scorecardFeatures);
  }

  /**
   * The test-split {@code metric} (auc, ks, ...) of each model of run {@code runId}'s card, the
   * development figure later runs are compared with; empty when the run has no card (monitor reads
   * history whose train runs may have been archived).
   */
  public static Map<String, Double> testMetric(SparkSession spark, CreditRiskConfig conf, String runId,
      String metric) {
    String runDir = RunFolder.path(conf, runId);
    try {
      Optional<JsonNode> card = RunFolder.readJson(spark, runDir, FILE);
      if (card.isEmpty()) {
        return Map.of();
      }
      List<String> models = new ArrayList<>();
      card.get().get("models").fieldNames().forEachRemaining(models::add);
      return testMetric(card.get(), models, metric);
    } catch (IOException e) {
      throw Errors.cannot("read " + runDir + "/" + FILE, e);
    }
  }

  private static Map<String, Double> testMetric(JsonNode card, List<String> models, String metric) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String m : models) {
      JsonNode a = card.at("/models/" + m + "/metrics/test/" + metric);
      if (a.isNumber()) {
        out.put(m, a.asDouble());
      }
    }
    return out;
  }

  /**
   * The latest as-of date on or before {@code asOf} with a train run of this config: a run folder
   * of the config's fingerprint that holds a model card.
   */
  public static Optional<LocalDate> latestTrainRun(SparkSession spark, CreditRiskConfig conf, LocalDate asOf) {
    Path runs = new Path(RunFolder.root(conf));
    String suffix = "-" + conf.fingerprint();
    try {
      FileSystem fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(runs)) {
        return Optional.empty();
      }
      LocalDate best = null;
      for (FileStatus s : fs.listStatus(runs)) {
        String name = s.getPath().getName();
        if (!s.isDirectory() || !name.endsWith(suffix) || !fs.exists(new Path(s.getPath(), FILE))) {
          continue;
        }
        try {
          LocalDate d = LocalDate.parse(name.substring(0, name.length() - suffix.length()));
          if (!d.isAfter(asOf) && (best == null || d.isAfter(best))) {
            best = d;
          }
        } catch (DateTimeParseException e) {
          // Not a run folder of ours.
        }
      }
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw Errors.cannot("list " + runs, e);
    }
  }

  /** The model's development AUC, if the card has one. */
  public Optional<Double> developmentAuc(String model) {
    return Optional.ofNullable(testAuc.get(model));
  }
}
