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
 * one Spark job's distinct-value counts; {@link SortedEngine} from the score's distinct values
 * sorted across the cluster, in two passes, when the counts would be too many for the driver and
 * only the score's statistics are asked for; {@link DistributedEngine} as a distributed pass per
 * statistic for the rest. Each method records its wall time
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
   * sorted one when it covers the statistics asked for, else the distributed one. A score that
   * looks continuous before any row is read ({@link SortedEngine#continuous}) goes to the sorted
   * engine straight away: counting it first would be a pass over the table to learn that it does
   * not fit.
   *
   * @param raw the scored table, its columns checked
   * @param format its format (csv, parquet or delta)
   * @param baselineRaw the baseline table, or null
   * @param timings where each statistic's wall time goes
   */
  static ValidationEngine open(Dataset<Row> raw, String format, Dataset<Row> baselineRaw, ValidateScores.Input in,
      CreditRiskConfig conf, Map<String, Long> timings) {
    List<Double> gradeBounds = conf.train().gradeBounds();
    int maxGroups = conf.validation().summaryMaxGroups();
    boolean sorted = SortedEngine.covers(in);
    if (sorted && (maxGroups <= 0 || SortedEngine.continuous(raw, format, in, maxGroups))) {
      return SortedEngine.open(ScoreColumns.prepare(raw, in, gradeBounds, false), baselineRaw, in, conf.validation(),
          timings);
    }
    // Whole-number scores stay whole numbers for the counting: integer keys hash faster than
    // doubles (which are normalised for NaN and -0.0 on every row first).
    Optional<DistinctValueCounts> counts = timed(timings, "summary", () -> DistinctValueCounts.of(
        ScoreColumns.prepare(raw, in, gradeBounds, true), baselineRaw, in, maxGroups, gradeBounds));
    if (counts.isPresent()) {
      return new CountsEngine(counts.get(), in, conf.validation(), timings);
    }
    if (sorted) {
      return SortedEngine.open(ScoreColumns.prepare(raw, in, gradeBounds, false), baselineRaw, in, conf.validation(),
          timings);
    }
    return DistributedEngine.open(ScoreColumns.prepare(raw, in, gradeBounds, false), baselineRaw, in,
        conf.validation(), timings);
  }
}
