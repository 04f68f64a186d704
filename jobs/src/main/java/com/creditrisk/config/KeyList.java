package com.creditrisk.config;

import java.util.ArrayList;
import java.util.List;

/** The keys one registry class declares, in declaration order. */
final class KeyList {
  private final List<ConfigKey<?>> keys = new ArrayList<>();

  <T> ConfigKey<T> add(ConfigKey.Builder<T> b) {
    ConfigKey<T> k = b.build();
    keys.add(k);
    return k;
  }

  List<ConfigKey<?>> keys() {
    return List.copyOf(keys);
  }
}
