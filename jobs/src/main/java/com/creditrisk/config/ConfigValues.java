package com.creditrisk.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The effective value of every registry key, read and checked key by key. */
final class ConfigValues {
  private final Map<ConfigKey<?>, Object> values = new HashMap<>();

  /** Reads every key with the checks of its type, in registry order (so the first bad key is reported). */
  static ConfigValues read(ConfigReader r, List<ConfigKey<?>> keys) {
    ConfigValues v = new ConfigValues();
    for (ConfigKey<?> k : keys) {
      v.values.put(k, r.get(k));
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  <T> T get(ConfigKey<T> key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("not read: " + key);
    }
    return (T) values.get(key);
  }

  /** Replaces a value by its effective one (a null default that follows another key). */
  <T> void resolve(ConfigKey<T> key, T value) {
    values.put(key, value);
  }

  /** A value whatever its type, for the fingerprint, which walks every key. */
  Object raw(ConfigKey<?> key) {
    return values.get(key);
  }
}
