package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.models.ApprovalComparison.Groups;
import org.junit.jupiter.api.Test;

/** Two approval policies on ten loans of known outcome, worked by hand. */
class ApprovalComparisonTest {
  // Without the source: PDs 0.01 (4 loans, 0 bad), 0.02 (3, 1), 0.05 (2, 1), 0.10 (1, 1).
  static final Groups WITHOUT = new Groups(new double[] {0.01, 0.02, 0.05, 0.10}, new long[] {4, 3, 2, 1},
      new long[] {0, 1, 1, 1}, new double[] {40, 20, 5, -50});
  // With it: 0.01 (5 loans, 0 bad), 0.03 (3, 0), 0.20 (2, 2).
  static final Groups WITH = new Groups(new double[] {0.01, 0.03, 0.20}, new long[] {5, 3, 2},
      new long[] {0, 0, 2}, new double[] {50, 30, -60});

  @Test
  void bothApproveTheirSafestLoansUpToTheShareAndTheSecondAtTheFirstsBadRate() {
    ApprovalComparison.Outcome o = ApprovalComparison.compare(WITHOUT, WITH, 0.7);
    assertEquals(10, o.loans());
    // At most 7 loans: without takes 4 + 3 (1 bad, profit 60); with takes 5 (the next group of 3 would make 8).
    assertEquals(new ApprovalComparison.Approved(7, 1, 60), o.without());
    assertEquals(new ApprovalComparison.Approved(5, 0, 50), o.with());
    assertEquals(1000.0 / 7, o.badsAvoidedPer1000Approvals(), 1e-12);
    // At without's bad rate 1/7, with can approve 8 loans (0 bad); all 10 would be 2/10 > 1/7.
    assertEquals(new ApprovalComparison.Approved(8, 0, 80), o.withAtSameBadRate());
    assertEquals(100.0, o.extraApprovalsPer1000(), 1e-12);
    assertEquals(-1000.0, o.profitGainPer1000(), 1e-12);
  }

  @Test
  void loansSharingAPdAreApprovedTogetherOrNotAtAll() {
    ApprovalComparison.Outcome o = ApprovalComparison.compare(WITHOUT, WITH, 0.45);
    assertEquals(new ApprovalComparison.Approved(4, 0, 40), o.without());
    assertEquals(new ApprovalComparison.Approved(0, 0, 0), o.with(), "5 loans share the lowest PD: more than 4");
    assertTrue(Double.isNaN(o.badsAvoidedPer1000Approvals()));
    // At a bad rate of 0, with approves its first two groups (8 loans, no bad).
    assertEquals(new ApprovalComparison.Approved(8, 0, 80), o.withAtSameBadRate());
  }

  @Test
  void everyLoanApprovedAtShareOne() {
    ApprovalComparison.Outcome o = ApprovalComparison.compare(WITHOUT, WITH, 1.0);
    assertEquals(new ApprovalComparison.Approved(10, 3, 15), o.without());
    assertEquals(new ApprovalComparison.Approved(10, 2, 20), o.with());
    assertEquals(100.0, o.badsAvoidedPer1000Approvals(), 1e-12);
    assertEquals(500.0, o.profitGainPer1000(), 1e-12);
  }
}
