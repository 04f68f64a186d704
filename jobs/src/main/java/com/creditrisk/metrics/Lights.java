package com.creditrisk.metrics;

/**
 * The three light levels and the rules that turn a statistic into one, shared by validate and
 * monitor (which are separate jobs and import neither the other): one spelling of each level, one
 * definition of each band.
 */
public final class Lights {
  public static final String GREEN = "green";
  public static final String AMBER = "amber";
  public static final String RED = "red";

  private Lights() {}

  /** The PSI and CSI bands: red above {@code red}, amber from {@code amber}, else green. */
  public static String atOrAbove(double v, double amber, double red) {
    return v > red ? RED : v >= amber ? AMBER : GREEN;
  }

  /** 2 for red, 1 for amber, 0 for anything else: the order a verdict takes the worst of. */
  public static int rank(String level) {
    return switch (level) {
      case RED -> 2;
      case AMBER -> 1;
      default -> 0;
    };
  }
}
