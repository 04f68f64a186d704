package com.creditrisk.validation;

import static com.creditrisk.run.Timings.timed;

import com.creditrisk.config.ValidationConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every statistic from {@link DistinctValueCounts}: exact arithmetic on the driver over how many
 * goods and bads share each value, no further Spark job.
 */
final class CountsEngine implements ValidationEngine {
  private final DistinctValueCounts s;
  private final ValidateScores.Input in;
  private final ValidationConfig vc;
  private final Map<String, Long> ms;

  CountsEngine(DistinctValueCounts counts, ValidateScores.Input in, ValidationConfig vc, Map<String, Long> timings) {
    this.s = counts;
    this.in = in;
    this.vc = vc;
    this.ms = timings;
  }

  @Override
  public Profile profile() {
    return s.profile;
  }

  @Override
  public Discrimination.Result discrimination() {
    DistinctValueCounts.Groups risks = in.higherIsSafe() ? s.scores.negated() : s.scores;
    return timed(ms, "discrimination", () -> ValidateScores.onScoreScale(
        Discrimination.fromGroups(risks.values(), risks.bads(), risks.goods(), vc.curvePoints()), in.higherIsSafe()));
  }

  @Override
  public Discrimination.Paired paired() {
    return s.pairs == null ? null : timed(ms, "delong_paired",
        () -> Discrimination.pairedFromGroups(s.pairs.a(), s.pairs.b(), s.pairs.bads(), s.pairs.goods()));
  }

  @Override
  public RankOrdering.Result rankOrdering() {
    return timed(ms, "rank_ordering",
        () -> RankOrdering.fromGroups(s.scores.values(), s.scores.bads(), s.scores.goods(), in.higherIsSafe()));
  }

  @Override
  public List<ValidationResult.DistributionBin> distribution() {
    return ScoreBins.fromCounts(s.scores, s.profile.minScore(), s.profile.maxScore(), vc.distributionBins());
  }

  @Override
  public CalibrationPart calibration() {
    if (in.pdCol() != null) {
      PdAccuracy.FromGroups c = timed(ms, "calibration",
          () -> PdAccuracy.fromGroups(s.pds.values(), s.pds.bads(), s.pds.goods()));
      return CalibrationPart.of(in, c.totals(), c.hosmerLemeshow(),
          timed(ms, "jeffreys", () -> PdAccuracy.jeffreysByGrade(s.grades)));
    } else if (in.gradeCol() != null) {
      return CalibrationPart.ofGrades(in, s.grades.values().stream().map(t -> (long) t[0]).toList());
    }
    return CalibrationPart.NONE;
  }

  @Override
  public StabilityPart stability() {
    Stability.Psi psi = null;
    Map<String, Stability.Psi> csi = new LinkedHashMap<>();
    Map<String, Stability.Psi> byMonth = new TreeMap<>();
    String psiBaseline = null;
    Map<String, TreeMap<Double, Long>> months = s.scoresByMonth == null ? Map.of() : s.scoresByMonth;
    if (s.baselineScores != null) {
      long[] rows = new long[s.scores.values().length];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = s.scores.bads()[i] + s.scores.goods()[i];
      }
      Stability.Grouped g = timed(ms, "psi", () -> Stability.psi(s.baselineScores.values(),
          s.baselineScores.counts(), s.scores.values(), rows, months));
      psi = g.total();
      byMonth.putAll(g.byGroup());
      psiBaseline = in.monthCol() == null ? null : "baseline";
      List<String> csiCols = in.csiCols().stream().distinct().toList();
      for (String c : in.csiCols()) {
        int k = csiCols.indexOf(c);
        csi.put(c, Stability.psi(s.baselineCsi.get(k), s.csi.get(k), Map.of()).total());
      }
    } else if (!months.isEmpty()) {
      // No baseline: the first month is the baseline of the later ones.
      String m0 = s.scoresByMonth.firstKey();
      psiBaseline = m0;
      TreeMap<Double, Long> later = new TreeMap<>();
      s.scoresByMonth.tailMap(m0, false).values().forEach(m -> m.forEach((v, c) -> later.merge(v, c, Long::sum)));
      byMonth.putAll(timed(ms, "psi", () -> Stability.psi(s.scoresByMonth.get(m0), later,
          s.scoresByMonth.tailMap(m0, false)).byGroup()));
    }
    return new StabilityPart(psi, psiBaseline, byMonth, csi);
  }

  @Override
  public List<TargetCutoffs.Cutoff> cutoffs() {
    return timed(ms, "cutoffs", () -> TargetCutoffs.fromCounts(s.scores.values(), s.scores.bads(),
        s.scores.goods(), in.higherIsSafe(), in.targetBadRates()));
  }

  /** Nothing cached: the counts are plain driver memory. */
  @Override
  public void close() {}
}
