package com.creditrisk.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.GeneratedWarehouse;
import com.creditrisk.SignalAndNoiseSources;
import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.FeatureSource;
import com.creditrisk.pipeline.PipelineRun;
import com.creditrisk.run.SourcesFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} with two feature sources on generated data: a vendor signal made from the outcome
 * (an application source) and customer events of pure noise. The run values them between
 * calibrate and validate, prints the table, and validation shows their value and the CSI of
 * their features.
 */
class RunWithSourcesTest {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  @TempDir static Path dir;
  static SparkSession spark;
  static CreditRiskConfig conf;
  static PipelineRun.Result run;
  static String printed;

  @BeforeAll
  static void runWithSources() {
    spark = TestSpark.get();
    List<String> sets = new ArrayList<>(GeneratedWarehouse.generate(dir, 3000));
    List<String> args = new ArrayList<>(List.of("build-dataset", "--as-of", AS_OF.toString()));
    sets.forEach(s -> args.addAll(List.of("--set", s)));
    assertEquals(0, CreditRisk.execute(args.toArray(new String[0])));
    sets.addAll(SignalAndNoiseSources.write(spark, dir));
    conf = CreditRiskConfig.defaults().with(sets);
    run = PipelineRun.run(spark, new PipelineRun.Input(conf, AS_OF, true));
    StringWriter out = new StringWriter();
    RunCommand.print(new PrintWriter(out), conf, run);
    printed = out.toString();
  }

  @Test
  void valuesTheSourcesBetweenCalibrateAndValidateAndRecordsTheirFigures() {
    assertEquals(List.of("build-dataset", "train", "score", "calibrate", "evaluate-sources", "validate"),
        run.stages().stream().map(PipelineRun.Stage::name).toList());
    PipelineRun.SourcesFigures figures = (PipelineRun.SourcesFigures) run.stages().get(4).figures();
    SourcesFile file = SourcesFile.read(spark, run.runDir()).orElseThrow();
    assertEquals(List.of("noise", "vendor"), figures.sources().stream().map(PipelineRun.SourceFigures::source).toList());
    for (int i = 0; i < 2; i++) {
      PipelineRun.SourceFigures f = figures.sources().get(i);
      SourcesFile.Source s = file.sources().get(i);
      assertEquals(s.name(), f.source());
      assertEquals(s.overOtherSources().difference(), f.aucGain(), 1e-12);
      assertEquals(List.of(s.overOtherSources().ciLow(), s.overOtherSources().ciHigh()), f.aucGainCi95());
      assertEquals(s.overOtherSources().pValue(), f.pValue(), 1e-12);
      assertEquals(s.valuePer1000(), f.valuePer1000(), 1e-9);
      assertEquals(s.verdict(), f.verdict());
    }
    // The signal is made from the outcome: it pays, free of charge. (The noise's verdict is left
    // alone: on this few loans its fitted noise can cost AUC significantly.)
    assertEquals("pays", figures.sources().get(1).verdict(), figures.toString());
    assertTrue(figures.sources().get(1).aucGain() > 0.05 && figures.sources().get(1).pValue() < 1e-3,
        figures.toString());
    assertEquals(file.rows(), figures.rows());
  }

  @Test
  void printsTheValueOfEachSourceAfterTheCutoffsAndBeforeValidation() {
    int cutoffs = printed.indexOf("Strategy curve:");
    int sources = printed.indexOf("value of each feature source");
    int validated = printed.indexOf("Validated the models");
    assertTrue(cutoffs >= 0 && cutoffs < sources && sources < validated, printed);
    assertTrue(printed.contains("\n  vendor "), printed);
    assertTrue(printed.contains("\n  noise "), printed);
    assertTrue(printed.contains("  evaluate-sources "), "the stage's time is listed: " + printed);
  }

  @Test
  void theReportShowsTheValueOfEachSourceAndTheCsiOfItsFeatures() throws Exception {
    String html = Files.readString(Path.of(run.validated().reportPath()));
    String value = section(html, "sec-source-value");
    assertTrue(value.contains("<h2>Value of each data source</h2>"), value);
    assertTrue(value.contains("<svg "), "the chart of AUC gain and its CI");
    SourcesFile file = SourcesFile.read(spark, run.runDir()).orElseThrow();
    for (SourcesFile.Source s : file.sources()) {
      assertTrue(value.contains("<tr><td>" + s.name() + "</td><td class=\"num\">"
          + String.format(java.util.Locale.ROOT, "%.1f%%", 100 * s.coverage()) + "</td>"), value);
      assertTrue(value.contains(String.format(java.util.Locale.ROOT, "<td class=\"num\">%+.2f</td><td>%s</td></tr>",
          s.valuePer1000(), s.verdict())), value);
    }
    String csi = section(html, "sec-source-csi");
    assertTrue(csi.contains("<svg ") && csi.contains("<td>vendor__signal</td>"), csi);
  }

  @Test
  void csiOfASourceFeatureMatchesAnIndependentComputation() throws Exception {
    JsonNode metrics = new ObjectMapper().readTree(new File(run.runDir(), "metrics.json"));
    JsonNode csi = metrics.at("/feature_sources/csi");
    Dataset<Row> md = spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString())
        .where(col("as_of_date").equalTo(AS_OF.toString()));
    Set<String> numeric = new HashSet<>();
    for (FeatureSource s : conf.featureSources().values()) {
      s.featureColumns().stream().filter(c -> md.schema().apply(c).dataType() instanceof NumericType)
          .forEach(numeric::add);
    }
    Set<String> listed = new HashSet<>();
    csi.fieldNames().forEachRemaining(listed::add);
    assertEquals(numeric, listed, "every numeric source feature, and no text one");
    assertTrue(metrics.at("/feature_sources/value/1/verdict").asText().equals("pays"), metrics.toString());

    // By hand: development months are those holding train rows; deciles of the baseline by the
    // order statistic x_(ceil(k n / 10)), right-closed bins, an empty share taken as 1e-4.
    List<Row> rows = md.select("application_month", "split", "vendor__signal").collectAsList();
    Set<String> devMonths = new HashSet<>();
    rows.stream().filter(r -> "train".equals(r.getString(1))).forEach(r -> devMonths.add(r.getString(0)));
    double[] base = rows.stream().filter(r -> devMonths.contains(r.getString(0)) && !r.isNullAt(2))
        .mapToDouble(r -> r.getDouble(2)).sorted().toArray();
    double[] cur = rows.stream().filter(r -> !devMonths.contains(r.getString(0)) && !r.isNullAt(2))
        .mapToDouble(r -> r.getDouble(2)).toArray();
    double[] cuts = java.util.stream.IntStream.range(1, 10)
        .mapToDouble(k -> base[(int) Math.ceil(k * base.length / 10.0) - 1]).distinct().toArray();
    double expected = 0;
    for (int b = 0; b <= cuts.length; b++) {
      double e = share(base, cuts, b);
      double a = share(cur, cuts, b);
      expected += (a - e) * Math.log(a / e);
    }
    JsonNode signal = csi.get("vendor__signal");
    assertEquals(base.length, signal.get("baseline_rows").asLong());
    assertEquals(cur.length, signal.get("current_rows").asLong());
    assertEquals(expected, signal.get("value").asDouble(), 1e-12);
  }

  private static double share(double[] values, double[] cuts, int bin) {
    long n = Arrays.stream(values).filter(v -> binOf(v, cuts) == bin).count();
    return n == 0 ? 1e-4 : (double) n / values.length;
  }

  private static int binOf(double v, double[] cuts) {
    int b = 0;
    while (b < cuts.length && v > cuts[b]) {
      b++;
    }
    return b;
  }

  private static String section(String html, String id) {
    int start = html.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, "section " + id + " is in the report");
    int end = html.indexOf("</section>", start);
    return html.substring(start, end);
  }
}
