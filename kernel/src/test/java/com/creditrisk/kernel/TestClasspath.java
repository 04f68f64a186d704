package com.creditrisk.kernel;

/** The test JVM's real classpath: Surefire starts it from a manifest-only jar. */
final class TestClasspath {
  private TestClasspath() {}

  static String get() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }
}
