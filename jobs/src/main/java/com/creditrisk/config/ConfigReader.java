package com.creditrisk.config;

import com.creditrisk.errors.Errors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads single values out of a resolved HOCON tree, each check failing with the key, the value
 * and the rule ({@link Errors#badConfigValue}). The {@link ConfigType}s are built on these, so a
 * value reads the same whichever key it is under.
 */
final class ConfigReader {
  private final Config config;

  ConfigReader(Config config) {
    this.config = config;
  }

  Config config() {
    return config;
  }

  /** Reads an entry with the checks its registry declaration carries. */
  <T> T get(ConfigKey<T> key) {
    return key.type().read(this, key.key());
  }

  boolean isNull(String key) {
    return config.getIsNull(key);
  }

  boolean hasPath(String key) {
    return config.hasPath(key);
  }

  int intValue(String key, int min, int max) {
    long v = longValue(key);
    if (v < min || v > max) {
      throw Errors.badConfigValue(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  long longValue(String key) {
    try {
      // getLong would silently truncate 30.5 to 30; accept whole numbers only.
      Number n = config.getNumber(key);
      if (!(n instanceof Integer || n instanceof Long)) {
        throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "an integer");
      }
      return n.longValue();
    } catch (ConfigException.Missing e) {
      throw Errors.badConfigValue(key, "null", "a value is required");
    } catch (ConfigException.WrongType e) {
      throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "an integer");
    }
  }

  double doubleValue(String key, double min, double max) {
    double v;
    try {
      v = config.getDouble(key);
    } catch (ConfigException.Missing e) {
      throw Errors.badConfigValue(key, "null", "a value is required");
    } catch (ConfigException.WrongType e) {
      throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "a number");
    }
    if (Double.isNaN(v) || v < min || v > max) {
      throw Errors.badConfigValue(key, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  boolean booleanValue(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.Missing e) {
      throw Errors.badConfigValue(key, "null", "a value is required");
    } catch (ConfigException.WrongType e) {
      throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "true or false");
    }
  }

  String nonBlankString(String key) {
    Optional<String> s = optionalString(key);
    if (s.isEmpty() || s.get().isBlank()) {
      throw Errors.badConfigValue(key, s.orElse("null"), "a non-empty string");
    }
    return s.get();
  }

  Optional<String> optionalString(String key) {
    if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
      return Optional.empty();
    }
    ConfigValue v = config.getValue(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw Errors.badConfigValue(key, v.unwrapped(), "a single value");
    }
    return Optional.of(String.valueOf(v.unwrapped()));
  }

  Optional<LocalDate> optionalDate(String key) {
    return optionalString(key).map(s -> {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw Errors.badConfigValue(key, s, "a date yyyy-MM-dd");
      }
    });
  }

  /** A list, or a comma-separated string. */
  List<String> stringList(String key) {
    ConfigValue v = config.getValue(key);
    List<String> out = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) {
      for (Object o : config.getList(key).unwrapped()) {
        out.add(String.valueOf(o).trim());
      }
    } else if (v.valueType() == ConfigValueType.STRING) {
      for (String s : ((String) v.unwrapped()).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    } else {
      throw Errors.badConfigValue(key, v.unwrapped(), "a list of strings");
    }
    return List.copyOf(out);
  }

  /** A list whose items are strings (comma-separated column sets) or lists of strings. */
  List<String> stringListOfLists(String key) {
    ConfigValue v = config.getValue(key);
    if (v.valueType() != ConfigValueType.LIST) {
      return stringList(key);
    }
    List<String> out = new ArrayList<>();
    for (Object o : config.getList(key).unwrapped()) {
      out.add(o instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(o));
    }
    return out;
  }

  List<Double> doubleList(String key, double min, double max) {
    List<Double> out = new ArrayList<>();
    for (String s : stringList(key)) {
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(key, s, "a list of numbers");
      }
      if (Double.isNaN(v) || v < min || v > max) {
        throw Errors.badConfigValue(key, s, "numbers in [" + min + ", " + max + "]");
      }
      out.add(v);
    }
    return List.copyOf(out);
  }

  /** The leaf entries under an object, by their path as HOCON spells it; empty when the key is absent. */
  Map<String, ConfigValue> entries(String key) {
    Map<String, ConfigValue> out = new TreeMap<>();
    if (config.hasPath(key)) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig(key).entrySet()) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  static String unquote(String key) {
    return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")
        ? key.substring(1, key.length() - 1)
        : key;
  }
}
