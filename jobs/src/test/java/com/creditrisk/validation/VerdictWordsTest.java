package com.creditrisk.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.ValidationConfig;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.report.SmallCells;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's verdict line in words, one case per kind of light that can decide the verdict, with
 * the lights computed by TrafficLights from the default thresholds. No Spark needed.
 */
class VerdictWordsTest {
  private static final ValidationConfig DEFAULTS = CreditRiskConfig.defaults().validation();
  private static final RankOrdering.Result NO_BREAKS = new RankOrdering.Result(List.of(), List.of());
  private static final Discrimination.Result DISCRIMINATION = new Discrimination.Result(3212, 381, 0.651, 0.302,
      0.25, 600.0);

  private static Stability.Psi psi(double v) {
    return new Stability.Psi(v, "shifted", 1000, 1000, List.of());
  }

  /** The verdict line of a result that has exactly these statistics. */
  private static String verdictLine(Stability.Psi psi, Map<String, Stability.Psi> byMonth,
      Map<String, Stability.Psi> csi, PdAccuracy.Jeffreys portfolio, PdAccuracy.HosmerLemeshow hl,
      Double developmentAuc, Double aucDropSe, RankOrdering.Result rank) {
    List<TrafficLights.Light> lights = TrafficLights.evaluate(new TrafficLights.Inputs(psi, byMonth, csi, portfolio,
        List.of(), hl, aucDropSe, rank), DEFAULTS);
    ValidationResult r = new ValidationResult(null, 3212, Map.of(), DISCRIMINATION, developmentAuc, aucDropSe, null,
        null, hl, List.of(), portfolio, null, null, rank, psi, null, byMonth, csi, List.of(), lights,
        TrafficLights.verdict(lights), null, Map.of());
    return ValidationReport.verdict(r, SmallCells.NONE).reason();
  }

  @Test
  void thePortfolioJeffreysTestSaysThePdsAreTooLowWithTheMeanPdAndTheBadRate() {
    PdAccuracy.Jeffreys portfolio = new PdAccuracy.Jeffreys("portfolio", 3212, 381, 0.071, 0.1186, 0.00267, 0.1, 0.13);
    assertEquals("red: PDs too low — mean PD 7.1% against an observed bad rate of 11.9% (Jeffreys p = 0.003)",
        verdictLine(null, Map.of(), Map.of(), portfolio, null, null, null, NO_BREAKS));
  }

  @Test
  void aTinyPValueAndATinyPdStayReadable() {
    PdAccuracy.Jeffreys portfolio = new PdAccuracy.Jeffreys("portfolio", 50000, 40, 0.0004, 0.0008, 1e-9, 0, 0);
    assertEquals("red: PDs too low — mean PD 0.04% against an observed bad rate of 0.08% (Jeffreys p < 0.001)",
        verdictLine(null, Map.of(), Map.of(), portfolio, null, null, null, NO_BREAKS));
  }

  @Test
  void hosmerLemeshowSaysThePdsAreOffAcrossBands() {
    PdAccuracy.HosmerLemeshow hl = new PdAccuracy.HosmerLemeshow(25.31, 8, 0.0014, null, List.of());
    assertEquals("amber: PDs off across the PD bands (Hosmer-Lemeshow p = 0.001, chi-square 25.3 on 8 df)",
        verdictLine(null, Map.of(), Map.of(), null, hl, null, null, NO_BREAKS));
  }

  @Test
  void psiSaysTheScoreDistributionShifted() {
    assertEquals("red: score distribution shifted from the baseline — PSI 0.312",
        verdictLine(psi(0.312), Map.of(), Map.of(), null, null, null, null, NO_BREAKS));
  }

  @Test
  void psiPerMonthNamesTheMonth() {
    assertEquals("amber: score distribution shifted in 2025-11 — PSI 0.180 against the baseline",
        verdictLine(null, Map.of("2025-11", psi(0.18), "2025-10", psi(0.02)), Map.of(), null, null, null, null,
            NO_BREAKS));
  }

  @Test
  void csiNamesTheFeature() {
    assertEquals("red: feature channel shifted — CSI 0.410 against the baseline",
        verdictLine(null, Map.of(), Map.of("channel", psi(0.41)), null, null, null, null, NO_BREAKS));
  }

  @Test
  void anAucDropGivesBothAucsAndTheStandardErrors() {
    assertEquals("red: discrimination fell — AUC 0.651 against 0.690 in development, 2.4 standard errors lower",
        verdictLine(null, Map.of(), Map.of(), null, null, 0.690, 2.4, NO_BREAKS));
  }

  @Test
  void rankOrderingBreaksGiveTheirCountAndTheFirstBreak() {
    RankOrdering.Result rank = new RankOrdering.Result(List.of(), List.of(
        new RankOrdering.Break(4, "600..650", 0.081, 0.062), new RankOrdering.Break(6, "700..750", 0.05, 0.04),
        new RankOrdering.Break(8, "800..850", 0.03, 0.02)));
    assertEquals("red: rank ordering broken — the bad rate rises in 3 places from one score band to the next safer "
        + "one (first in 600..650: 8.1% after 6.2%)",
        verdictLine(null, Map.of(), Map.of(), null, null, null, null, rank));
  }

  @Test
  void everyLightOfTheVerdictsLevelIsListedAndOthersAreNot() {
    PdAccuracy.Jeffreys portfolio = new PdAccuracy.Jeffreys("portfolio", 3212, 381, 0.071, 0.1186, 0.00267, 0.1, 0.13);
    assertEquals("red: score distribution shifted from the baseline — PSI 0.312; PDs too low — mean PD 7.1% "
        + "against an observed bad rate of 11.9% (Jeffreys p = 0.003)",
        verdictLine(psi(0.312), Map.of(), Map.of("channel", psi(0.15)), portfolio, null, null, null, NO_BREAKS));
  }

  @Test
  void aGreenVerdictSaysSo() {
    assertEquals("every counted check is green",
        verdictLine(psi(0.01), Map.of(), Map.of(), null, null, null, null, NO_BREAKS));
  }
}
