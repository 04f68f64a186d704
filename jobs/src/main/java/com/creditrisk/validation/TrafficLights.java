package com.creditrisk.validation;

import com.creditrisk.config.ValidationConfig;
import com.creditrisk.metrics.Lights;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traffic lights of the validation pack from the {@code validation.*} thresholds, and the overall
 * verdict: the worst light among those that count. Like Deequ's check results, a red light is a
 * result, not an error; the command decides whether to fail (--gate red).
 */
public final class TrafficLights {
  public static final String GREEN = Lights.GREEN;
  public static final String AMBER = Lights.AMBER;
  public static final String RED = Lights.RED;

  private TrafficLights() {}

  /**
   * @param check what was tested (psi, csi, psi_month, jeffreys_portfolio, jeffreys_grade, hosmer_lemeshow,
   *     auc_drop, rank_ordering)
   * @param subject the column, month or grade it concerns, or null
   * @param value the statistic the light reads
   * @param level green, amber or red
   * @param counts whether it takes part in the verdict (per-grade Jeffreys lights are listed only)
   * @param rule the thresholds applied, in words
   */
  public record Light(String check, String subject, double value, String level, boolean counts, String rule) {}

  /** Everything the lights read; absent statistics are null or empty. */
  public record Inputs(Stability.Psi psi, Map<String, Stability.Psi> psiByMonth, Map<String, Stability.Psi> csi,
      PdAccuracy.Jeffreys portfolio, List<PdAccuracy.Jeffreys> grades, PdAccuracy.HosmerLemeshow hosmerLemeshow,
      Double aucDropSe, RankOrdering.Result rankOrdering) {}

  public static List<Light> evaluate(Inputs in, ValidationConfig t) {
    List<Light> out = new ArrayList<>();
    String psiRule = String.format(Locale.ROOT, "amber >= %s, red > %s", t.psiAmber(), t.psiRed());
    if (in.psi() != null) {
      out.add(new Light("psi", null, in.psi().value(), high(in.psi().value(), t.psiAmber(), t.psiRed()), true, psiRule));
    }
    in.psiByMonth().forEach((month, p) ->
        out.add(new Light("psi_month", month, p.value(), high(p.value(), t.psiAmber(), t.psiRed()), true, psiRule)));
    in.csi().forEach((feature, p) ->
        out.add(new Light("csi", feature, p.value(), high(p.value(), t.psiAmber(), t.psiRed()), true, psiRule)));
    String pRule = String.format(Locale.ROOT, "amber p < %s, red p < %s", t.jeffreysAmberP(), t.jeffreysRedP());
    if (in.portfolio() != null) {
      out.add(new Light("jeffreys_portfolio", null, in.portfolio().pValue(),
          low(in.portfolio().pValue(), t.jeffreysAmberP(), t.jeffreysRedP()), true, pRule));
    }
    for (PdAccuracy.Jeffreys g : in.grades()) {
      out.add(new Light("jeffreys_grade", g.grade(), g.pValue(), low(g.pValue(), t.jeffreysAmberP(), t.jeffreysRedP()),
          false, pRule + "; listed, the portfolio test decides"));
    }
    if (in.hosmerLemeshow() != null && in.hosmerLemeshow().pValue() != null) {
      double p = in.hosmerLemeshow().pValue();
      out.add(new Light("hosmer_lemeshow", null, p, p < t.hosmerLemeshowAmberP() ? AMBER : GREEN, true,
          String.format(Locale.ROOT, "amber p < %s (never red: large samples reject small miscalibration)",
              t.hosmerLemeshowAmberP())));
    }
    if (in.aucDropSe() != null && !in.aucDropSe().isNaN()) {
      out.add(new Light("auc_drop", null, in.aucDropSe(), strictlyHigh(in.aucDropSe(), t.aucDropAmberSe(),
          t.aucDropRedSe()), true, String.format(Locale.ROOT, "development AUC minus AUC, in DeLong SEs: amber > %s, "
              + "red > %s", t.aucDropAmberSe(), t.aucDropRedSe())));
    }
    if (in.rankOrdering() != null) {
      int breaks = in.rankOrdering().breaks().size();
      out.add(new Light("rank_ordering", null, breaks,
          breaks >= t.rankBreaksRed() ? RED : breaks >= t.rankBreaksAmber() ? AMBER : GREEN, true,
          String.format(Locale.ROOT, "breaks: amber >= %d, red >= %d", t.rankBreaksAmber(), t.rankBreaksRed())));
    }
    return List.copyOf(out);
  }

  /** The worst level among the lights that count; green when none does. */
  public static String verdict(List<Light> lights) {
    String worst = GREEN;
    for (Light l : lights) {
      if (l.counts() && rank(l.level()) > rank(worst)) {
        worst = l.level();
      }
    }
    return worst;
  }

  private static int rank(String level) {
    return Lights.rank(level);
  }

  private static String high(double v, double amber, double red) {
    return Lights.atOrAbove(v, amber, red);
  }

  private static String strictlyHigh(double v, double amber, double red) {
    return v > red ? RED : v > amber ? AMBER : GREEN;
  }

  private static String low(double p, double amber, double red) {
    return p < red ? RED : p < amber ? AMBER : GREEN;
  }
}
