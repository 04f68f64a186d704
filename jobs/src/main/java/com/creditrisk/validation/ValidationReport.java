package com.creditrisk.validation;

import com.creditrisk.errors.Errors;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.report.HeadlineMetric;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportRenderer;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SectionKind;
import com.creditrisk.report.SmallCells;
import com.creditrisk.report.TrafficLight;
import com.creditrisk.report.Verdict;
import com.creditrisk.run.RunFolder;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a {@link ValidationResult} (plus what the validation pack itself does not compute: the
 * strategy curve of calibrate and the vintage curves) into the {@link ReportModel} the renderer
 * draws. The result already holds bounded drawing data, so this is reshaping only, no Spark.
 */
public final class ValidationReport {
  private ValidationReport() {}

  /**
   * What the report shows beyond the result.
   *
   * @param title e.g. "Validation report: gbt"
   * @param subtitle model, run, as-of date and sample in one line
   * @param modelName the ROC legend's name of the validated score
   * @param scoreName the score's name on the KS and distribution axes
   * @param otherRocs ROC curves of other models on the same rows, drawn beside this one
   * @param strategy a {@link ReportSection.Strategy} or its {@link ReportSection.NotAvailable}; null
   *     leaves the section out
   * @param vintages a {@link ReportSection.Vintages} or its NotAvailable; null leaves it out
   * @param sourceValues a {@link ReportSection.SourceValues} or its NotAvailable; null leaves it out
   * @param sourceStability a {@link ReportSection.SourceStability} or its NotAvailable; null leaves it out
   */
  public record Extras(String title, String subtitle, String modelName, String scoreName,
      List<ReportSection.RocCurve> otherRocs, ReportSection strategy, ReportSection vintages,
      ReportSection sourceValues, ReportSection sourceStability, Instant generatedAt) {
    public Extras {
      Objects.requireNonNull(title, "title");
      otherRocs = List.copyOf(otherRocs);
      checkKind(strategy, SectionKind.STRATEGY);
      checkKind(vintages, SectionKind.VINTAGE);
      checkKind(sourceValues, SectionKind.SOURCE_VALUE);
      checkKind(sourceStability, SectionKind.SOURCE_CSI);
      generatedAt = generatedAt == null ? Instant.now() : generatedAt;
    }

    /** Without the feature-source sections (a config without sources, or validate --scores). */
    public Extras(String title, String subtitle, String modelName, String scoreName,
        List<ReportSection.RocCurve> otherRocs, ReportSection strategy, ReportSection vintages, Instant generatedAt) {
      this(title, subtitle, modelName, scoreName, otherRocs, strategy, vintages, null, null, generatedAt);
    }

    private static void checkKind(ReportSection s, SectionKind kind) {
      if (s != null && s.kind() != kind) {
        throw new IllegalArgumentException("Expected a " + kind + " section, got " + s.kind());
      }
    }
  }

  /**
   * The report's model. Its sections carry exact counts (the renderer applies {@code cells}); the
   * headline and the verdict line, which are text, leave a small month's PSI out here.
   */
  public static ReportModel build(ValidationResult r, Extras x, SmallCells cells) {
    List<ReportSection> sections = new ArrayList<>();
    sections.add(roc(r, x));
    sections.add(ks(r, x.scoreName()));
    sections.add(r.charts().scoreDistribution().isEmpty()
        ? new ReportSection.NotAvailable(SectionKind.SCORE_DISTRIBUTION, "no scored rows")
        : new ReportSection.ScoreDistribution(x.scoreName(), r.charts().scoreDistribution().stream()
            .map(b -> new ReportSection.ScoreBin(b.lower(), b.upper(), b.goods(), b.bads())).toList()));
    sections.add(calibration(r));
    if (x.strategy() != null) {
      sections.add(x.strategy());
    }
    sections.add(psi(r));
    if (x.vintages() != null) {
      sections.add(x.vintages());
    }
    if (x.sourceValues() != null) {
      sections.add(x.sourceValues());
    }
    if (x.sourceStability() != null) {
      sections.add(x.sourceStability());
    }
    return new ReportModel(x.title(), x.subtitle(), x.generatedAt(), verdict(r, cells), headline(r, cells),
        sections);
  }

  /** The ROC curve of the validated score, from (0, 0) to (1, 1), with its AUC and DeLong interval. */
  public static ReportSection.RocCurve rocCurve(ValidationResult r, String name) {
    List<ReportSection.Point> points = r.charts().roc().stream()
        .map(p -> new ReportSection.Point(p.falsePositiveRate(), p.truePositiveRate()))
        .sorted(Comparator.comparingDouble(ReportSection.Point::x).thenComparingDouble(ReportSection.Point::y))
        .collect(Collectors.toCollection(ArrayList::new));
    if (points.isEmpty() || points.get(0).x() > 0 || points.get(0).y() > 0) {
      points.add(0, new ReportSection.Point(0, 0));
    }
    Discrimination.Result d = r.discrimination();
    return new ReportSection.RocCurve(name, points, d.auc(), finiteOrNull(d.aucCi95().lo()),
        finiteOrNull(d.aucCi95().hi()));
  }

  private static ReportSection roc(ValidationResult r, Extras x) {
    if (!Double.isFinite(r.discrimination().auc())) {
      return new ReportSection.NotAvailable(SectionKind.ROC, "no AUC: one class only");
    }
    List<ReportSection.RocCurve> curves = new ArrayList<>();
    curves.add(rocCurve(r, x.modelName()));
    curves.addAll(x.otherRocs());
    return new ReportSection.Roc(curves);
  }

  /**
   * The curve's shares are cumulative in risk order; with higher = safer that is "score at or
   * above", so the chart's "at or below s" is one minus the share at or above the next higher
   * score (exact where the curve keeps consecutive scores, as it does around the KS point).
   */
  private static ReportSection ks(ValidationResult r, String scoreName) {
    Discrimination.Result d = r.discrimination();
    if (d.ksScore() == null || r.charts().ks().isEmpty() || !Double.isFinite(d.ks())) {
      return new ReportSection.NotAvailable(SectionKind.KS, "no KS: one class only");
    }
    List<Discrimination.CurvePoint> byScore = r.charts().ks().stream()
        .sorted(Comparator.comparingDouble(Discrimination.CurvePoint::score)).toList();
    List<ReportSection.KsPoint> points = new ArrayList<>();
    for (int i = 0; i < byScore.size(); i++) {
      Discrimination.CurvePoint p = byScore.get(i);
      if (!r.source().higherIsSafe()) {
        points.add(new ReportSection.KsPoint(p.score(), p.badShare(), p.goodShare()));
      } else if (i + 1 < byScore.size()) {
        Discrimination.CurvePoint above = byScore.get(i + 1);
        points.add(new ReportSection.KsPoint(p.score(), 1 - above.badShare(), 1 - above.goodShare()));
      } else {
        points.add(new ReportSection.KsPoint(p.score(), 1, 1));
      }
    }
    return new ReportSection.Ks(scoreName, points, d.ks(), d.ksScore());
  }

  private static ReportSection calibration(ValidationResult r) {
    if (r.jeffreysByGrade().isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.CALIBRATION, "no PD column was given (--pd-col)");
    }
    List<ReportSection.GradeCalibration> grades = new ArrayList<>();
    for (PdAccuracy.Jeffreys j : r.jeffreysByGrade()) {
      TrafficLight light = r.lights().stream()
          .filter(l -> l.check().equals("jeffreys_grade") && j.grade().equals(l.subject()))
          .map(l -> light(l.level())).findFirst().orElse(null);
      grades.add(new ReportSection.GradeCalibration(j.grade(), j.n(), j.defaults(), j.meanPd(), j.observedRate(),
          j.lower95(), j.upper95(), j.pValue(), light));
    }
    return new ReportSection.Calibration(grades,
        r.jeffreysPortfolio() == null ? null : finiteOrNull(r.jeffreysPortfolio().pValue()));
  }

  private static ReportSection psi(ValidationResult r) {
    if (r.psiByMonth().isEmpty()) {
      return new ReportSection.NotAvailable(SectionKind.PSI, r.source().monthCol() == null
          ? "no month column was given (--month-col)" : "no month after the first to compare with it");
    }
    List<ReportSection.MonthPsi> months = new ArrayList<>();
    r.psiByMonth().forEach((m, p) -> {
      if (Double.isFinite(p.value())) {
        months.add(new ReportSection.MonthPsi(m, p.currentRows(), p.value()));
      }
    });
    String base = r.psiBaseline();
    String baseline = "baseline".equals(base)
        ? (r.source().baseline() == null ? "the baseline sample" : r.source().baseline())
        : "the first month, " + base;
    return months.isEmpty() ? new ReportSection.NotAvailable(SectionKind.PSI, "no month has a finite PSI")
        : new ReportSection.Psi(baseline, months);
  }

  private static List<HeadlineMetric> headline(ValidationResult r, SmallCells cells) {
    Discrimination.Result d = r.discrimination();
    List<HeadlineMetric> h = new ArrayList<>();
    h.add(HeadlineMetric.count("Rows validated (n)", d.n()));
    h.add(HeadlineMetric.count("Bads", d.nBad()));
    h.add(new HeadlineMetric("AUC (95% CI)", String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", d.auc(), d.aucCi95().lo(),
        d.aucCi95().hi()), lightOf(r, "auc_drop"), ruleOf(r, "auc_drop")));
    if (r.paired() != null) {
      Discrimination.Paired p = r.paired();
      h.add(new HeadlineMetric("AUC minus " + r.source().compareCol() + " (paired DeLong p)",
          String.format(Locale.ROOT, "%+.3f (p %.3g)", p.difference(), p.pValue()), null, ""));
    }
    h.add(HeadlineMetric.number("Gini", d.gini(), 3, null, ""));
    h.add(HeadlineMetric.number("KS", d.ks(), 3, null, ""));
    if (r.calibration() != null) {
      h.add(HeadlineMetric.number("Brier score", r.calibration().brier(), 4, null, ""));
      h.add(HeadlineMetric.number("Jeffreys p (portfolio)", r.jeffreysPortfolio().pValue(), 3,
          lightOf(r, "jeffreys_portfolio"), ruleOf(r, "jeffreys_portfolio")));
    }
    if (r.hosmerLemeshow() != null && r.hosmerLemeshow().pValue() != null) {
      h.add(HeadlineMetric.number("Hosmer-Lemeshow p", r.hosmerLemeshow().pValue(), 3,
          lightOf(r, "hosmer_lemeshow"), ruleOf(r, "hosmer_lemeshow")));
    }
    if (r.psi() != null) {
      h.add(HeadlineMetric.number("PSI", r.psi().value(), 3, lightOf(r, "psi"), ruleOf(r, "psi")));
    }
    // The months that count in the verdict: in a pipeline run, those after the development period.
    r.lights().stream().filter(l -> l.check().equals("psi_month") && l.counts() && !smallMonth(r, l, cells))
        .max(Comparator.comparingDouble(TrafficLights.Light::value))
        .ifPresent(l -> h.add(HeadlineMetric.number("Max monthly PSI (" + l.subject() + ")", l.value(), 3,
            light(l.level()), l.rule())));
    // The features' CSI in one figure, the largest shift, as the months' PSI: every feature's is in metrics.json.
    r.lights().stream().filter(l -> l.check().equals("csi") && Double.isFinite(l.value()))
        .max(Comparator.comparingDouble(TrafficLights.Light::value))
        .ifPresent(l -> h.add(HeadlineMetric.number("Max feature CSI (" + l.subject() + ")", l.value(), 3,
            light(l.level()), l.rule())));
    h.add(new HeadlineMetric("Rank-ordering breaks", String.valueOf(r.rankOrdering().breaks().size()),
        lightOf(r, "rank_ordering"), ruleOf(r, "rank_ordering")));
    return h;
  }

  /** The verdict and, when it is not green, the counted lights that made it so. */
  static Verdict verdict(ValidationResult r, SmallCells cells) {
    TrafficLight v = light(r.verdict());
    if (v == TrafficLight.GREEN) {
      return new Verdict(v, "every counted check is green");
    }
    String reasons = r.lights().stream().filter(l -> l.counts() && l.level().equals(r.verdict()))
        .map(l -> smallMonth(r, l, cells) ? "score distribution shifted in " + l.subject() + " (PSI "
            + cells.label() + ")" : VerdictWords.of(l, r))
        .collect(Collectors.joining("; "));
    return new Verdict(v, r.verdict() + ": " + reasons);
  }

  /** A light on a month whose PSI the report suppresses: too few applications in the month. */
  private static boolean smallMonth(ValidationResult r, TrafficLights.Light l, SmallCells cells) {
    Stability.Psi p = l.check().equals("psi_month") ? r.psiByMonth().get(l.subject()) : null;
    return p != null && cells.hides(p.currentRows());
  }

  static TrafficLight light(String level) {
    return TrafficLight.valueOf(level.toUpperCase(Locale.ROOT));
  }

  private static TrafficLight lightOf(ValidationResult r, String check) {
    return r.lights().stream().filter(l -> l.check().equals(check)).map(l -> light(l.level())).findFirst()
        .orElse(null);
  }

  private static String ruleOf(ValidationResult r, String check) {
    return r.lights().stream().filter(l -> l.check().equals(check)).map(TrafficLights.Light::rule).findFirst()
        .orElse("");
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The subtitle of a {@code validate --scores} report: what was read, how, and how many rows. */
  public static String scoresSubtitle(ValidationResult r) {
    ValidationResult.Source s = r.source();
    String file = s.path().replaceAll("/+$", "");
    file = file.substring(file.lastIndexOf('/') + 1);
    return String.format(Locale.ROOT, "Scores %s (%s), score column %s (higher is %s), label %s; %,d of %,d rows "
        + "labelled", file, s.format(), s.scoreCol(), s.higherIsSafe() ? "safer" : "riskier", s.labelCol(),
        r.discrimination().n(), r.rowsRead());
  }

  /** The whole report of {@code validate --scores}: no strategy curve or vintages outside a pipeline run. */
  public static ReportModel forScores(ValidationResult r, SmallCells cells) {
    String score = "Score (" + r.source().scoreCol() + ")";
    return build(r, new Extras("Validation report: " + r.source().scoreCol(), scoresSubtitle(r),
        r.source().scoreCol(), score, List.of(),
        new ReportSection.NotAvailable(SectionKind.STRATEGY, "the cutoff curve comes from calibrate in a pipeline "
            + "run (validate --as-of)"), null, null), cells);
  }

  /**
   * The result's metrics.json object with {@code small_cells} added: the cells the report of
   * {@code model} merges or suppresses under {@code cells}, with their exact counts. Every other
   * field is {@link ValidationResult#toJson}'s, unchanged.
   */
  public static Map<String, Object> metricsJson(ValidationResult r, ReportModel model, SmallCells cells) {
    Map<String, Object> json = r.toJson();
    json.put("small_cells", cells.json(model));
    return json;
  }

  /** Renders the report into DIR/NAME whole (temporary file, then rename), small cells hidden by {@code cells}. */
  public static String write(SparkSession spark, String dir, String name, ReportModel model, SmallCells cells) {
    return write(spark.sparkContext().hadoopConfiguration(), dir, name, model, cells);
  }

  /** The same without a SparkSession (validate --scores computed on a local file). */
  public static String write(org.apache.hadoop.conf.Configuration hadoopConf, String dir, String name,
      ReportModel model, SmallCells cells) {
    try {
      return RunFolder.writeText(hadoopConf, dir, name, new ReportRenderer(cells).render(model));
    } catch (IOException e) {
      throw Errors.cannot("write " + dir + "/" + name, e);
    }
  }
}
