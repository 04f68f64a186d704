package com.creditrisk.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One config key, declared once in {@link ConfigKeys}: its name, how its value is read and checked,
 * its default (the value conf/defaults.conf must hold, a test checks), what it means, and whether
 * it changes what a run computes. Keys that do are hashed into the config fingerprint, and so into
 * the RUN_ID; the others (Spark sizing, scheduling) are not, so changing them reuses the same runs.
 *
 * @param <T> the parsed value
 */
public final class ConfigKey<T> {
  private final String key;
  private final ConfigType<T> type;
  private final T defaultValue;
  private final String doc;
  private final Fingerprint.Section section;
  private final String field;
  private final boolean changesResults;
  private final boolean hashedUnlessDefault;
  private final Function<T, String> canonical;

  private ConfigKey(Builder<T> b) {
    this.key = b.key;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.doc = Objects.requireNonNull(b.doc, key + " needs a doc");
    this.section = b.section;
    this.field = b.field;
    this.changesResults = b.changesResults;
    this.hashedUnlessDefault = b.hashedUnlessDefault;
    this.canonical = b.canonical != null ? b.canonical : type::canonical;
  }

  static <T> Builder<T> of(String key, ConfigType<T> type) {
    return new Builder<>(key, type);
  }

  public String key() {
    return key;
  }

  ConfigType<T> type() {
    return type;
  }

  /** The bundled default, null when the key has none (then its doc says what an unset value means). */
  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Whether the value is part of the fingerprint (and so of the RUN_ID). */
  public boolean changesResults() {
    return changesResults;
  }

  /** Whether the key is left out of the fingerprint while it holds its default ({@link Builder#hashedUnlessDefault}). */
  boolean hashedUnlessDefault() {
    return hashedUnlessDefault;
  }

  /** The section whose line of the fingerprint holds the value; null for a line of its own. */
  Fingerprint.Section section() {
    return section;
  }

  /** The value's name inside its fingerprint section. */
  String field() {
    return field;
  }

  @SuppressWarnings("unchecked")
  String canonical(Object value) {
    return canonical.apply((T) value);
  }

  @Override
  public String toString() {
    return key;
  }

  /** Fluent declaration; {@link #build} checks it is complete. */
  static final class Builder<T> {
    private final String key;
    private final ConfigType<T> type;
    private T defaultValue;
    private String doc;
    private Fingerprint.Section section;
    private String field;
    private boolean changesResults = true;
    private boolean hashedUnlessDefault;
    private Function<T, String> canonical;

    private Builder(String key, ConfigType<T> type) {
      this.key = key;
      this.type = type;
    }

    Builder<T> byDefault(T value) {
      this.defaultValue = value;
      return this;
    }

    Builder<T> doc(String text) {
      this.doc = text;
      return this;
    }

    /** Hashed as {@code field=value} inside a section's line of the fingerprint. */
    Builder<T> in(Fingerprint.Section s, String fieldName) {
      this.section = s;
      this.field = fieldName;
      return this;
    }

    /** Hashed with this text instead of the type's canonical one. */
    Builder<T> fingerprintAs(Function<T, String> f) {
      this.canonical = f;
      return this;
    }

    /**
     * A results key added after RUN_IDs were recorded: hashed only when its value differs from the
     * default, so every config that leaves it alone keeps the fingerprint (and the RUN_IDs) it had.
     */
    Builder<T> hashedUnlessDefault() {
      this.hashedUnlessDefault = true;
      return this;
    }

    /** Changes how a run goes (speed, scheduling), not what it computes: left out of the fingerprint. */
    Builder<T> executionOnly() {
      this.changesResults = false;
      return this;
    }

    ConfigKey<T> build() {
      return new ConfigKey<>(this);
    }
  }
}
