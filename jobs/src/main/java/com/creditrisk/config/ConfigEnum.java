package com.creditrisk.config;

import java.util.Locale;

/** An enum-valued setting: its config spelling, also what JSON outputs and messages show, is the lowercase name. */
public interface ConfigEnum {
  String name();

  default String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
