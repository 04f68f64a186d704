package com.creditrisk.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validation and cutoffs block of {@link Errors}: each factory's code, exit code and message shape. */
class ValidationErrorsTest {
  @Test
  void aStageThatFailsAfterWritingSaysWhatWasRolledBack() {
    IOException cause = new IOException("disk full");
    CreditRiskException e = Errors.failedAfterWrite("calibrate", "/wh/cutoff_curve", cause);
    assertEquals(ErrorCode.INTERNAL, e.code());
    assertEquals(1, e.exitCode());
    assertEquals("calibrate failed after writing /wh/cutoff_curve (rolled back): disk full", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @Test
  void aFailedGateExitsFourAndListsTheRedLights() {
    CreditRiskException e = Errors.validationGateFailed(List.of("psi", "gbt psi_month 2025-01"), "/run/metrics.json");
    assertEquals(ErrorCode.GATE_FAILED, e.code());
    assertEquals(4, e.exitCode());
    assertEquals("Validation gate failed: the verdict is red (psi, gbt psi_month 2025-01); /run/metrics.json was "
        + "written", e.getMessage());
  }
}
