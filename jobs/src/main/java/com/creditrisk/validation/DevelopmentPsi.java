package com.creditrisk.validation;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.creditrisk.config.ValidationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A model's PSI against its development period, for {@code validate --as-of}: per application
 * month of all its scored applications, and in total for the months after that period.
 *
 * <p>Train rows are approved, disbursed, mature loans only, while a month's applications include
 * the rejected ones, which score lower: against the train rows every month would look shifted. The
 * baseline is the through-the-door population of the development period instead: every
 * application of the months that hold train rows. The total PSI compares the months after it, else
 * it would mostly compare the baseline with itself.
 */
public final class DevelopmentPsi {
  private DevelopmentPsi() {}

  /**
   * The pack's result with that PSI, its lights and verdict re-read with it.
   *
   * @param base the pack on the model's out-of-time rows, without PSI
   * @param applications every scored application of the model: {@code application_month},
   *     {@code model_score} and {@code split}
   * @param compareModel the model the paired DeLong test compared with, or null
   */
  public static ValidationResult apply(ValidationResult base, Dataset<Row> applications, ValidationConfig vc,
      String compareModel) {
    Map<String, Long> ms = new LinkedHashMap<>(base.timingsMs());
    long t0 = System.nanoTime();
    Set<String> baselineMonths = months(applications);
    Dataset<Row> development = applications.where(inMonths(baselineMonths));
    Stability.Grouped byMonth = Stability.psi(development, col("model_score"), applications, col("model_score"),
        col("application_month"));
    Stability.Psi recent = Stability.psi(development, col("model_score"),
        applications.where(not(inMonths(baselineMonths))), col("model_score"), null).total();
    Stability.Grouped g = new Stability.Grouped(recent, byMonth.byGroup());
    ms.put("psi", (System.nanoTime() - t0) / 1_000_000);
    return withStability(base, g, baselineMonths, vc, compareModel, ms);
  }

  /**
   * The development months of {@code rows}: the application months that hold train rows. One row
   * per month reaches the driver, as many as the history has months. Held on the driver so that
   * every pass over the development rows (or the later ones) is a filter, not a join that would
   * find the months again in each of them.
   */
  public static Set<String> months(Dataset<Row> rows) {
    return new TreeSet<>(rows.where(col("split").equalTo("train").and(col("application_month").isNotNull()))
        .select("application_month").distinct().as(Encoders.STRING()).collectAsList());
  }

  /**
   * Whether a row's application month is one of {@code months} (never for a null month): true on
   * the baseline's rows, false on the later ones.
   */
  public static Column inMonths(Set<String> months) {
    return coalesce(col("application_month").isin(months.toArray()), lit(false));
  }

  /**
   * The result with the CSI of some of the model's features against the development months, each
   * with a light listed beside the others but not counted in the verdict: the score's PSI judges
   * the model, a feature's shift is there to review (and for monitor to follow).
   */
  public static ValidationResult withFeatureCsi(ValidationResult b, Map<String, Stability.Psi> csi,
      ValidationConfig vc) {
    List<TrafficLights.Light> lights = new ArrayList<>(b.lights());
    TrafficLights.evaluate(new TrafficLights.Inputs(null, Map.of(), csi, null, List.of(), null, null, null), vc)
        .forEach(l -> lights.add(new TrafficLights.Light(l.check(), l.subject(), l.value(), l.level(), false,
            l.rule() + "; listed: the score's PSI decides")));
    return new ValidationResult(b.source(), b.rowsRead(), b.excluded(), b.discrimination(), b.developmentAuc(),
        b.aucDropSe(), b.paired(), b.calibration(), b.hosmerLemeshow(), b.jeffreysByGrade(), b.jeffreysPortfolio(),
        b.gradeSource(), b.herfindahl(), b.rankOrdering(), b.psi(), b.psiBaseline(), b.psiByMonth(),
        new LinkedHashMap<>(csi), b.cutoffs(), List.copyOf(lights), TrafficLights.verdict(lights), b.charts(),
        b.timingsMs());
  }

  /** The result with PSI against the development months, its lights and verdict re-read with them. */
  static ValidationResult withStability(ValidationResult b, Stability.Grouped g, Set<String> baselineMonths,
      ValidationConfig vc, String compareModel, Map<String, Long> timingsMs) {
    Map<String, Stability.Psi> byMonth = new TreeMap<>(g.byGroup());
    // A development month is part of the baseline: its PSI shows how uneven the baseline is, not
    // drift, and an early month of few applications would otherwise fail every later run's gate.
    List<TrafficLights.Light> lights = TrafficLights.evaluate(new TrafficLights.Inputs(g.total(), byMonth, Map.of(),
        b.jeffreysPortfolio(), b.jeffreysByGrade(), b.hosmerLemeshow(), b.aucDropSe(), b.rankOrdering()), vc)
        .stream()
        .map(l -> l.check().equals("psi_month") && baselineMonths.contains(l.subject())
            ? new TrafficLights.Light(l.check(), l.subject(), l.value(), l.level(), false,
                l.rule() + "; a development month: listed, not counted")
            : l)
        .toList();
    ValidationResult.Source s = b.source();
    ValidationResult.Source source = new ValidationResult.Source(s.path(), s.format(), s.scoreCol(), s.labelCol(),
        s.badValue(), s.higherIsSafe(), s.pdCol(), s.gradeCol(), "application_month",
        "the development months", compareModel);
    return new ValidationResult(source, b.rowsRead(), b.excluded(), b.discrimination(), b.developmentAuc(),
        b.aucDropSe(), b.paired(), b.calibration(), b.hosmerLemeshow(), b.jeffreysByGrade(), b.jeffreysPortfolio(),
        b.gradeSource(), b.herfindahl(), b.rankOrdering(), g.total(), "baseline", byMonth, Map.of(), b.cutoffs(),
        lights, TrafficLights.verdict(lights), ValidationResult.Charts.of(b.discrimination(),
            b.charts().scoreDistribution(), b.jeffreysByGrade(), byMonth), timingsMs);
  }
}
