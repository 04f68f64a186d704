package com.creditrisk.monitoring;

import com.creditrisk.config.MonitoringConfig;
import com.creditrisk.labels.EarlyDelinquency;
import com.creditrisk.labels.EarlyDelinquency.Comparison;
import com.creditrisk.metrics.Lights;
import com.creditrisk.monitoring.Indicators.Indicator;
import com.creditrisk.report.ReportSection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The early-warning indicators of monitor: each disbursement month's early-delinquency rates
 * ({@link EarlyDelinquency}) against the pooled development months, as monitoring_metrics rows and
 * one chart per indicator by disbursement month. Pure: the caller computes the cohorts.
 *
 * <p>Only the months after the last development month get a light. The development months are
 * the baseline (judging one against the pool it belongs to measures the baseline's unevenness,
 * not drift, as for validate's PSI), and a month before them is history the model never claimed.
 */
final class EarlyWarning {
  /** The model column of these rows: early delinquency is the book's, whichever model scored it. */
  static final String PORTFOLIO = "portfolio";
  static final String SEGMENT = "disbursement_month=";
  static final String PREFIX = "early_";

  private EarlyWarning() {}

  /** The indicator name of an early-delinquency indicator, e.g. early_dpd15_mob1. */
  static String name(EarlyDelinquency.Indicator i) {
    return PREFIX + i.id();
  }

  /** The library's indicators of the configured DPD@MOB entries. */
  static List<EarlyDelinquency.Indicator> indicators(MonitoringConfig m) {
    return m.earlyIndicators().stream().map(e -> new EarlyDelinquency.Indicator(e.dpd(), e.mob())).toList();
  }

  /**
   * Red when the month's Jeffreys interval lies wholly above the development rate; amber when its
   * rate is above it but not significantly; green otherwise.
   */
  static String light(Comparison c) {
    if (c.above()) {
      return Lights.RED;
    }
    return c.rate() > c.devRate() ? Lights.AMBER : Lights.GREEN;
  }

  static String rule(double confidence) {
    return String.format(Locale.ROOT, "against the development months pooled: red when the %s%% Jeffreys interval "
        + "lies above their rate, amber when the rate is above it but not significantly (monitoring.early_warning)",
        confidence * 100);
  }

  /**
   * One row per month with observable loans and indicator, at {@code asOf}. A month without an
   * observable loan yet has no rate and no row. A month of fewer than {@code minCells} observable
   * loans is a small cell (privacy.min_cell_count): its row keeps the rate but gets no light, so
   * neither the verdict's reason nor the report's headline shows it, and the charts leave it out.
   */
  static List<Indicator> rows(List<Comparison> comparisons, Set<String> developmentMonths, double confidence,
      int minCells, LocalDate asOf, String runId, String modelRunId) {
    String lastDev = new TreeSet<>(developmentMonths).isEmpty() ? null : new TreeSet<>(developmentMonths).last();
    String rule = rule(confidence);
    List<Indicator> out = new ArrayList<>();
    for (Comparison c : comparisons) {
      if (c.n() == 0) {
        continue;
      }
      boolean small = c.n() < minCells;
      boolean judged = !small && lastDev != null && c.month().compareTo(lastDev) > 0 && !Double.isNaN(c.devRate());
      out.add(new Indicator(asOf, PORTFOLIO, SEGMENT + c.month(), name(c.indicator()), c.rate(), c.low(), c.high(),
          Double.isNaN(c.devRate()) ? null : c.devRate(), judged ? light(c) : null,
          small ? smallCell(minCells) : judged ? rule
              : developmentMonths.contains(c.month()) ? "a development month: the baseline" : "",
          runId, modelRunId));
    }
    return List.copyOf(out);
  }

  /** The rule of a small cell's row: the report leaves it out. */
  static String smallCell(int minCells) {
    return "fewer than " + minCells + " rows (privacy.min_cell_count): not judged, not charted";
  }

  /** One chart per indicator: the months' rates with their intervals and the development rate; small cells left out. */
  static List<ReportSection.Trend> charts(List<Indicator> rows, List<EarlyDelinquency.Indicator> indicators,
      double confidence, int minCells) {
    Map<String, List<Indicator>> byName = new LinkedHashMap<>();
    indicators.forEach(i -> byName.put(name(i), new ArrayList<>()));
    rows.stream().filter(r -> !r.rule().equals(smallCell(minCells))).forEach(r -> byName.computeIfPresent(
        r.indicator(), (k, v) -> {
      v.add(r);
      return v;
    }));
    List<ReportSection.Trend> out = new ArrayList<>();
    for (EarlyDelinquency.Indicator i : indicators) {
      List<Indicator> s = byName.get(name(i));
      if (s.isEmpty()) {
        continue;
      }
      List<ReportSection.TrendPoint> points = s.stream().map(r -> new ReportSection.TrendPoint(
          r.segment().substring(SEGMENT.length()), r.value(), r.low(), r.high(), MonitorReport.light(r.light())))
          .toList();
      List<ReportSection.TrendLine> lines = s.stream().allMatch(r -> r.reference() != null)
          ? List.of(new ReportSection.TrendLine("Development months", com.creditrisk.report.TrafficLight.GREEN,
              s.stream().map(Indicator::reference).toList()))
          : List.of();
      out.add(new ReportSection.Trend("Early warning as of " + s.get(0).asOf() + ", by disbursement month: "
          + i.label(), "Share of observable loans", points, lines, rule(confidence)));
    }
    return out;
  }
}
