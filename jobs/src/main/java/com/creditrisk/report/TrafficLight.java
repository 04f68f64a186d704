package com.creditrisk.report;

import java.util.Locale;

/** The three-level judgement a reviewer reads first: within tolerance, watch, act. */
public enum TrafficLight {
  GREEN,
  AMBER,
  RED;

  /** Lower-case name, as the report prints it and its CSS classes use it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
