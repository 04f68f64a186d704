package com.creditrisk.validation;

import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the validation pack found, as a plain model: the exact metrics, the traffic lights and
 * the verdict, and bounded drawing data for a report ({@link Charts}). {@link #toJson} gives the
 * metrics.json object: DESIGN.md's keys first, then the rest of the pack.
 *
 * @param source what was validated
 * @param rowsRead rows in the scores table
 * @param excluded rows left out, by reason (e.g. null_label), with counts
 * @param discrimination AUC, DeLong SE and interval, Gini, KS and where it peaks
 * @param developmentAuc the AUC at development (--dev-auc), or null
 * @param aucDropSe (development AUC - AUC) / SE, or null
 * @param paired the paired DeLong test against --compare-col, or null
 * @param calibration Brier and totals of the PD column, or null without one
 * @param hosmerLemeshow or null without a PD column
 * @param jeffreysByGrade per risk grade (empty without a PD column)
 * @param jeffreysPortfolio or null without a PD column
 * @param gradeSource "column NAME" or "grades.pd_upper_bounds", or null without grades
 * @param herfindahl of the grade distribution, or null without grades
 * @param rankOrdering score bands from the riskiest, and the breaks
 * @param psi of the score against --baseline, or null
 * @param psiBaseline what the monthly PSIs compare with: "baseline" or the first month; null without months
 * @param psiByMonth PSI per month of --month-col (empty without one)
 * @param csi per --csi-cols feature against --baseline (empty without)
 * @param cutoffs one per --target-bad-rate
 * @param lights every traffic light
 * @param verdict green, amber or red
 * @param charts drawing data only
 * @param timingsMs wall time per statistic, in milliseconds
 */
public record ValidationResult(Source source, long rowsRead, Map<String, Long> excluded,
    Discrimination.Result discrimination, Double developmentAuc, Double aucDropSe, Discrimination.Paired paired,
    PdAccuracy.Totals calibration, PdAccuracy.HosmerLemeshow hosmerLemeshow,
    List<PdAccuracy.Jeffreys> jeffreysByGrade, PdAccuracy.Jeffreys jeffreysPortfolio, String gradeSource,
    Double herfindahl, RankOrdering.Result rankOrdering, Stability.Psi psi, String psiBaseline,
    Map<String, Stability.Psi> psiByMonth, Map<String, Stability.Psi> csi, List<TargetCutoffs.Cutoff> cutoffs,
    List<TrafficLights.Light> lights, String verdict, Charts charts, Map<String, Long> timingsMs) {

  /** The scored table and how its columns were read. */
  public record Source(String path, String format, String scoreCol, String labelCol, String badValue,
      boolean higherIsSafe, String pdCol, String gradeCol, String monthCol, String baseline, String compareCol) {}

  /** One score bin of the distribution chart: goods and bads with a score in [lower, upper). */
  public record DistributionBin(double lower, double upper, long goods, long bads) {}

  /** A ROC point: false and true positive rates of calling "bad" every row riskier than a score. */
  public record RocPoint(double falsePositiveRate, double truePositiveRate) {}

  /**
   * Bounded drawing data: at most about {@code validation.charts.curve_points} ROC and KS points,
   * {@code validation.charts.distribution_bins} score bins, one calibration point per grade (with
   * its Jeffreys 95% interval) and one PSI per month.
   */
  public record Charts(List<RocPoint> roc, List<Discrimination.CurvePoint> ks, List<DistributionBin> scoreDistribution,
      List<PdAccuracy.Jeffreys> calibration, Map<String, Double> psiByMonth) {
    static Charts of(Discrimination.Result d, List<DistributionBin> distribution, List<PdAccuracy.Jeffreys> grades,
        Map<String, Stability.Psi> psiByMonth) {
      List<RocPoint> roc = new ArrayList<>();
      roc.add(new RocPoint(1, 1));
      for (Discrimination.CurvePoint p : d.curve()) {
        roc.add(new RocPoint(1 - p.goodShare(), 1 - p.badShare()));
      }
      Map<String, Double> psi = new LinkedHashMap<>();
      psiByMonth.forEach((k, v) -> psi.put(k, v.value()));
      return new Charts(List.copyOf(roc), d.curve(), distribution, grades, psi);
    }
  }

  /** The metrics.json object. NaN, which JSON cannot hold, is written as null. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    Discrimination.Result d = discrimination;
    m.put("n", d.n());
    m.put("n_bad", d.nBad());
    m.put("auc", num(d.auc()));
    m.put("auc_se", num(d.aucSe()));
    m.put("auc_ci95", Arrays.asList(num(d.aucCi95().lo()), num(d.aucCi95().hi())));
    m.put("gini", num(d.gini()));
    m.put("ks", num(d.ks()));
    m.put("brier", calibration == null ? null : num(calibration.brier()));
    if (hosmerLemeshow == null) {
      m.put("hosmer_lemeshow", null);
    } else {
      Map<String, Object> hl = new LinkedHashMap<>();
      hl.put("chi2", num(hosmerLemeshow.chi2()));
      hl.put("df", hosmerLemeshow.df());
      hl.put("p_value", hosmerLemeshow.pValue());
      hl.put("p_value_oos", hosmerLemeshow.pValueOos());
      hl.put("bins", hosmerLemeshow.bins().stream().map(b -> map("range", b.range(), "n", b.n(),
          "observed", b.observed(), "expected", b.expected())).toList());
      m.put("hosmer_lemeshow", hl);
    }
    m.put("psi", psi == null ? null : num(psi.value()));
    m.put("cutoffs", cutoffs.stream().map(c -> map("target_bad_rate", c.targetBadRate(), "cutoff", c.cutoff(),
        "approval_rate", c.approvalRate(), "bad_rate", c.badRate(), "cutoff_conservative", c.cutoffConservative()))
        .toList());
    // Beyond DESIGN's keys: the rest of the pack.
    m.put("ks_score", d.ksScore());
    m.put("development_auc", developmentAuc);
    m.put("auc_drop_se", aucDropSe == null ? null : num(aucDropSe));
    m.put("delong_paired", paired == null ? null : map("compare_col", source.compareCol(), "auc", num(paired.aucA()),
        "auc_compare", num(paired.aucB()), "difference", num(paired.difference()), "se", num(paired.se()),
        "z", num(paired.z()), "p_value", num(paired.pValue())));
    m.put("mean_pd", calibration == null ? null : num(calibration.meanPd()));
    m.put("grades_from", gradeSource);
    m.put("jeffreys", jeffreysPortfolio == null ? null : map("portfolio", jeffreys(jeffreysPortfolio),
        "grades", jeffreysByGrade.stream().map(ValidationResult::jeffreys).toList()));
    m.put("herfindahl", herfindahl);
    m.put("rank_ordering", map(
        "bands", rankOrdering.bands().stream().map(b -> map("rank", b.rank(), "range", b.range(), "n", b.n(),
            "bads", b.bads(), "bad_rate", b.badRate())).toList(),
        "breaks", rankOrdering.breaks().stream().map(b -> map("rank", b.rank(), "range", b.range(),
            "bad_rate", b.badRate(), "previous_bad_rate", b.previousBadRate())).toList()));
    m.put("psi_detail", psi == null ? null : psiJson(psi));
    m.put("psi_by_month", psiByMonth.isEmpty() ? null : map("baseline", psiBaseline, "months",
        psiByMonth.entrySet().stream().map(e -> map("month", e.getKey(), "psi", num(e.getValue().value()),
            "band", e.getValue().band(), "rows", e.getValue().currentRows())).toList()));
    Map<String, Object> csiJson = new LinkedHashMap<>();
    csi.forEach((k, v) -> csiJson.put(k, psiJson(v)));
    m.put("csi", csiJson);
    m.put("traffic_lights", lights.stream().map(l -> map("check", l.check(), "subject", l.subject(),
        "value", num(l.value()), "level", l.level(), "counts_in_verdict", l.counts(), "rule", l.rule())).toList());
    m.put("verdict", verdict);
    m.put("rows", map("read", rowsRead, "used", d.n(), "excluded", excluded));
    m.put("source", map("scores", source.path(), "format", source.format(), "score_col", source.scoreCol(),
        "label_col", source.labelCol(), "bad_value", source.badValue(),
        "higher_is", source.higherIsSafe() ? "safe" : "risk", "pd_col", source.pdCol(), "grade_col", source.gradeCol(),
        "month_col", source.monthCol(), "baseline", source.baseline()));
    m.put("timings_ms", timingsMs);
    return m;
  }

  private static Map<String, Object> jeffreys(PdAccuracy.Jeffreys j) {
    return map("grade", j.grade(), "n", j.n(), "defaults", j.defaults(), "mean_pd", num(j.meanPd()),
        "observed_rate", num(j.observedRate()), "p_value", num(j.pValue()), "interval95",
        Arrays.asList(num(j.lower95()), num(j.upper95())));
  }

  /** A PSI or CSI as metrics.json writes it: value, band, rows of each sample and every bin. */
  public static Map<String, Object> psiJson(Stability.Psi p) {
    return map("value", num(p.value()), "band", p.band(), "baseline_rows", p.baselineRows(),
        "current_rows", p.currentRows(), "bins", p.bins().stream().map(b -> map("range", b.range(),
            "baseline", b.baseline(), "current", b.current(), "expected_share", b.expectedShare(),
            "actual_share", b.actualShare(), "contribution", b.contribution())).toList());
  }

  /** An insertion-ordered map from key, value pairs (values may be null, unlike Map.of). */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Double num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
