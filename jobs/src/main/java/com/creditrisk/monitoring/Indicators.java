package com.creditrisk.monitoring;

import com.creditrisk.config.MonitoringConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.metrics.Lights;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monitored indicators of each as-of date, model and segment, with their lights, from the
 * history validate kept in validation_metrics: pure functions of that history and the thresholds
 * (monitoring.* and, for PSI and CSI, validation.psi.*), tested on hand-made tables.
 */
public final class Indicators {
  public static final String AUC = "auc";
  public static final String KS = "ks";
  public static final String PSI = "psi";
  public static final String CSI = "csi";
  public static final String BAD_RATE_RATIO = "bad_rate_ratio";
  public static final String OBSERVED_BAD_RATE = "observed_bad_rate";
  public static final String MEAN_PD = "mean_pd";
  /** Approval rate at calibrate's chosen cutoff, as validate recorded it (segment all or SET=SEGMENT). */
  public static final String APPROVAL_RATE = "approval_rate";
  /**
   * validate's own verdict of the run (from every light of the validation pack, validation.*),
   * its value the light's rank (0 green, 1 amber, 2 red): monitor's verdict never says less than
   * validate's, so the scheduler's one gate can be monitor's.
   */
  public static final String VALIDATION_VERDICT = "validation_verdict";
  /** The validation_metrics segment of the whole out-of-time sample. */
  public static final String ALL = "all";

  /** The metrics of validation_metrics that monitor reads. */
  static final List<String> METRICS = List.of("auc", "auc_ci95_low", "auc_ci95_high", "ks", "development_auc",
      "psi", "csi", "observed_bad_rate", "mean_pd", "verdict", APPROVAL_RATE);

  private Indicators() {}

  /** One row of validation_metrics, as monitor reads it ({@code light} only for the verdict). */
  public record MetricRow(LocalDate asOf, String runId, String modelRunId, String model, String segment,
      String metric, Double value, String light) {}

  /**
   * One row of monitoring_metrics.
   *
   * @param low lower end of the value's 95% interval, or null when it has none
   * @param high upper end, or null
   * @param reference the figure the light compares with (development AUC or KS), or null
   * @param light green, amber or red; null when no threshold judges the indicator
   * @param rule the light's rule in words, empty without a light
   * @param runId the validate run the value came from
   */
  public record Indicator(LocalDate asOf, String model, String segment, String indicator, double value, Double low,
      Double high, Double reference, String light, String rule, String runId, String modelRunId) {}

  /**
   * Every indicator the history gives, oldest as-of date first; what it cannot give is added to
   * {@code missing} in words, once.
   *
   * @param developmentKs each train run's test KS by model (from its model card), empty when unknown
   */
  public static List<Indicator> of(List<MetricRow> history, Map<String, Map<String, Double>> developmentKs,
      MonitoringConfig m, ValidationConfig v, List<String> missing) {
    // (as-of, model, segment) -> metric -> value, in a stable order.
    Map<String, Map<String, MetricRow>> cells = new TreeMap<>();
    for (MetricRow r : history) {
      cells.computeIfAbsent(r.asOf() + "\u0000" + r.model() + "\u0000" + r.segment(), k -> new LinkedHashMap<>())
          .put(r.metric(), r);
    }
    // Each model and segment's approval rate at the first as-of date monitored: what later dates
    // compare with, whatever cutoff each run chose (a moved cutoff that moves approvals should show).
    Map<String, MetricRow> firstApproval = new TreeMap<>();
    for (MetricRow r : history) {
      if (r.metric().equals(APPROVAL_RATE) && r.value() != null) {
        firstApproval.merge(r.model() + "\u0000" + r.segment(), r,
            (a, b) -> b.asOf().isBefore(a.asOf()) ? b : a);
      }
    }
    List<Indicator> out = new ArrayList<>();
    boolean noDevAuc = false;
    boolean noDevKs = false;
    boolean anyCsi = false;
    for (Map<String, MetricRow> cell : cells.values()) {
      MetricRow any = cell.values().iterator().next();
      Base b = new Base(any.asOf(), any.model(), any.segment(), any.runId(), any.modelRunId());
      if (any.segment().startsWith(CSI + "=")) {
        Double csi = value(cell, CSI);
        if (csi != null) {
          anyCsi = true;
          out.add(b.of(CSI, csi, null, null, null, Lights.atOrAbove(csi, v.psiAmber(), v.psiRed()), psiRule(v)));
        }
        continue;
      }
      MetricRow verdict = cell.get("verdict");
      if (verdict != null && verdict.light() != null) {
        out.add(b.of(VALIDATION_VERDICT, Lights.rank(verdict.light()), null, null, null, verdict.light(),
            "validate's verdict of the run (validation.*)"));
      }
      Double auc = value(cell, "auc");
      if (auc != null) {
        Double dev = value(cell, "development_auc");
        noDevAuc |= dev == null;
        out.add(b.of(AUC, auc, value(cell, "auc_ci95_low"), value(cell, "auc_ci95_high"), dev,
            dev == null ? null : drop(dev, auc, m.aucDropAmberPoints(), m.aucDropRedPoints()),
            dev == null ? "" : dropRule("AUC", m.aucDropAmberPoints(), m.aucDropRedPoints())));
      }
      Double ks = value(cell, "ks");
      if (ks != null) {
        Double dev = developmentKs.getOrDefault(any.modelRunId(), Map.of()).get(any.model());
        noDevKs |= dev == null;
        out.add(b.of(KS, ks, null, null, dev,
            dev == null ? null : drop(dev, ks, m.ksDropAmberPoints(), m.ksDropRedPoints()),
            dev == null ? "" : dropRule("KS", m.ksDropAmberPoints(), m.ksDropRedPoints())));
      }
      Double psi = value(cell, PSI);
      if (psi != null) {
        out.add(b.of(PSI, psi, null, null, null, Lights.atOrAbove(psi, v.psiAmber(), v.psiRed()), psiRule(v)));
      }
      Double observed = value(cell, OBSERVED_BAD_RATE);
      Double meanPd = value(cell, MEAN_PD);
      if (observed != null && meanPd != null && meanPd > 0) {
        double ratio = observed / meanPd;
        out.add(b.of(BAD_RATE_RATIO, ratio, null, null, 1.0, ratioLevel(ratio, m), ratioRule(m)));
        out.add(b.of(OBSERVED_BAD_RATE, observed, null, null, null, null, ""));
        out.add(b.of(MEAN_PD, meanPd, null, null, null, null, ""));
      }
      Double approval = value(cell, APPROVAL_RATE);
      if (approval != null) {
        double first = firstApproval.get(any.model() + "\u0000" + any.segment()).value();
        out.add(b.of(APPROVAL_RATE, approval, null, null, first,
            change(first, approval, m.approvalChangeAmberPoints(), m.approvalChangeRedPoints()),
            approvalRule(m)));
      }
    }
    note(missing, noDevAuc, "development AUC for some runs (validate had no model card test AUC), so their AUC "
        + "has no light");
    note(missing, noDevKs, "development KS for some runs (no model card with a test KS under runs/), so their KS "
        + "has no light");
    note(missing, !anyCsi, "CSI of the features: validation_metrics holds no csi rows for these runs");
    note(missing, firstApproval.isEmpty(), "approval rate at the chosen cutoff: validation_metrics holds no "
        + "approval_rate rows (validate records them for runs whose calibrate chose a cutoff)");
    out.sort(Comparator.comparing(Indicator::asOf));
    return List.copyOf(out);
  }

  /** The lights of the latest as-of date that has any, worst first: what the verdict reads. */
  public static List<Indicator> latestLights(List<Indicator> all) {
    LocalDate latest = all.stream().filter(i -> i.light() != null).map(Indicator::asOf)
        .max(Comparator.naturalOrder()).orElse(null);
    return all.stream().filter(i -> i.light() != null && i.asOf().equals(latest))
        .sorted(Comparator.comparingInt((Indicator i) -> -Lights.rank(i.light()))).toList();
  }

  /** The worst light of {@link #latestLights}; green when none. */
  public static String verdict(List<Indicator> latest) {
    return latest.isEmpty() ? Lights.GREEN : latest.get(0).light();
  }

  /** Each non-green indicator of the latest date in words, e.g. "red: scorecard all auc 0.7010 (...)". */
  public static List<String> reasons(List<Indicator> latest) {
    return latest.stream().filter(i -> !i.light().equals(Lights.GREEN))
        .map(i -> String.format(Locale.ROOT, "%s: %s %s %s %.4f (%s)", i.light(), i.model(), i.segment(),
            i.indicator(), i.value(), i.rule())).toList();
  }

  /** How many of the non-green indicators the report's verdict box spells out; the table under it has them all. */
  static final int REASONS_SHOWN = 3;

  /**
   * The verdict's reason as the report shows it: every reason when there are at most
   * {@link #REASONS_SHOWN}, else how many are red and amber and the first {@link #REASONS_SHOWN}
   * (worst first). A book in trouble has dozens (one per red early-warning month and indicator),
   * and a verdict box that lists them all, each with its rule, is a wall nobody reads; the
   * headline table right under it lists every one, and monitoring.json keeps the full reason.
   */
  public static String shownReason(List<Indicator> latest, String fullReason) {
    List<String> reasons = reasons(latest);
    if (reasons.size() <= REASONS_SHOWN) {
      return fullReason;
    }
    long red = latest.stream().filter(i -> i.light().equals(Lights.RED)).count();
    long amber = latest.stream().filter(i -> i.light().equals(Lights.AMBER)).count();
    return String.format(Locale.ROOT, "%d red and %d amber indicators as of %s. The first %d: %s; the others are in "
        + "the table below", red, amber, latest.get(0).asOf(), REASONS_SHOWN,
        String.join("; ", reasons.subList(0, REASONS_SHOWN)));
  }

  /** Light of a fall below a development figure, in points (hundredths). */
  static String drop(double development, double value, double amberPoints, double redPoints) {
    double points = (development - value) * 100;
    return points > redPoints ? Lights.RED : points > amberPoints ? Lights.AMBER : Lights.GREEN;
  }

  /** Light of a move either way from the first date's figure, in points (hundredths). */
  static String change(double first, double value, double amberPoints, double redPoints) {
    double points = Math.abs(value - first) * 100;
    return points > redPoints ? Lights.RED : points > amberPoints ? Lights.AMBER : Lights.GREEN;
  }

  static String approvalRule(MonitoringConfig m) {
    return String.format(Locale.ROOT, "approval rate minus the first date's, either way, in points: amber > %s, "
        + "red > %s", m.approvalChangeAmberPoints(), m.approvalChangeRedPoints());
  }

  static String ratioLevel(double ratio, MonitoringConfig m) {
    if (ratio > m.badRateRatioRed() || ratio < 1 / m.badRateRatioRed()) {
      return Lights.RED;
    }
    return ratio > m.badRateRatioAmber() || ratio < 1 / m.badRateRatioAmber() ? Lights.AMBER
        : Lights.GREEN;
  }

  static String dropRule(String what, double amber, double red) {
    return String.format(Locale.ROOT, "development %s minus %s, in points: amber > %s, red > %s", what, what, amber,
        red);
  }

  static String psiRule(ValidationConfig v) {
    return String.format(Locale.ROOT, "amber >= %s, red > %s (validation.psi)", v.psiAmber(), v.psiRed());
  }

  static String ratioRule(MonitoringConfig m) {
    return String.format(Locale.ROOT, "observed bad rate / mean PD: amber above %s or below %.3f, red above %s or "
        + "below %.3f", m.badRateRatioAmber(), 1 / m.badRateRatioAmber(), m.badRateRatioRed(), 1 / m.badRateRatioRed());
  }

  private static Double value(Map<String, MetricRow> cell, String metric) {
    MetricRow r = cell.get(metric);
    return r == null ? null : r.value();
  }

  private static void note(List<String> missing, boolean when, String what) {
    if (when && !missing.contains(what)) {
      missing.add(what);
    }
  }

  private record Base(LocalDate asOf, String model, String segment, String runId, String modelRunId) {
    Indicator of(String indicator, double value, Double low, Double high, Double reference, String light,
        String rule) {
      return new Indicator(asOf, model, segment, indicator, value, low, high, reference, light, rule, runId,
          modelRunId);
    }
  }
}
