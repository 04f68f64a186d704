package com.creditrisk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateBackTestTest {
  /**
   * Three matured months and one still open. Errors realised - estimated: 0.70 - 0.74 = -0.04 (SE
   * 0.02: z = -2), 0.75 - 0.72 = +0.03 (no SE), 0.71 - 0.71 = 0. Mean absolute error 0.07 / 3, mean
   * error -0.01 / 3, largest miss 0.04; the open month is listed but not summarised.
   */
  @Test
  void errorsPerMonthAndTheirSummaryOverTheMonthsWithBothValues() {
    EstimateBackTest.Result r = EstimateBackTest.of(List.of(
        new EstimateBackTest.Month("2025-01", 0.74, 0.02, 0.70),
        new EstimateBackTest.Month("2025-02", 0.72, Double.NaN, 0.75),
        new EstimateBackTest.Month("2025-03", 0.71, 0.01, 0.71),
        new EstimateBackTest.Month("2025-04", 0.69, 0.02, Double.NaN)));
    assertEquals(4, r.months().size());
    assertEquals(3, r.compared());
    assertEquals(-0.04, r.months().get(0).error(), 1e-12);
    assertEquals(-2, r.months().get(0).z(), 1e-9);
    assertEquals(0.03, r.months().get(1).error(), 1e-12);
    assertTrue(Double.isNaN(r.months().get(1).z()));
    assertEquals("2025-04", r.months().get(3).month());
    assertTrue(Double.isNaN(r.months().get(3).error()));
    assertEquals(0.07 / 3, r.meanAbsoluteError(), 1e-12);
    assertEquals(-0.01 / 3, r.meanError(), 1e-12);
    assertEquals(0.04, r.maxAbsoluteError(), 1e-12);
  }

  @Test
  void noMaturedMonthGivesNoSummary() {
    EstimateBackTest.Result r = EstimateBackTest.of(List.of(new EstimateBackTest.Month("2025-04", 0.69, 0.02,
        Double.NaN)));
    assertEquals(0, r.compared());
    assertTrue(Double.isNaN(r.meanAbsoluteError()));
    assertTrue(Double.isNaN(r.meanError()));
    assertTrue(Double.isNaN(r.maxAbsoluteError()));
  }
}
