package com.creditrisk.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.monitoring.Indicators.Indicator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndicatorsTest {
  private static final LocalDate DEC = LocalDate.parse("2025-12-31");

  private static Indicator light(String model, String indicator, double value, String light) {
    return new Indicator(DEC, model, "all", indicator, value, null, null, null, light, "rule of " + indicator, "r",
        "m");
  }

  @Test
  void theReportsVerdictSpellsOutEveryReasonWhenThereAreAtMostThree() {
    List<Indicator> latest = Indicators.latestLights(List.of(light("gbt", "ks", 0.1, "amber"),
        light("gbt", "auc", 0.6, "red"), light("gbt", "psi", 0.01, "green")));
    String full = String.join("; ", Indicators.reasons(latest));
    assertEquals("red: gbt all auc 0.6000 (rule of auc); amber: gbt all ks 0.1000 (rule of ks)", full);
    assertEquals(full, Indicators.shownReason(latest, full));
  }

  @Test
  void theReportsVerdictCountsTheLightsAndShowsTheWorstThreeWhenThereAreMore() {
    List<Indicator> all = new ArrayList<>(List.of(light("a", "psi", 0.3, "amber"), light("a", "auc", 0.5, "red"),
        light("b", "ks", 0.2, "amber"), light("b", "auc", 0.55, "red"), light("c", "csi", 0.15, "amber"),
        light("c", "auc", 0.7, "green")));
    List<Indicator> latest = Indicators.latestLights(all);
    String full = String.join("; ", Indicators.reasons(latest));
    assertEquals("2 red and 3 amber indicators as of 2025-12-31. The first 3: red: a all auc 0.5000 (rule of auc); "
        + "red: b all auc 0.5500 (rule of auc); amber: a all psi 0.3000 (rule of psi); the others are in the table "
        + "below", Indicators.shownReason(latest, full));
  }
}
