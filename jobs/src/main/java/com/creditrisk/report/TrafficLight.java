package com.creditrisk.report;

/** The three-level judgement a reviewer reads first: within tolerance, watch, act. */
public enum TrafficLight {
  GREEN("green"),
  AMBER("amber"),
  RED("red");

  private final String label;

  TrafficLight(String label) {
    this.label = label;
  }

  /** Lower-case name, as the report prints it and its CSS classes use it. */
  public String label() {
    return label;
  }

  /** The worse of two lights (red over amber over green). */
  public TrafficLight worst(TrafficLight other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
