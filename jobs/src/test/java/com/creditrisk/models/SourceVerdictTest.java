package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SourceVerdictTest {
  @Test
  void aGainThatIsNotSignificantIsNotSignificantWhateverItsValue() {
    assertEquals("not significant", SourceValue.verdict(0.05, 0.02, 900.0));
    assertEquals("not significant", SourceValue.verdict(Double.NaN, 0.02, 900.0));
  }

  @Test
  void aSignificantGainPaysOnlyWhenItsNetValueIsPositive() {
    assertEquals("pays", SourceValue.verdict(0.049, 0.02, 0.01));
    assertEquals("does not pay", SourceValue.verdict(0.001, 0.02, 0.0));
    assertEquals("does not pay", SourceValue.verdict(0.001, 0.02, -120.0));
  }

  @Test
  void aSignificantLossNeverPaysEvenWithAPositiveRealisedValue() {
    // The case seen on generated data: a noise source at -0.0075 AUC, p 0.043, +5,399 per 1,000.
    assertEquals("does not pay", SourceValue.verdict(0.043, -0.0075, 5399.0));
  }
}
