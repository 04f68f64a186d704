package com.creditrisk.config;

import com.creditrisk.errors.Errors;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the value of a config key is read and checked, described on the configuration page, and
 * written into the fingerprint. The checks are the ones that need no other key; rules across keys
 * (score.min below score.max, a red threshold above its amber one) are in the section parsers.
 *
 * @param <T> the parsed value
 */
interface ConfigType<T> {
  /** Reads and checks the value at key; a bad value is exit 2 naming the key and the rule. */
  T read(ConfigReader r, String key);

  /** What the configuration page says the value must be. */
  String describe();

  /** The value as the configuration page shows a default. */
  default String render(T value) {
    return String.valueOf(value);
  }

  /** The value as the fingerprint hashes it: the text the typed settings printed when RUN_IDs began. */
  default String canonical(T value) {
    return String.valueOf(value);
  }

  /**
   * For an object-valued key, whether a path under it (the parts after the key) is known. Leaf
   * keys have no children.
   */
  default boolean isKnownChild(List<String> rest) {
    return false;
  }

  /** Whether the key is an object whose children {@link #isKnownChild} decides. */
  default boolean isGroup() {
    return false;
  }

  static ConfigType<Integer> integer(int min, int max) {
    return new Simple<>((r, k) -> r.intValue(k, min, max),
        min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "integer" : "integer in " + range(min, max));
  }

  static ConfigType<Long> longInteger() {
    return new Simple<>(ConfigReader::longValue, "integer");
  }

  /** An integer, or null for a default that depends on another key (checked by the section parser). */
  static ConfigType<Integer> nullableInteger(int min, int max) {
    return new Simple<>((r, k) -> r.isNull(k) ? null : r.intValue(k, min, max), "integer or null");
  }

  static ConfigType<Double> number(double min, double max) {
    return new Simple<>((r, k) -> r.doubleValue(k, min, max), "number in " + range(min, max)) {
      @Override
      public String render(Double value) {
        return plain(value);
      }
    };
  }

  /** true or false; HOCON's yes/no/on/off are accepted as Typesafe Config reads them. */
  static ConfigType<Boolean> flag() {
    return new Simple<>(ConfigReader::booleanValue, "true or false");
  }

  static ConfigType<String> text() {
    return new Simple<>(ConfigReader::nonBlankString, "non-empty string");
  }

  static ConfigType<Optional<String>> optionalText(String what) {
    return optionalText(what, ConfigReader::optionalString);
  }

  /** Text that must match a pattern (checked at load, exit 2 naming the rule), or null. */
  static ConfigType<Optional<String>> optionalText(String what, String pattern, String rule) {
    return optionalText(what, (r, k) -> r.optionalString(k).map(v -> {
      if (!v.matches(pattern)) {
        throw Errors.badConfigValue(k, v, rule);
      }
      return v;
    }));
  }

  private static ConfigType<Optional<String>> optionalText(String what,
      java.util.function.BiFunction<ConfigReader, String, Optional<String>> read) {
    return new Simple<>(read::apply, what + " or null") {
      @Override
      public String render(Optional<String> value) {
        return value.orElse("null");
      }

      @Override
      public String canonical(Optional<String> value) {
        return value.orElse("null");
      }
    };
  }

  static ConfigType<Optional<LocalDate>> optionalDate() {
    return new Simple<>(ConfigReader::optionalDate, "date yyyy-MM-dd or null") {
      @Override
      public String render(Optional<LocalDate> value) {
        return value.map(LocalDate::toString).orElse("null");
      }

      @Override
      public String canonical(Optional<LocalDate> value) {
        return value.map(LocalDate::toString).orElse("null");
      }
    };
  }

  /** A time zone id: it decides how CSV timestamps are read and where the as-of day ends. */
  static ConfigType<String> zoneId() {
    return new Simple<>((r, k) -> {
      String zone = r.nonBlankString(k);
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        throw Errors.badConfigValue(k, zone, "a time zone id such as UTC");
      }
      return zone;
    }, "time zone id");
  }

  static ConfigType<List<String>> textList() {
    return new Simple<>(ConfigReader::stringList, "list of strings (or one comma-separated string)") {
      @Override
      public String render(List<String> value) {
        return "[" + String.join(", ", value) + "]";
      }
    };
  }

  static ConfigType<List<Double>> numberList(double min, double max) {
    return new Simple<>((r, k) -> r.doubleList(k, min, max), "list of numbers in " + range(min, max)) {
      @Override
      public String render(List<Double> value) {
        return value.stream().map(ConfigType::plain).collect(Collectors.joining(", ", "[", "]"));
      }
    };
  }

  static ConfigType<List<Integer>> wholeList(int min, int max) {
    return new Simple<>((r, k) -> {
      List<Integer> out = new ArrayList<>();
      for (Double d : r.doubleList(k, min, max)) {
        if (d != Math.rint(d)) {
          throw Errors.badConfigValue(k, d, "whole numbers in [" + min + ", " + max + "]");
        }
        out.add(d.intValue());
      }
      return List.copyOf(out);
    }, "list of integers in " + range(min, max));
  }

  /**
   * One of an enum's values by its lowercase name.
   *
   * @param lenient ignore case and surrounding blanks (as label.use and the input formats always did),
   *     else the name must match exactly
   * @param expected the rule quoted when the value is none of them
   */
  static <E extends Enum<E> & ConfigEnum> ConfigType<E> choice(Class<E> type, boolean lenient, String expected) {
    E[] values = type.getEnumConstants();
    String names = Arrays.stream(values).map(ConfigEnum::configName).collect(Collectors.joining(", "));
    return new Simple<>((r, k) -> {
      String s = r.nonBlankString(k);
      for (E e : values) {
        if (lenient ? e.name().equals(s.trim().toUpperCase(Locale.ROOT)) : e.configName().equals(s)) {
          return e;
        }
      }
      throw Errors.badConfigValue(k, s, expected);
    }, "one of " + names) {
      @Override
      public String render(E value) {
        return value.configName();
      }

      @Override
      public String canonical(E value) {
        return value.configName();
      }
    };
  }

  /** Numbers as a person writes them: 0.0001, not 1.0E-4; 600, not 600.0. */
  static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String range(double min, double max) {
    return "[" + bound(min) + ", " + bound(max) + "]";
  }

  private static String bound(double v) {
    if (v == Double.MAX_VALUE || v == Integer.MAX_VALUE) {
      return "∞";
    }
    if (v == -Double.MAX_VALUE || v == Integer.MIN_VALUE) {
      return "-∞";
    }
    return v == Double.MIN_VALUE ? "0 (excluded)" : plain(v);
  }

  /** Reads one kind of value; the page's description is fixed per type. */
  class Simple<T> implements ConfigType<T> {
    interface Reader<T> {
      T read(ConfigReader r, String key);
    }

    private final Reader<T> reader;
    private final String description;

    Simple(Reader<T> reader, String description) {
      this.reader = reader;
      this.description = description;
    }

    @Override
    public T read(ConfigReader r, String key) {
      return reader.read(r, key);
    }

    @Override
    public String describe() {
      return description;
    }
  }

  /** An object of string values whose keys a predicate accepts (a column mapping, Spark's own settings). */
  static ConfigType<Map<String, String>> stringMap(String description, java.util.function.Predicate<String> knownKey,
      String valueRule) {
    return new ConfigType<>() {
      @Override
      public Map<String, String> read(ConfigReader r, String key) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : r.entries(key).entrySet()) {
          if (valueRule != null && e.getValue().valueType() != com.typesafe.config.ConfigValueType.STRING) {
            throw Errors.badConfigValue(key + "." + e.getKey(), e.getValue().unwrapped(), valueRule);
          }
          out.put(ConfigReader.unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
        }
        return Map.copyOf(out);
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public String render(Map<String, String> value) {
        return value.isEmpty() ? "{}" : value.toString();
      }

      @Override
      public String canonical(Map<String, String> value) {
        return new java.util.TreeMap<>(value).toString();
      }

      @Override
      public boolean isKnownChild(List<String> rest) {
        return rest.size() == 1 && knownKey.test(rest.get(0));
      }

      @Override
      public boolean isGroup() {
        return true;
      }
    };
  }
}
