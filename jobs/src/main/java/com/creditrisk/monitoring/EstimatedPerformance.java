package com.creditrisk.monitoring;

import com.creditrisk.config.MonitoringConfig;
import com.creditrisk.metrics.EstimateBackTest;
import com.creditrisk.metrics.ExpectedPerformance;
import com.creditrisk.monitoring.Indicators.Indicator;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.TrafficLight;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The performance-estimate indicators of monitor: the AUC and bad rate expected from the PDs of
 * the applications whose outcome window is open ({@link EstimatePopulation},
 * {@link ExpectedPerformance}), and the back-test of
 * such estimates on the months that have matured since ({@link EstimateBackTest}), as
 * monitoring_metrics rows and charts. Pure: the caller runs the estimates.
 */
final class EstimatedPerformance {
  /**
   * The segment of the estimates: the applications not mature (outcome window open) at the date,
   * immature or already bad ({@link EstimatePopulation}).
   */
  static final String IMMATURE = "immature";
  static final String EXPECTED_AUC = "expected_auc";
  static final String EXPECTED_BAD_RATE = "expected_bad_rate";
  /** How many applications of the estimate's population are already bad: a count, beside the estimate. */
  static final String KNOWN_BAD = "known_bad";
  static final String BACKTEST_AUC = "backtest_expected_auc";
  static final String BACKTEST_AUC_ERROR = "backtest_auc_error";
  static final String BACKTEST_BAD_RATE = "backtest_expected_bad_rate";
  static final String BACKTEST_BAD_RATE_ERROR = "backtest_bad_rate_error";
  static final String MEAN_ABS_ERROR = "_mean_abs_error";
  static final String MEAN_ERROR = "_mean_error";
  static final String MONTH = "application_month=";
  /** The two-sided 95% normal quantile: the interval of an estimate is value +- Z95 SE. */
  static final double Z95 = 1.959963984540054;
  static final String UNTRUSTED = "estimate cannot be trusted: the model's calibration light is red in "
      + "validation_metrics (hosmer_lemeshow_p or jeffreys_p)";

  private EstimatedPerformance() {}

  /**
   * The expected AUC and bad rate of one as-of date and model's applications whose window is open,
   * and how many of them are already bad. The AUC gets the AUC-drop light against the development
   * AUC, unless the calibration is red: the estimate assumes the PDs are right, so then it has no
   * light and says why.
   *
   * @param knownBad applications of the population already bad at the date (label 1 early)
   * @param developmentAuc the development AUC validate recorded, or null
   * @param calibrationRed whether validate's calibration light of the run is red
   */
  static List<Indicator> estimate(ExpectedPerformance.Estimate e, long knownBad, Double developmentAuc, boolean calibrationRed,
      MonitoringConfig m, int minCells, LocalDate asOf, String model, String runId, String modelRunId) {
    List<Indicator> out = new ArrayList<>();
    boolean small = e.n() < minCells;
    if (!Double.isNaN(e.auc())) {
      String light = small || calibrationRed || developmentAuc == null ? null
          : Indicators.drop(developmentAuc, e.auc(), m.aucDropAmberPoints(), m.aucDropRedPoints());
      String rule = small ? EarlyWarning.smallCell(minCells) : calibrationRed ? UNTRUSTED : developmentAuc == null ? ""
          : Indicators.dropRule("AUC", m.aucDropAmberPoints(), m.aucDropRedPoints()) + " (expected AUC from the PDs)";
      out.add(new Indicator(asOf, model, IMMATURE, EXPECTED_AUC, e.auc(), lower(e.auc(), e.aucSe()),
          upper(e.auc(), e.aucSe()), developmentAuc, light, rule, runId, modelRunId));
    }
    if (!Double.isNaN(e.badRate())) {
      out.add(new Indicator(asOf, model, IMMATURE, EXPECTED_BAD_RATE, e.badRate(), lower(e.badRate(),
          e.badRateSe()), upper(e.badRate(), e.badRateSe()), null, null,
          small ? EarlyWarning.smallCell(minCells) : calibrationRed ? UNTRUSTED : "", runId, modelRunId));
      out.add(new Indicator(asOf, model, IMMATURE, KNOWN_BAD, knownBad, null, null, null, null,
          small ? EarlyWarning.smallCell(minCells) : String.format(Locale.ROOT, "applications already bad, of "
              + "the %d whose outcome window is open", e.n()), runId, modelRunId));
    }
    return out;
  }

  /**
   * The back-test rows of one model at the latest as-of date: per matured month the estimate made
   * then (its interval in low and high, the realised value now as reference) and the error
   * realised - estimated; over the months, the mean absolute and the mean error.
   */
  static List<Indicator> backTest(String what, EstimateBackTest.Result r, List<EstimateBackTest.Month> months,
      Set<String> smallMonths, int minCells, boolean calibrationRed, LocalDate asOf, String model, String runId,
      String modelRunId) {
    String estimated = what.equals("auc") ? BACKTEST_AUC : BACKTEST_BAD_RATE;
    String error = what.equals("auc") ? BACKTEST_AUC_ERROR : BACKTEST_BAD_RATE_ERROR;
    String rule = calibrationRed ? UNTRUSTED : "";
    List<Indicator> out = new ArrayList<>();
    for (int k = 0; k < months.size(); k++) {
      EstimateBackTest.Month m = months.get(k);
      EstimateBackTest.MonthError e = r.months().get(k);
      if (Double.isNaN(m.estimated())) {
        continue;
      }
      Double realised = Double.isNaN(m.realised()) ? null : m.realised();
      out.add(new Indicator(asOf, model, MONTH + m.month(), estimated, m.estimated(), lower(m.estimated(),
          m.estimateSe()), upper(m.estimated(), m.estimateSe()), realised, null,
          smallMonths.contains(m.month()) ? EarlyWarning.smallCell(minCells) : rule, runId, modelRunId));
      if (!Double.isNaN(e.error())) {
        out.add(new Indicator(asOf, model, MONTH + m.month(), error, e.error(), null, null, null, null,
            "realised - estimated", runId, modelRunId));
      }
    }
    if (r.compared() > 0) {
      String prefix = "backtest_" + what;
      out.add(new Indicator(asOf, model, Indicators.ALL, prefix + MEAN_ABS_ERROR, r.meanAbsoluteError(), null, null,
          null, null, rule, runId, modelRunId));
      out.add(new Indicator(asOf, model, Indicators.ALL, prefix + MEAN_ERROR, r.meanError(), null, null, null,
          null, rule, runId, modelRunId));
    }
    return out;
  }

  /**
   * Per model, the estimated AUC over as-of dates, and the back-test's estimate against the realised
   * AUC by month; small cells left out.
   */
  static List<ReportSection.Trend> charts(List<Indicator> all, int minCells) {
    List<Indicator> rows = all.stream().filter(i -> !i.rule().equals(EarlyWarning.smallCell(minCells))).toList();
    List<ReportSection.Trend> out = new ArrayList<>();
    for (String model : rows.stream().map(Indicator::model).distinct().sorted().toList()) {
      List<Indicator> expected = rows.stream().filter(i -> i.model().equals(model)
          && i.indicator().equals(EXPECTED_AUC)).sorted(java.util.Comparator.comparing(Indicator::asOf)).toList();
      if (!expected.isEmpty()) {
        List<ReportSection.TrendLine> lines = expected.stream().allMatch(i -> i.reference() != null)
            ? List.of(new ReportSection.TrendLine("Development", TrafficLight.GREEN,
                expected.stream().map(Indicator::reference).toList()))
            : List.of();
        out.add(new ReportSection.Trend(model + ", applications whose outcome window is open: expected AUC from "
            + "the PDs",
            "Expected AUC", expected.stream().map(i -> new ReportSection.TrendPoint(i.asOf().toString(), i.value(),
                i.low(), i.high(), MonitorReport.light(i.light()))).toList(), lines, expected.get(0).rule()));
      }
      List<Indicator> back = rows.stream().filter(i -> i.model().equals(model)
          && i.indicator().equals(BACKTEST_AUC) && i.reference() != null).toList();
      if (!back.isEmpty()) {
        out.add(new ReportSection.Trend(String.format(Locale.ROOT, "%s, back-test by application month: AUC "
            + "estimated then (points) against realised now (line)", model), "AUC",
            back.stream().map(i -> new ReportSection.TrendPoint(i.segment().substring(MONTH.length()), i.value(),
                i.low(), i.high(), null)).toList(),
            List.of(new ReportSection.TrendLine("Realised now", TrafficLight.GREEN,
                back.stream().map(Indicator::reference).toList())), back.get(0).rule()));
      }
    }
    return out;
  }

  private static Double lower(double value, double se) {
    return Double.isFinite(se) ? value - Z95 * se : null;
  }

  private static Double upper(double value, double se) {
    return Double.isFinite(se) ? value + Z95 * se : null;
  }
}
