package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The tree count early stopping with patience keeps, on hand-made test log-loss sequences whose
 * answer is known. No Spark. losses[i] is the loss with i + 1 trees.
 */
class BoostingStopTest {
  /** Falls to 0.50 at 3 trees, one noisy tree up (0.51), then falls to its minimum 0.40 at 7 trees. */
  private static final double[] NOISY_DIP = {0.60, 0.55, 0.50, 0.51, 0.48, 0.45, 0.40, 0.41, 0.42, 0.43, 0.44};

  @Test
  void patienceOneStopsAtTheFirstNonImprovingTreeAsSparkDoes() {
    // Tree 4 is worse than tree 3: Spark's rule keeps 3 trees and never sees the minimum at 7.
    assertEquals(3, BoostingStop.treesToKeep(NOISY_DIP, 1, 0.0));
  }

  @Test
  void patienceBoostsThroughANoisyTreeAndKeepsTheBestCount() {
    assertEquals(7, BoostingStop.treesToKeep(NOISY_DIP, 2, 0.0));
    assertEquals(7, BoostingStop.treesToKeep(NOISY_DIP, 4, 0.0));
  }

  @Test
  void patienceLongerThanTheSequenceKeepsTheGlobalMinimumNotTheLastTree() {
    assertEquals(7, BoostingStop.treesToKeep(NOISY_DIP, 100, 0.0));
  }

  @Test
  void aGainBelowTheToleranceIsNotAnImprovement() {
    // Each step gains 0.001 on a loss near 0.5: below tol 0.01 * 0.5 = 0.005, so only the first tree counts.
    double[] flat = {0.500, 0.499, 0.498, 0.497, 0.496};
    assertEquals(1, BoostingStop.treesToKeep(flat, 3, 0.01));
    assertEquals(5, BoostingStop.treesToKeep(flat, 3, 0.0));
  }

  @Test
  void aMonotoneFallKeepsEveryTree() {
    assertEquals(4, BoostingStop.treesToKeep(new double[] {0.4, 0.3, 0.2, 0.1}, 1, 1e-4));
  }

  @Test
  void theStopIsFinalOnceKTreesInARowFailEvenIfALaterTreeIsBetter() {
    // Minimum 0.30 at 6 trees, but trees 3 and 4 do not improve on 2: patience 2 ends there; 4 waits.
    double[] late = {0.50, 0.45, 0.46, 0.47, 0.48, 0.30};
    assertEquals(2, BoostingStop.treesToKeep(late, 2, 0.0));
    assertEquals(6, BoostingStop.treesToKeep(late, 4, 0.0));
  }

  @Test
  void noLossOrNoPatienceIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> BoostingStop.treesToKeep(new double[0], 1, 0.0));
    assertThrows(IllegalArgumentException.class, () -> BoostingStop.treesToKeep(NOISY_DIP, 0, 0.0));
  }
}
