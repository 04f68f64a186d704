package com.creditrisk.validation;

import static com.creditrisk.binning.BinFeatures.quote;
import static com.creditrisk.run.Timings.timed;
import static com.creditrisk.validation.ScoreColumns.COMPARE;
import static com.creditrisk.validation.ScoreColumns.GRADE;
import static com.creditrisk.validation.ScoreColumns.LABEL;
import static com.creditrisk.validation.ScoreColumns.MONTH;
import static com.creditrisk.validation.ScoreColumns.PD;
import static com.creditrisk.validation.ScoreColumns.RISK;
import static com.creditrisk.validation.ScoreColumns.SCORE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import com.creditrisk.config.ValidationConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.metrics.Discrimination;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Every statistic as a distributed pass of its own, for tables with too many distinct values to
 * count on the driver and statistics {@link SortedEngine} does not cover (a PD, grades, months,
 * the paired test, CSI). The rows are cut to the columns the statistics read and cached once; the
 * profile's pass fills the cache.
 */
final class DistributedEngine implements ValidationEngine {
  private final Dataset<Row> persisted;
  /** The labelled rows: the ones every statistic reads. */
  private final Dataset<Row> rows;
  private final Dataset<Row> baselineRaw;
  private final Profile profile;
  private final ValidateScores.Input in;
  private final ValidationConfig vc;
  private final Map<String, Long> ms;

  private DistributedEngine(Dataset<Row> persisted, Dataset<Row> baselineRaw, Profile profile,
      ValidateScores.Input in, ValidationConfig vc, Map<String, Long> timings) {
    this.persisted = persisted;
    this.rows = persisted.where(col(LABEL).isNotNull());
    this.baselineRaw = baselineRaw;
    this.profile = profile;
    this.in = in;
    this.vc = vc;
    this.ms = timings;
  }

  /** @param prepared the rows under {@link ScoreColumns}' names, scores as doubles */
  static DistributedEngine open(Dataset<Row> prepared, Dataset<Row> baselineRaw, ValidateScores.Input in,
      ValidationConfig vc, Map<String, Long> timings) {
    Dataset<Row> persisted = prepared.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Profile profile = timed(timings, "profile", () -> Profile.of(persisted, in));
      return new DistributedEngine(persisted, baselineRaw, profile, in, vc, timings);
    } catch (RuntimeException e) {
      persisted.unpersist(false);
      throw e;
    }
  }

  @Override
  public Profile profile() {
    return profile;
  }

  @Override
  public Discrimination.Result discrimination() {
    return timed(ms, "discrimination", () -> ValidateScores.onScoreScale(
        Discrimination.compute(rows, RISK, LABEL, vc.curvePoints()), in.higherIsSafe()));
  }

  @Override
  public Discrimination.Paired paired() {
    return in.compareCol() == null ? null
        : timed(ms, "delong_paired", () -> Discrimination.paired(rows, RISK, COMPARE, LABEL));
  }

  @Override
  public RankOrdering.Result rankOrdering() {
    return timed(ms, "rank_ordering", () -> RankOrdering.compute(rows, col(SCORE), col(LABEL), in.higherIsSafe()));
  }

  @Override
  public List<ValidationResult.DistributionBin> distribution() {
    return timed(ms, "distribution",
        () -> ScoreBins.compute(rows, profile.minScore(), profile.maxScore(), vc.distributionBins()));
  }

  @Override
  public CalibrationPart calibration() {
    if (in.pdCol() != null) {
      PdAccuracy.Totals totals = timed(ms, "brier", () -> PdAccuracy.totals(rows, col(PD), col(LABEL)));
      PdAccuracy.HosmerLemeshow hl = timed(ms, "hosmer_lemeshow",
          () -> PdAccuracy.hosmerLemeshow(rows, col(PD), col(LABEL)));
      return CalibrationPart.of(in, totals, hl,
          timed(ms, "jeffreys", () -> PdAccuracy.jeffreysByGrade(rows, col(GRADE), col(PD), col(LABEL))));
    } else if (in.gradeCol() != null) {
      return CalibrationPart.ofGrades(in, rows.groupBy(col(GRADE)).agg(count(lit(1))).collectAsList().stream()
          .map(r -> r.getLong(1)).toList());
    }
    return CalibrationPart.NONE;
  }

  @Override
  public StabilityPart stability() {
    Stability.Psi psi = null;
    Map<String, Stability.Psi> csi = new LinkedHashMap<>();
    Map<String, Stability.Psi> byMonth = new TreeMap<>();
    String psiBaseline = null;
    if (baselineRaw != null) {
      Stability.Grouped g = timed(ms, "psi", () -> Stability.psi(baselineRaw, col(quote(in.scoreCol())), rows,
          col(SCORE), in.monthCol() == null ? null : col(MONTH)));
      psi = g.total();
      byMonth.putAll(g.byGroup());
      psiBaseline = in.monthCol() == null ? null : "baseline";
      for (String c : in.csiCols()) {
        csi.put(c, timed(ms, "csi " + c, () -> Stability.psi(baselineRaw, col(quote(c)), rows, col(quote(c)), null)
            .total()));
      }
    } else if (in.monthCol() != null) {
      // No baseline: the first month is the baseline of the later ones.
      Row first = rows.agg(min(col(MONTH))).first();
      if (!first.isNullAt(0)) {
        String m0 = first.getString(0);
        psiBaseline = m0;
        byMonth.putAll(timed(ms, "psi", () -> Stability.psi(rows.where(col(MONTH).equalTo(m0)), col(SCORE),
            rows.where(col(MONTH).gt(m0)), col(SCORE), col(MONTH)).byGroup()));
      }
    }
    return new StabilityPart(psi, psiBaseline, byMonth, csi);
  }

  @Override
  public List<TargetCutoffs.Cutoff> cutoffs() {
    return timed(ms, "cutoffs", () -> TargetCutoffs.compute(rows, col(SCORE), col(LABEL), in.higherIsSafe(),
        in.targetBadRates()));
  }

  @Override
  public void close() {
    persisted.unpersist(false);
  }
}
