package com.creditrisk.report;

import com.creditrisk.report.ReportSection.Calibration;
import com.creditrisk.report.ReportSection.GradeCalibration;
import com.creditrisk.report.ReportSection.Ks;
import com.creditrisk.report.ReportSection.KsPoint;
import com.creditrisk.report.ReportSection.MobPoint;
import com.creditrisk.report.ReportSection.MonthPsi;
import com.creditrisk.report.ReportSection.Point;
import com.creditrisk.report.ReportSection.Psi;
import com.creditrisk.report.ReportSection.Roc;
import com.creditrisk.report.ReportSection.RocCurve;
import com.creditrisk.report.ReportSection.ScoreBin;
import com.creditrisk.report.ReportSection.ScoreDistribution;
import com.creditrisk.report.ReportSection.Strategy;
import com.creditrisk.report.ReportSection.StrategyCurve;
import com.creditrisk.report.ReportSection.StrategyPoint;
import com.creditrisk.report.ReportSection.VintageCurve;
import com.creditrisk.report.ReportSection.Vintages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made report models. The curves come from a binormal score (goods ~ N(660, 60), bads ~
 * N(580, 60)): smooth and plausible, so a screenshot looks like a real report, yet no Spark run is
 * needed. Figures need not be mutually consistent to the last digit: the renderer checks none.
 */
final class ReportFixtures {
  static final String VERDICT_REASON = "AUC and calibration within limits; PSI of 2025-12 in the watch band";

  private ReportFixtures() {}

  /** Every section present. */
  static ReportModel full() {
    return model("Validation report: score_logistic", List.of(roc(), ks(), distribution(), calibration(),
        strategy(), psi(), vintages()));
  }

  static final String MONITORING_REASON = "red: scorecard all auc 0.7010 (development AUC minus AUC, in points: "
      + "amber > 3.0, red > 5.0)";

  /**
   * A monitoring report over six monthly as-of dates: an AUC falling through its amber and red
   * lines below a development AUC of 0.76, and a PSI rising into the watch band.
   */
  static ReportModel monitoring() {
    String[] dates = {"2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"};
    double[] auc = {0.758, 0.752, 0.741, 0.727, 0.716, 0.701};
    double[] psi = {0.021, 0.034, 0.052, 0.071, 0.093, 0.121};
    List<ReportSection.TrendPoint> aucPoints = new ArrayList<>();
    List<ReportSection.TrendPoint> psiPoints = new ArrayList<>();
    for (int i = 0; i < dates.length; i++) {
      double drop = (0.76 - auc[i]) * 100;
      aucPoints.add(new ReportSection.TrendPoint(dates[i], auc[i], auc[i] - 0.018, auc[i] + 0.018,
          drop > 5 ? TrafficLight.RED : drop > 3 ? TrafficLight.AMBER : TrafficLight.GREEN));
      psiPoints.add(new ReportSection.TrendPoint(dates[i], psi[i], null, null,
          psi[i] >= 0.10 ? TrafficLight.AMBER : TrafficLight.GREEN));
    }
    List<Double> dev = java.util.Collections.nCopies(dates.length, 0.76);
    ReportSection.Trend aucTrend = new ReportSection.Trend("scorecard, all: AUC out of time", "AUC out of time",
        aucPoints, List.of(new ReportSection.TrendLine("Development", TrafficLight.GREEN, dev),
            new ReportSection.TrendLine("Amber below", TrafficLight.AMBER, dev.stream().map(d -> d - 0.03).toList()),
            new ReportSection.TrendLine("Red below", TrafficLight.RED, dev.stream().map(d -> d - 0.05).toList())),
        "development AUC minus AUC, in points: amber > 3.0, red > 5.0");
    ReportSection.Trend psiTrend = new ReportSection.Trend("scorecard, all: PSI of the score", "PSI of the score",
        psiPoints, List.of(new ReportSection.TrendLine("Amber from 0.1", TrafficLight.AMBER,
            java.util.Collections.nCopies(dates.length, 0.10)), new ReportSection.TrendLine("Red above 0.25",
            TrafficLight.RED, java.util.Collections.nCopies(dates.length, 0.25))),
        "amber >= 0.1, red > 0.25 (validation.psi)");
    return new ReportModel("Monitoring report", "As-of dates 2025-07-31 to 2025-12-31: 6 runs of config ab12cd34",
        Instant.parse("2026-01-02T08:30:00Z"), new Verdict(TrafficLight.RED, MONITORING_REASON),
        List.of(HeadlineMetric.number("scorecard all: auc (2025-12-31)", 0.701, 4, TrafficLight.RED,
            aucTrend.rule())),
        List.of(new ReportSection.Trends(List.of(aucTrend, psiTrend),
            List.of("approval rate at the chosen cutoff: validation_metrics does not record it"))));
  }

  static ReportModel model(String title, List<ReportSection> sections) {
    return new ReportModel(title, "Model score_logistic, run 2025-12-31-ab12cd34, as of 2025-12-31; "
        + "out-of-time sample 2025-10..2025-12, 4,812 mature loans", Instant.parse("2026-01-02T08:30:00Z"),
        new Verdict(TrafficLight.AMBER, VERDICT_REASON), headline(), sections);
  }

  static List<HeadlineMetric> headline() {
    return List.of(
        HeadlineMetric.count("Mature loans (n)", 4812),
        HeadlineMetric.number("AUC (out of time)", 0.781, 3, TrafficLight.GREEN, "green >= 0.70, amber >= 0.65"),
        HeadlineMetric.number("Gini", 0.562, 3, TrafficLight.GREEN, "green >= 0.40, amber >= 0.30"),
        HeadlineMetric.number("KS", 0.423, 3, TrafficLight.GREEN, "green >= 0.30, amber >= 0.20"),
        HeadlineMetric.number("Brier score", 0.0612, 4, null, ""),
        HeadlineMetric.number("Hosmer-Lemeshow p", 0.214, 3, TrafficLight.GREEN, "green >= 0.05, amber >= 0.01"),
        HeadlineMetric.number("Max monthly PSI", 0.137, 3, TrafficLight.AMBER, "green < 0.10, amber <= 0.25"));
  }

  static Roc roc() {
    return new Roc(List.of(new RocCurve("score_logistic", rocPoints(1.1), 0.781, 0.765, 0.797),
        new RocCurve("gbt", rocPoints(1.35), 0.806, 0.791, 0.821)));
  }

  /** Binormal ROC with separation d: TPR = Phi(d + Phi^-1(FPR)). */
  private static List<Point> rocPoints(double d) {
    List<Point> points = new ArrayList<>();
    points.add(new Point(0, 0));
    for (int i = 1; i < 200; i++) {
      double fpr = i / 200.0;
      points.add(new Point(fpr, phi(d + inversePhi(fpr))));
    }
    points.add(new Point(1, 1));
    return points;
  }

  static Ks ks() {
    List<KsPoint> points = new ArrayList<>();
    double best = 0;
    double at = 0;
    for (int s = 400; s <= 850; s += 3) {
      double bad = phi((s - 580) / 60.0);
      double good = phi((s - 660) / 60.0);
      points.add(new KsPoint(s, bad, good));
      if (bad - good > best) {
        best = bad - good;
        at = s;
      }
    }
    return new Ks("Score at application (points)", points, best, at);
  }

  static ScoreDistribution distribution() {
    List<ScoreBin> bins = new ArrayList<>();
    double[] cuts = {Double.NEGATIVE_INFINITY, 500, 540, 570, 600, 630, 660, 690, 720, 760, Double.POSITIVE_INFINITY};
    for (int i = 0; i + 1 < cuts.length; i++) {
      double lo = cuts[i];
      double hi = cuts[i + 1];
      long goods = Math.round(4400 * (phi((hi - 660) / 60.0) - phi((lo - 660) / 60.0)));
      long bads = Math.round(412 * (phi((hi - 580) / 60.0) - phi((lo - 580) / 60.0)));
      bins.add(new ScoreBin(lo, hi, goods, bads));
    }
    return new ScoreDistribution("Score at application (points)", bins);
  }

  static Calibration calibration() {
    double[] pd = {0.004, 0.008, 0.015, 0.03, 0.055, 0.085, 0.125, 0.18, 0.26, 0.38};
    double[] observed = {0.003, 0.010, 0.013, 0.034, 0.05, 0.097, 0.12, 0.23, 0.25, 0.36};
    long[] n = {620, 710, 690, 640, 560, 470, 390, 330, 240, 162};
    List<GradeCalibration> grades = new ArrayList<>();
    for (int g = 0; g < pd.length; g++) {
      long d = Math.round(observed[g] * n[g]);
      double rate = (double) d / n[g];
      double se = Math.sqrt(Math.max(rate, 0.002) * (1 - rate) / n[g]);
      TrafficLight light = g == 7 ? TrafficLight.RED : g == 5 ? TrafficLight.AMBER : TrafficLight.GREEN;
      double p = g == 7 ? 0.012 : g == 5 ? 0.08 : 0.4 + 0.05 * g;
      grades.add(new GradeCalibration(String.valueOf(g + 1), n[g], d, pd[g], rate, Math.max(0, rate - 1.96 * se),
          rate + 1.96 * se, p, light));
    }
    return new Calibration(grades, 0.18);
  }

  static Strategy strategy() {
    return new Strategy("score at application, approve score >= cutoff",
        List.of(strategyCurve("all", 0.0, 0.086, 0.06), strategyCurve("product = paylater", 10.0, 0.13, 0.06)));
  }

  private static StrategyCurve strategyCurve(String segment, double shift, double badShare, double target) {
    List<StrategyPoint> points = new ArrayList<>();
    Double chosen = null;
    for (int c = 450; c <= 800; c += 5) {
      double goods = 1 - phi((c - 660 + shift) / 60.0);
      double bads = badShare * (1 - phi((c - 580 + shift) / 60.0));
      double approval = goods * (1 - badShare) + bads;
      long approved = Math.round(4812 * approval);
      double badRate = approval == 0 ? 0 : bads / approval;
      long n = Math.max(approved, 1);
      // A normal approximation with a continuity term: close enough to Jeffreys for a picture.
      double upper = badRate + 1.645 * Math.sqrt(badRate * (1 - badRate) / n) + 0.5 / n;
      points.add(new StrategyPoint(c, approved, approval, badRate, Math.min(1, upper)));
      if (chosen == null && upper <= target) {
        chosen = (double) c;
      }
    }
    return new StrategyCurve(segment, points, chosen, target);
  }

  static Psi psi() {
    String[] months = {"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08",
        "2025-09", "2025-10", "2025-11", "2025-12"};
    double[] psi = {0.012, 0.018, 0.025, 0.021, 0.034, 0.041, 0.055, 0.062, 0.081, 0.094, 0.118, 0.137};
    List<MonthPsi> rows = new ArrayList<>();
    for (int i = 0; i < months.length; i++) {
      rows.add(new MonthPsi(months[i], 1500 + 37L * i, psi[i]));
    }
    return new Psi("training sample 2024", rows);
  }

  static Vintages vintages() {
    List<VintageCurve> curves = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      String month = String.format("2025-%02d", m);
      int onBook = Math.min(6, 12 - m + 1);
      double level = 0.06 + 0.004 * m;
      List<MobPoint> points = new ArrayList<>();
      for (int mob = 1; mob <= onBook; mob++) {
        points.add(new MobPoint(mob, level * (1 - Math.exp(-mob / 2.5))));
      }
      curves.add(new VintageCurve(month, 380 + 11L * m, points));
    }
    return new Vintages(curves);
  }

  static double phi(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /** Numerical Recipes' erfc, good to 1.2e-7: plenty for a picture. */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /** Bisection: only for drawing fixtures. */
  static double inversePhi(double p) {
    double lo = -10;
    double hi = 10;
    for (int i = 0; i < 80; i++) {
      double mid = (lo + hi) / 2;
      if (phi(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
