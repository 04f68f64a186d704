package com.creditrisk.monitoring;

import com.creditrisk.config.MonitoringConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.monitoring.Indicators.Indicator;
import com.creditrisk.report.HeadlineMetric;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.TrafficLight;
import com.creditrisk.report.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The monitoring report: the verdict and its reason, the latest lights, then one trend chart per indicator. */
final class MonitorReport {
  /** The indicators charted, in the order the report shows them for each model and segment. */
  private static final List<String> CHARTED = List.of(Indicators.AUC, Indicators.KS, Indicators.PSI,
      Indicators.CSI, Indicators.BAD_RATE_RATIO, Indicators.APPROVAL_RATE);

  private MonitorReport() {}

  static ReportModel build(String subtitle, Instant generatedAt, List<Indicator> all, List<Indicator> latest,
      String verdict, String reason, List<String> missing, MonitoringConfig m, ValidationConfig v,
      List<ReportSection.Trend> beforeLabels) {
    List<HeadlineMetric> headline = new ArrayList<>();
    for (Indicator i : latest) {
      headline.add(HeadlineMetric.number(i.model() + " " + i.segment() + ": " + i.indicator() + " (" + i.asOf() + ")",
          i.value(), 4, light(i.light()), i.rule()));
    }
    List<ReportSection.Trend> trends = new ArrayList<>();
    Map<String, List<Indicator>> series = new LinkedHashMap<>();
    for (String kind : CHARTED) {
      all.stream().filter(i -> i.indicator().equals(kind))
          .sorted(java.util.Comparator.comparing(Indicator::model).thenComparing(Indicator::segment)
              .thenComparing(Indicator::asOf))
          .forEach(i -> series.computeIfAbsent(i.model() + "\u0000" + i.segment() + "\u0000" + kind,
              k -> new ArrayList<>()).add(i));
    }
    series.values().stream()
        .sorted(java.util.Comparator.comparing((List<Indicator> s) -> s.get(0).model())
            .thenComparing(s -> s.get(0).segment()).thenComparing(s -> CHARTED.indexOf(s.get(0).indicator())))
        .forEach(s -> trends.add(trend(s, m, v)));
    trends.addAll(beforeLabels);
    List<ReportSection> sections = trends.isEmpty()
        ? List.of(new ReportSection.NotAvailable(com.creditrisk.report.SectionKind.TRENDS,
            "validation_metrics holds no indicator of this config in the range"))
        : List.of(new ReportSection.Trends(trends, missing));
    return new ReportModel("Monitoring report", subtitle, generatedAt, new Verdict(light(verdict), reason), headline,
        sections);
  }

  private static ReportSection.Trend trend(List<Indicator> s, MonitoringConfig m, ValidationConfig v) {
    Indicator first = s.get(0);
    List<ReportSection.TrendPoint> points = s.stream().map(i -> new ReportSection.TrendPoint(i.asOf().toString(),
        i.value(), i.low(), i.high(), light(i.light()))).toList();
    List<ReportSection.TrendLine> lines = new ArrayList<>();
    String unit;
    switch (first.indicator()) {
      case Indicators.AUC, Indicators.KS -> {
        boolean auc = first.indicator().equals(Indicators.AUC);
        unit = auc ? "AUC out of time" : "KS out of time";
        double amber = (auc ? m.aucDropAmberPoints() : m.ksDropAmberPoints()) / 100;
        double red = (auc ? m.aucDropRedPoints() : m.ksDropRedPoints()) / 100;
        if (s.stream().allMatch(i -> i.reference() != null)) {
          lines.add(line("Development", TrafficLight.GREEN, s, i -> i.reference()));
          lines.add(line("Amber below", TrafficLight.AMBER, s, i -> i.reference() - amber));
          lines.add(line("Red below", TrafficLight.RED, s, i -> i.reference() - red));
        }
      }
      case Indicators.PSI, Indicators.CSI -> {
        unit = first.indicator().equals(Indicators.PSI) ? "PSI of the score" : "CSI of the feature";
        lines.add(line("Amber from " + v.psiAmber(), TrafficLight.AMBER, s, i -> v.psiAmber()));
        lines.add(line("Red above " + v.psiRed(), TrafficLight.RED, s, i -> v.psiRed()));
      }
      case Indicators.APPROVAL_RATE -> {
        unit = "Approval rate at the chosen cutoff";
        double amber = m.approvalChangeAmberPoints() / 100;
        double red = m.approvalChangeRedPoints() / 100;
        lines.add(line("First date", TrafficLight.GREEN, s, i -> i.reference()));
        lines.add(line("Amber above", TrafficLight.AMBER, s, i -> i.reference() + amber));
        lines.add(line("Amber below", TrafficLight.AMBER, s, i -> i.reference() - amber));
        lines.add(line("Red above", TrafficLight.RED, s, i -> i.reference() + red));
        lines.add(line("Red below", TrafficLight.RED, s, i -> i.reference() - red));
      }
      default -> {
        unit = "Observed bad rate / mean PD";
        lines.add(line(String.format(Locale.ROOT, "Amber above %.2f", m.badRateRatioAmber()), TrafficLight.AMBER, s,
            i -> m.badRateRatioAmber()));
        lines.add(line(String.format(Locale.ROOT, "Amber below %.2f", 1 / m.badRateRatioAmber()), TrafficLight.AMBER,
            s, i -> 1 / m.badRateRatioAmber()));
        lines.add(line(String.format(Locale.ROOT, "Red above %.2f", m.badRateRatioRed()), TrafficLight.RED, s,
            i -> m.badRateRatioRed()));
        lines.add(line(String.format(Locale.ROOT, "Red below %.2f", 1 / m.badRateRatioRed()), TrafficLight.RED, s,
            i -> 1 / m.badRateRatioRed()));
      }
    }
    String title = first.model() + ", " + first.segment() + ": " + unit;
    return new ReportSection.Trend(title, unit, points, lines, first.rule());
  }

  private static ReportSection.TrendLine line(String name, TrafficLight light, List<Indicator> s,
      Function<Indicator, Double> level) {
    return new ReportSection.TrendLine(name, light, s.stream().map(level).toList());
  }

  static TrafficLight light(String level) {
    return level == null ? null : TrafficLight.valueOf(level.toUpperCase(Locale.ROOT));
  }
}
