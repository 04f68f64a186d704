package com.creditrisk.report;

import java.util.List;
import java.util.Objects;

/**
 * One section of the report: a chart and the table behind it. Every list arrives already reduced
 * to what a chart can show (hundreds of points, not one per application); rates and shares are
 * fractions in [0, 1] and are printed as percentages.
 */
public sealed interface ReportSection {

  /** Which section this is (a {@link NotAvailable} names the one it stands for). */
  default SectionKind kind() {
    return SectionKind.of(getClass());
  }

  /** A section whose data is missing, shown as its heading and the reason, e.g. "no baseline sample". */
  record NotAvailable(SectionKind kind, String reason) implements ReportSection {
    public NotAvailable {
      Objects.requireNonNull(kind, "kind");
      ReportModel.requireText(reason, "reason " + kind + " is not available");
    }
  }

  /** ROC curves of one or more models on the same rows. */
  record Roc(List<RocCurve> curves) implements ReportSection {
    public Roc {
      curves = nonEmpty(curves, "ROC curves");
    }
  }

  /**
   * @param model the model's name, shown in the legend with its AUC
   * @param points false positive rate (share of goods at or below the threshold) against true
   *     positive rate (share of bads), from (0, 0) to (1, 1)
   * @param aucLow lower end of the DeLong 95% interval, or null
   * @param aucHigh upper end, or null
   */
  record RocCurve(String model, List<Point> points, double auc, Double aucLow, Double aucHigh) {
    public RocCurve {
      ReportModel.requireText(model, "ROC model name");
      points = nonEmpty(points, "ROC points of " + model);
    }
  }

  /** A point of a curve. */
  record Point(double x, double y) {
    public Point {
      finite("ROC point", x, y);
    }
  }

  /**
   * Empirical CDFs of the score among bads and goods.
   *
   * @param scoreName the score's name and unit, e.g. "Score at application (points)"
   * @param ks the largest gap |F_bad - F_good|
   * @param ksScore the score where that gap is reached
   */
  record Ks(String scoreName, List<KsPoint> points, double ks, double ksScore) implements ReportSection {
    public Ks {
      ReportModel.requireText(scoreName, "KS score name");
      points = nonEmpty(points, "KS points");
    }
  }

  /** Shares of bads and of goods with a score at or below {@code score}. */
  record KsPoint(double score, double fBad, double fGood) {
    public KsPoint {
      finite("KS point", score, fBad, fGood);
    }
  }

  /** Histogram of the score, goods and bads counted apart. */
  record ScoreDistribution(String scoreName, List<ScoreBin> bins) implements ReportSection {
    public ScoreDistribution {
      ReportModel.requireText(scoreName, "score name");
      bins = nonEmpty(bins, "score bins");
    }
  }

  /** A bin (lower, upper] and its counts. */
  record ScoreBin(double lower, double upper, long goods, long bads) {
    public ScoreBin {
      if (goods < 0 || bads < 0) {
        throw new IllegalArgumentException("Invalid score bin: negative count (" + goods + ", " + bads + ")");
      }
    }
  }

  /**
   * Predicted PD against observed default rate per risk grade.
   *
   * @param portfolioPValue the portfolio-level Jeffreys p-value (it decides the verdict), or null
   */
  record Calibration(List<GradeCalibration> grades, Double portfolioPValue) implements ReportSection {
    public Calibration {
      grades = nonEmpty(grades, "calibration grades");
    }
  }

  /**
   * @param grade the grade's label, e.g. "3"
   * @param meanPd mean predicted PD of the grade
   * @param observedRate defaults / n
   * @param lower lower end of the Jeffreys 95% interval of the observed rate
   * @param upper upper end
   * @param pValue Jeffreys test p-value (small: PD too low for the defaults seen)
   * @param light the grade's light, or null
   */
  record GradeCalibration(String grade, long n, long defaults, double meanPd, double observedRate, double lower,
      double upper, double pValue, TrafficLight light) {
    public GradeCalibration {
      ReportModel.requireText(grade, "grade label");
      finite("calibration of grade " + grade, meanPd, observedRate, lower, upper);
    }
  }

  /** Approval rate against bad rate as the cutoff moves, one curve per segment. */
  record Strategy(String scoreName, List<StrategyCurve> curves) implements ReportSection {
    public Strategy {
      ReportModel.requireText(scoreName, "strategy score name");
      curves = nonEmpty(curves, "strategy curves");
    }
  }

  /**
   * @param segment e.g. "all" or "product = paylater"
   * @param points one per candidate cutoff
   * @param chosenCutoff the cutoff picked for the target, or null when none qualifies
   * @param targetBadRate the bad-rate limit the cutoff was chosen for, or null
   */
  record StrategyCurve(String segment, List<StrategyPoint> points, Double chosenCutoff, Double targetBadRate) {
    public StrategyCurve {
      ReportModel.requireText(segment, "segment");
      points = nonEmpty(points, "strategy points of " + segment);
    }
  }

  /** @param badRateUpper the one-sided 95% Jeffreys upper bound of the bad rate, or null */
  record StrategyPoint(double cutoff, long approved, double approvalRate, double badRate, Double badRateUpper) {
    public StrategyPoint {
      finite("strategy point", cutoff, approvalRate, badRate, badRateUpper == null ? 0 : badRateUpper);
    }
  }

  /** PSI of the score per application month against a baseline. */
  record Psi(String baseline, List<MonthPsi> months) implements ReportSection {
    /** Below: stable. */
    public static final double WATCH = 0.10;
    /** Above: shifted. */
    public static final double SHIFTED = 0.25;

    public Psi {
      ReportModel.requireText(baseline, "PSI baseline description");
      months = nonEmpty(months, "PSI months");
    }

    /** The conventional bands: below 0.10 stable, up to 0.25 watch, above shifted. */
    public static TrafficLight light(double psi) {
      return psi < WATCH ? TrafficLight.GREEN : psi <= SHIFTED ? TrafficLight.AMBER : TrafficLight.RED;
    }
  }

  /** @param month yyyy-MM */
  record MonthPsi(String month, long n, double psi) {
    public MonthPsi {
      ReportModel.requireText(month, "PSI month");
      finite("PSI of " + month, psi);
    }
  }

  /** Cumulative bad rate by months on book, one curve per disbursement month. */
  record Vintages(List<VintageCurve> vintages) implements ReportSection {
    public Vintages {
      vintages = nonEmpty(vintages, "vintages");
    }
  }

  /** @param disbursementMonth yyyy-MM */
  record VintageCurve(String disbursementMonth, long loans, List<MobPoint> points) {
    public VintageCurve {
      ReportModel.requireText(disbursementMonth, "disbursement month");
      points = nonEmpty(points, "points of vintage " + disbursementMonth);
    }
  }

  /** Cumulative bad rate after {@code monthsOnBook} months. */
  record MobPoint(int monthsOnBook, double badRate) {
    public MobPoint {
      finite("vintage point", badRate);
    }
  }

  /**
   * Monitoring: each indicator of each model and segment over as-of dates, with the thresholds of
   * its light drawn; {@code missing} says, in words, which indicators the history cannot give and
   * why (an empty list when none is missing).
   */
  record Trends(List<Trend> trends, List<String> missing) implements ReportSection {
    public Trends {
      trends = nonEmpty(trends, "trends");
      missing = List.copyOf(missing);
    }
  }

  /**
   * @param title what is charted, e.g. "scorecard, all: AUC out of time"
   * @param unit the value's name and unit on the axis, e.g. "AUC"
   * @param points one per as-of date, oldest first
   * @param lines threshold lines, each with a level per point (a development figure may move when
   *     the model is retrained)
   * @param rule the light's rule in words
   */
  record Trend(String title, String unit, List<TrendPoint> points, List<TrendLine> lines, String rule) {
    public Trend {
      ReportModel.requireText(title, "trend title");
      ReportModel.requireText(unit, "unit of " + title);
      points = nonEmpty(points, "points of " + title);
      lines = List.copyOf(lines);
      for (TrendLine l : lines) {
        if (l.levels().size() != points.size()) {
          throw new IllegalArgumentException("Invalid report model: line " + l.name() + " of " + title + " has "
              + l.levels().size() + " levels for " + points.size() + " points");
        }
      }
      rule = rule == null ? "" : rule;
    }
  }

  /**
   * @param asOfDate yyyy-MM-dd
   * @param low lower end of the value's interval, or null when it has none
   * @param high upper end, or null
   * @param light the point's light, or null when no threshold judges it
   */
  record TrendPoint(String asOfDate, double value, Double low, Double high, TrafficLight light) {
    public TrendPoint {
      ReportModel.requireText(asOfDate, "trend as-of date");
      finite("trend point of " + asOfDate, value, low == null ? 0 : low, high == null ? 0 : high);
    }
  }

  /** A threshold drawn across the chart: where the light turns {@code light}. */
  record TrendLine(String name, TrafficLight light, List<Double> levels) {
    public TrendLine {
      ReportModel.requireText(name, "threshold line name");
      levels = List.copyOf(levels);
      finite("threshold line " + name, levels.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** A chart cannot place NaN or infinity: caught here, where the caller can still say which figure. */
  private static void finite(String what, double... values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("Invalid report model: " + what + " has a value of " + v
            + "; charted values must be finite");
      }
    }
  }

  private static <T> List<T> nonEmpty(List<T> list, String what) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("Invalid report model: no " + what
          + "; use ReportSection.NotAvailable to say why the section has no data");
    }
    return List.copyOf(list);
  }
}
