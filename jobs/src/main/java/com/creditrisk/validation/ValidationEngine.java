package com.creditrisk.validation;

import static com.creditrisk.run.Timings.timed;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One way to compute every statistic of the pack, with the same answers: {@link CountsEngine} from
 * one Spark job's distinct-value counts, {@link DistributedEngine} as a distributed pass per
 * statistic when the counts would be too many for the driver. Each method records its wall time
 * under the statistic's name.
 */
interface ValidationEngine extends AutoCloseable {
  /** The input checks' counts. */
  Profile profile();

  /** On the raw score's scale (the KS score and curve points). */
  Discrimination.Result discrimination();

  /** The paired DeLong test against the compared model; null without one. */
  Discrimination.Paired paired();

  RankOrdering.Result rankOrdering();

  List<ValidationResult.DistributionBin> distribution();

  CalibrationPart calibration();

  StabilityPart stability();

  List<TargetCutoffs.Cutoff> cutoffs();

  /** Releases what the engine cached. */
  @Override
  void close();

  /** The calibration statistics, when there is a PD (or only a grade column: its concentration). */
  record CalibrationPart(PdAccuracy.Totals totals, PdAccuracy.HosmerLemeshow hl,
      PdAccuracy.Jeffreys portfolio, List<PdAccuracy.Jeffreys> grades, String gradeSource, Double herfindahl) {
    static final CalibrationPart NONE = new CalibrationPart(null, null, null, List.of(), null, null);

    static CalibrationPart of(ValidateScores.Input in, PdAccuracy.Totals totals, PdAccuracy.HosmerLemeshow hl,
        List<PdAccuracy.Jeffreys> grades) {
      return new CalibrationPart(totals, hl, PdAccuracy.jeffreys("portfolio", totals.n(), totals.defaults(),
          totals.sumPd()), grades, in.gradeCol() != null ? "column " + in.gradeCol() : "grades.pd_upper_bounds",
          PdAccuracy.herfindahl(grades.stream().map(PdAccuracy.Jeffreys::n).toList()));
    }

    static CalibrationPart ofGrades(ValidateScores.Input in, List<Long> counts) {
      return new CalibrationPart(null, null, null, List.of(), "column " + in.gradeCol(),
          PdAccuracy.herfindahl(counts));
    }
  }

  /** PSI of the score (against the baseline or the first month), per month, and CSI per feature. */
  record StabilityPart(Stability.Psi psi, String psiBaseline, Map<String, Stability.Psi> byMonth,
      Map<String, Stability.Psi> csi) {}

  /**
   * The counts engine when the distinct values fit {@code validation.summary_max_groups}, else the
   * distributed one.
   *
   * @param raw the scored table, its columns checked
   * @param baselineRaw the baseline table, or null
   * @param timings where each statistic's wall time goes
   */
  static ValidationEngine open(Dataset<Row> raw, Dataset<Row> baselineRaw, ValidateScores.Input in,
      CreditRiskConfig conf, Map<String, Long> timings) {
    List<Double> gradeBounds = conf.train().gradeBounds();
    // Whole-number scores stay whole numbers for the counting: integer keys hash faster than
    // doubles (which are normalised for NaN and -0.0 on every row first).
    Optional<DistinctValueCounts> counts = timed(timings, "summary", () -> DistinctValueCounts.of(
        ScoreColumns.prepare(raw, in, gradeBounds, true), baselineRaw, in, conf.validation().summaryMaxGroups(),
        gradeBounds));
    if (counts.isPresent()) {
      return new CountsEngine(counts.get(), in, conf.validation(), timings);
    }
    return DistributedEngine.open(ScoreColumns.prepare(raw, in, gradeBounds, false), baselineRaw, in,
        conf.validation(), timings);
  }
}
