package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.GeneratedWarehouse;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feature source through train and score on generated data: an application-keyed vendor
 * signal that carries the outcome (made from the labels, so it must win), added to a warehouse
 * that was first built without it. train.feature_sources takes all its features; the scorecard
 * selects it, names it in its SQL export and in reason codes, and every model trains on it.
 */
class SourceFeaturesTrainTest {
  static final String AS_OF = "2025-12-31";
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static int run(String command, List<String> sets, String... more) {
    List<String> a = new ArrayList<>(List.of(command, "--as-of", AS_OF));
    sets.forEach(s -> a.addAll(List.of("--set", s)));
    a.addAll(List.of(more));
    return CreditRisk.execute(a.toArray(new String[0]));
  }

  @Test
  void aSourceThatCarriesTheOutcomeIsSelectedScoredAndExplained(@TempDir Path dir) throws Exception {
    List<String> sets = new ArrayList<>(GeneratedWarehouse.generate(dir, 4000));
    assertEquals(0, run("build-dataset", sets));

    // The vendor knows the outcome, blurred: bad +1.5 sd; no data for a fifth of the applications.
    Dataset<Row> md = spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString());
    String vendor = dir.resolve("vendor").toString();
    md.filter(rand(11).gt(0.2))
        .select(col("application_id"),
            randn(7).plus(when(col("label").equalTo(1), 1.5).otherwise(0.0)).as("signal"))
        .write().parquet(vendor);
    sets.addAll(List.of("feature_sources.vendor.path=" + vendor, "feature_sources.vendor.format=parquet",
        "feature_sources.vendor.entity=application", "feature_sources.vendor.kind=application",
        "feature_sources.vendor.attributes=signal", "train.feature_sources=vendor"));
    // The same warehouse: model_dataset gains the source's columns.
    assertEquals(0, run("build-dataset", sets));
    assertEquals(0, run("train", sets));
    assertEquals(0, run("score", sets));

    File runDir = StreamSupport.stream(Files.newDirectoryStream(dir.resolve("wh/runs")).spliterator(), false)
        .map(Path::toFile).filter(f -> new File(f, "model_card.json").isFile()).findFirst().orElseThrow();
    JsonNode card = new ObjectMapper().readTree(new File(runDir, "model_card.json"));
    List<String> candidates = new ArrayList<>();
    card.at("/features/candidates").forEach(n -> candidates.add(n.asText()));
    assertTrue(candidates.containsAll(List.of("vendor__signal", "vendor__missing_reason")), candidates.toString());
    List<String> categorical = new ArrayList<>();
    card.at("/features/categorical").forEach(n -> categorical.add(n.asText()));
    assertTrue(categorical.contains("vendor__missing_reason") && !categorical.contains("vendor__signal"),
        categorical.toString());
    List<String> selected = new ArrayList<>();
    card.at("/scorecard/features").forEach(n -> selected.add(n.asText()));
    assertTrue(selected.contains("vendor__signal"), selected.toString());
    assertTrue(Files.readString(runDir.toPath().resolve("scorecard.sql")).contains("vendor__signal"));
    double scoreOnly = card.at("/models/score_logistic/metrics/oot/auc").asDouble();
    for (String m : List.of("scorecard", "gbt")) {
      double auc = card.at("/models/" + m + "/metrics/oot/auc").asDouble();
      assertTrue(auc > scoreOnly + 0.05, m + " " + auc + " against the score alone " + scoreOnly);
    }
    long explained = spark.read().format("delta").load(dir.resolve("wh/scored_applications").toString())
        .filter("array_contains(reason_codes, 'vendor__signal')")
        .count();
    assertTrue(explained > 0, "reason codes name the source feature");
  }
}
