package com.creditrisk.config;

import java.util.Locale;

/** Storage formats an input can be read from. */
public enum InputFormat {
  DELTA, PARQUET, CSV;

  public static InputFormat parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw com.creditrisk.errors.Errors.badConfigValue(key, value, "one of delta, parquet, csv");
    }
  }

  public String sparkFormat() {
    return name().toLowerCase(Locale.ROOT);
  }
}
