package com.creditrisk.models;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.TrainConfig;
import com.creditrisk.io.Csv;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The model card of a train run: {@code model_card.json} for tools and {@code model_card.md} for
 * people, plus the scorecard as {@code scorecard.csv}, {@code scorecard.json} and
 * {@code scorecard.sql} (one Spark SQL expression that scores model_dataset with no Java code).
 */
public final class ModelCard {
  private ModelCard() {}

  record Content(String runId, LocalDate asOf, CreditRiskConfig conf, TrainConfig train, String modelDatasetPath,
      long modelDatasetVersion,
      List<String> buildRuns, Map<String, Map<String, Long>> rows, Map<String, TrainModels.ModelResult> models,
      Scorecard.Selected selection, Scorecard.Points points, Instant started, Map<String, Long> timings) {}

  /** Writes every file and returns the path of model_card.json. */
  static String write(SparkSession spark, String runDir, Content c) throws IOException {
    // The settings train used: train.features with the feature sources' features resolved.
    TrainConfig t = c.train();
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("run_id", c.runId());
    card.put("command", "train");
    card.put("as_of_date", c.asOf().toString());
    card.put("code_version", RunFolder.codeVersion());
    card.put("spark_version", spark.version());
    card.put("config_fingerprint", c.conf().fingerprint());
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("path", c.modelDatasetPath());
    dataset.put("delta_version", c.modelDatasetVersion());
    data.put("model_dataset", dataset);
    data.put("build_runs", c.buildRuns());
    // The input versions the dataset was built from, as build-dataset recorded them.
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (String build : c.buildRuns()) {
      JsonNode run = RunFolder.readJson(spark, RunFolder.path(c.conf(), build), "run.json").orElse(null);
      inputs.put(build, run == null ? "run.json not found" : run.get("inputs"));
    }
    data.put("inputs", inputs);
    data.put("rows_by_split_and_status", c.rows());
    data.put("training_rows", "split = train (mature labelled rows unless label.use = all); tuning on test; "
        + "every figure also on oot");
    card.put("training_data", data);
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("candidates", t.features());
    features.put("categorical", t.categoricalFeatures());
    card.put("features", features);
    card.put("parameters", c.conf().toMap().get("train"));
    card.put("scaling", scaling(t.scaling()));
    Map<String, Object> models = new LinkedHashMap<>();
    for (TrainModels.ModelResult m : c.models().values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", m.path());
      e.put("chosen_params", m.params().toJson());
      e.put("tuning", m.tuning().stream().map(Trial::toJson).toList());
      Map<String, Object> metrics = new LinkedHashMap<>();
      m.metrics().forEach((split, r) -> metrics.put(split, metrics(r)));
      e.put("metrics", metrics);
      models.put(m.name(), e);
    }
    card.put("models", models);
    if (c.points() != null) {
      Map<String, Object> sc = new LinkedHashMap<>();
      sc.put("selection", c.selection().decisions());
      sc.put("features", c.points().features());
      sc.put("intercept", c.points().intercept());
      sc.put("base_points_per_feature", c.points().basePoints());
      sc.put("lines", c.points().lines());
      sc.put("files", List.of("scorecard.csv", "scorecard.json", "scorecard.sql"));
      card.put("scorecard", sc);
      RunFolder.writeJson(spark, runDir, "scorecard.json", sc);
      RunFolder.writeText(spark, runDir, "scorecard.csv", csv(c.points().lines()));
      RunFolder.writeText(spark, runDir, "scorecard.sql", "-- Scorecard of run " + c.runId()
          + ": scores any table with the model_dataset columns it names.\n"
          + "-- PD from the score: 1 / (1 + exp((score - " + t.scaling().offset() + ") / " + t.scaling().factor() + "))\n"
          + "SELECT *,\n" + c.points().scoreSql() + "\n AS scorecard_score\nFROM model_dataset\n");
    }
    card.put("started_at", c.started().toString());
    card.put("finished_at", Instant.now().toString());
    card.put("timings_ms", c.timings());
    RunFolder.writeText(spark, runDir, "model_card.md", markdown(c));
    return RunFolder.writeJson(spark, runDir, "model_card.json", card);
  }

  static Map<String, Object> scaling(TrainConfig.PointsScaling s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("base_score", s.baseScore());
    m.put("base_odds", s.baseOdds());
    m.put("pdo", s.pdo());
    m.put("factor", s.factor());
    m.put("offset", s.offset());
    return m;
  }

  /**
   * One split's discrimination in model_card.json. ks_at_pd is the PD at which the KS gap between
   * the bads' and the goods' PD distributions peaks: a PD, not a KS (it was ks_pd, read as one).
   */
  static Map<String, Object> metrics(Discrimination.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", r.n());
    m.put("n_bad", r.nBad());
    m.put("auc", finite(r.auc()));
    m.put("gini", finite(r.gini()));
    m.put("ks", finite(r.ks()));
    m.put("ks_at_pd", r.ksScore());
    return m;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static String csv(List<Scorecard.Line> lines) {
    StringBuilder sb = new StringBuilder("feature,bin,range_or_levels,kind,count,bads,bad_rate,woe,coefficient,points\n");
    for (Scorecard.Line l : lines) {
      sb.append(Csv.quoted(l.feature())).append(',').append(l.bin()).append(',').append(Csv.quoted(l.binLabel()))
          .append(',')
          .append(l.kind()).append(',').append(l.count()).append(',').append(l.bads()).append(',')
          .append(l.badRate()).append(',').append(l.woe()).append(',').append(l.coefficient()).append(',')
          .append(l.points()).append('\n');
    }
    return sb.toString();
  }

  private static String markdown(Content c) {
    StringBuilder md = new StringBuilder();
    md.append("# Model card: run ").append(c.runId()).append("\n\n");
    md.append("As of ").append(c.asOf()).append(". Trained on the train split of `model_dataset` (Delta version ")
        .append(c.modelDatasetVersion()).append("), tuned on test, checked out of time (oot).\n\n");
    md.append("## Rows by split and status\n\n| split | status | rows |\n|---|---|---:|\n");
    c.rows().forEach((split, byStatus) -> byStatus.forEach((status, n) ->
        md.append("| ").append(split).append(" | ").append(status).append(" | ").append(n).append(" |\n")));
    md.append("\n## Discrimination (exact AUC, Gini, KS)\n\n| model | chosen | split | rows | bads | AUC | Gini | KS |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|\n");
    for (TrainModels.ModelResult m : c.models().values()) {
      m.metrics().forEach((split, r) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.4f | %.4f | %.4f |%n",
          m.name(), m.params().isEmpty() ? "-" : m.params(), split, r.n(), r.nBad(), r.auc(), r.gini(), r.ks())));
    }
    if (c.points() != null) {
      md.append("\n## Scorecard\n\nFeature selection (IV on train):\n\n| feature | IV | in | reason |\n|---|---:|---|---|\n");
      for (Scorecard.Selection s : c.selection().decisions()) {
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %s | %s |%n", mdCell(s.feature()), s.iv(),
            s.selected() ? "yes" : "no", mdCell(s.reason())));
      }
      TrainConfig.PointsScaling s = c.conf().train().scaling();
      md.append(String.format(Locale.ROOT, "%nPoints: %.0f at odds %.0f:1, %.0f more double the odds. Intercept %.6f.%n%n",
          s.baseScore(), s.baseOdds(), s.pdo(), c.points().intercept()));
      md.append(scorecardTable(c.points().lines()));
      md.append("\nThe same scorecard as one SQL expression: `scorecard.sql`; as tables: `scorecard.csv`, `scorecard.json`.\n");
    }
    return md.toString();
  }

  /** The scorecard's points per bin as a Markdown table; levels and feature names are data, escaped. */
  static String scorecardTable(List<Scorecard.Line> lines) {
    StringBuilder md = new StringBuilder("| feature | bin | rows | bad rate | WoE | points |\n|---|---|---:|---:|---:|---:|\n");
    for (Scorecard.Line l : lines) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %.1f |%n", mdCell(l.feature()),
          mdCell(l.binLabel()), l.count(), l.badRate(), l.woe(), l.points()));
    }
    return md.toString();
  }

  /**
   * A data value (a level, a feature name) as one Markdown table cell that renders as its text:
   * Markdown passes raw HTML through, so a product named {@code <img src=x onerror=alert(1)>}
   * would run in a viewer; a {@code |} would split the cell, a newline end the row, and {@code *},
   * {@code _}, a backtick or brackets would format or link the text. HTML's specials become
   * entities, Markdown's are backslash-escaped.
   */
  static String mdCell(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\n', '\r' -> out.append(' ');
        case '|', '\\', '`', '*', '_', '[', ']', '#', '~' -> out.append('\\').append(ch);
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
