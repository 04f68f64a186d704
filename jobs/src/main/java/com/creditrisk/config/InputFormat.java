package com.creditrisk.config;

import com.creditrisk.errors.Errors;
import java.util.Locale;

/** Storage formats an input can be read from. */
public enum InputFormat implements ConfigEnum {
  DELTA, PARQUET, CSV;

  public static InputFormat parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Errors.badConfigValue(key, value, "one of delta, parquet, csv");
    }
  }

  public String sparkFormat() {
    return name().toLowerCase(Locale.ROOT);
  }
}
