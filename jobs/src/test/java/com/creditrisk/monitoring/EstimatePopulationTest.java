package com.creditrisk.monitoring;

import static com.creditrisk.Rows.df;
import static com.creditrisk.Rows.row;
import static com.creditrisk.Rows.schema;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.metrics.ExpectedPerformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Which applications monitor's estimate from the PDs is made over, and why that population and no other. */
class EstimatePopulationTest {
  private static final StructType SLICE = schema("draw int", "application_id string", "application_month string",
      "model string", "pd double", "status string", "label int", "final_label int");
  private static final StructType PERFORMANCE = schema("application_id string", "mature boolean");

  /**
   * One row of each kind: I immature and E bad early (windows open: in); M bad at maturity and G
   * good (windows ended: out); R rejected (no loan: out); U bad without a loan_performance row
   * (window unknown: out, and counted as such).
   */
  @Test
  void thePopulationIsEveryDisbursedApplicationWhoseWindowIsOpenBadEarlyOrNot() {
    Dataset<Row> slice = df(SLICE,
        row(0, "I", "2026-01", "m", 0.1, "immature", null, null),
        row(0, "E", "2026-01", "m", 0.2, "bad", 1, null),
        row(0, "M", "2025-06", "m", 0.3, "bad", 1, null),
        row(0, "G", "2025-06", "m", 0.4, "good", 0, null),
        row(0, "R", "2026-01", "m", 0.5, "rejected", null, null),
        row(0, "U", "2026-01", "m", 0.6, "bad", 1, null));
    Dataset<Row> performance = df(PERFORMANCE, row("I", false), row("E", false), row("M", true), row("G", true));
    Dataset<Row> marked = EstimatePopulation.mark(slice, performance);

    assertEquals(new TreeSet<>(List.of("E", "I")), new TreeSet<>(EstimatePopulation.of(marked)
        .select("application_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
    Map<String, EstimatePopulation.Counts> counts = EstimatePopulation.counts(EstimatePopulation.groups(
        marked.withColumn(EstimatePopulation.AS_OF, org.apache.spark.sql.functions.lit(java.sql.Date.valueOf(
            "2026-01-31"))))).get(java.time.LocalDate.parse("2026-01-31"));
    assertEquals(new EstimatePopulation.Counts(2, 1, 1, 1), counts.get("m|2026-01"));
    assertEquals(new EstimatePopulation.Counts(0, 0, 0, 0), counts.get("m|2025-06"));
  }

  private static final int DRAWS = 400;
  private static final int OPEN = 200;
  private static final int MATURED = 50;

  /**
   * The simulation of issue 15's defect. Each draw: {@value #OPEN} applications whose windows are
   * open at the as-of date, PD from .02 to .38 (mean .2), each at its own point of its window (5% to
   * 95% elapsed), and {@value #MATURED} whose windows have ended. A bad's default falls uniformly
   * over its window; it is known at the as-of date when it fell in the elapsed part. The final label
   * is the one the window ends with.
   *
   * <p>Over the population, the estimate (the mean PD, as {@link ExpectedPerformance} computes it)
   * is the same every draw and the final bad rates scatter around it: their mean is within 3
   * standard errors of the mean of it, and their spread is the estimate's SE. Over the immature
   * applications only, the survivors, the estimate misses their final bad rate by far more.
   */
  @Test
  void overTheOpenWindowsTheEstimateIsTheFinalBadRateOnAverageAndOverTheImmatureOnlyItIsBiased() {
    Random rnd = new Random(15);
    List<Object[]> rows = new ArrayList<>();
    List<Object[]> windows = new ArrayList<>();
    for (int d = 0; d < DRAWS; d++) {
      for (int i = 0; i < OPEN + MATURED; i++) {
        boolean open = i < OPEN;
        double pd = 0.02 + 0.36 * (i % OPEN) / (OPEN - 1);
        double elapsed = open ? 0.05 + 0.9 * ((i * 7) % 20) / 19.0 : 1.0;
        boolean bad = rnd.nextDouble() < pd;
        boolean known = bad && rnd.nextDouble() <= elapsed;
        String status = known ? "bad" : open ? "immature" : "good";
        String id = d + "-" + i;
        rows.add(row(d, id, open ? "2026-01" : "2025-06", "m", pd, status, known ? Integer.valueOf(1)
            : open ? null : Integer.valueOf(0), bad ? 1 : 0));
        windows.add(row(id, !open));
      }
    }
    Dataset<Row> slice = df(SLICE, rows.toArray(Object[][]::new));
    Dataset<Row> population = EstimatePopulation.of(EstimatePopulation.mark(slice,
        df(PERFORMANCE, windows.toArray(Object[][]::new))));

    ExpectedPerformance.Estimate estimate = ExpectedPerformance.estimate(population.where(col("draw").equalTo(0)),
        new ExpectedPerformance.Input("scored_applications", "pd", null, 1000)).all();
    assertEquals(OPEN, estimate.n(), "every open window, early bads included; no matured one");
    assertEquals(0.2, estimate.badRate(), 1e-12);

    double[] errors = errors(population, estimate.badRate());
    double meanError = mean(errors);
    double seOfMean = estimate.badRateSe() / Math.sqrt(DRAWS);
    assertTrue(Math.abs(meanError) <= 3 * seOfMean, String.format(Locale.ROOT,
        "mean error %.5f over %d draws, SE of the mean %.5f", meanError, DRAWS, seOfMean));
    double spread = Math.sqrt(errors.length * (mean(square(errors)) - meanError * meanError) / (errors.length - 1));
    assertEquals(estimate.badRateSe(), spread, 0.1 * estimate.badRateSe(), "the stated SE is the spread");

    double oldMeanError = mean(errors(slice.where(col("status").equalTo("immature")), Double.NaN));
    assertTrue(oldMeanError < -10 * seOfMean, String.format(Locale.ROOT,
        "over the immature only the estimate overstates their final bad rate: mean error %.5f, SE of the mean "
        + "%.5f", oldMeanError, seOfMean));
  }

  /**
   * Per draw, the final bad rate minus the estimate: {@code estimate} when it is the same every
   * draw, else (NaN) the draw's own mean PD.
   */
  private static double[] errors(Dataset<Row> rows, double estimate) {
    List<Row> perDraw = rows.groupBy("draw").agg(count(lit(1)), avg("pd"), avg("final_label")).orderBy("draw")
        .collectAsList();
    assertEquals(DRAWS, perDraw.size());
    double[] out = new double[perDraw.size()];
    for (int d = 0; d < out.length; d++) {
      Row r = perDraw.get(d);
      out[d] = r.getDouble(3) - (Double.isNaN(estimate) ? r.getDouble(2) : estimate);
    }
    return out;
  }

  private static double mean(double[] x) {
    return java.util.Arrays.stream(x).average().orElseThrow();
  }

  private static double[] square(double[] x) {
    return java.util.Arrays.stream(x).map(v -> v * v).toArray();
  }
}
