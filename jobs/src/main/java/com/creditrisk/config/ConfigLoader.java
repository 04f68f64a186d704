package com.creditrisk.config;

import com.creditrisk.errors.Errors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the configuration sources into one HOCON tree, and rejects keys the registry does not
 * declare. Precedence, highest first: {@code --set key=value}, then {@code --conf FILE} (a later
 * file beats an earlier one), then the profile named by {@link CreditRiskConfig#PROFILE_ENV}, then
 * the bundled {@code defaults.conf}. The only class that reads files or the environment.
 */
final class ConfigLoader {
  private ConfigLoader() {}

  static Config merge(List<File> confFiles, List<String> overrides) {
    Config merged = bundledDefaults();
    List<File> files = new ArrayList<>();
    // The launcher names its profile (conf/local.conf) here; explicit --conf files still win.
    String profile = System.getenv(CreditRiskConfig.PROFILE_ENV);
    if (profile != null && !profile.isBlank()) {
      files.add(new File(profile));
    }
    files.addAll(confFiles);
    for (File f : files) {
      if (!f.isFile()) {
        throw Errors.badConfigFile(f.getPath(), "no such file");
      }
      try {
        Config fileConf = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        merged = fileConf.withFallback(merged);
      } catch (ConfigException e) {
        throw Errors.badConfigFile(f.getPath(), e.getMessage());
      }
    }
    return withOverrides(merged, overrides);
  }

  static Config bundledDefaults() {
    return ConfigFactory.parseResources(CreditRiskConfig.class, "defaults.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  static Config withOverrides(Config base, List<String> overrides) {
    Config c = base;
    for (String kv : overrides) {
      c = applyOverride(c, kv);
    }
    return c;
  }

  private static Config applyOverride(Config base, String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw Errors.badUsage("Invalid --set '" + kv + "': expected key=value");
    }
    String key = kv.substring(0, eq).trim();
    String raw = kv.substring(eq + 1).trim();
    String path;
    if (key.startsWith("spark.conf.") && key.length() > "spark.conf.".length()) {
      // Spark's own keys are dotted; keep everything after spark.conf. as one key.
      path = ConfigUtil.joinPath("spark", "conf", key.substring("spark.conf.".length()));
    } else {
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        throw Errors.badUsage("Invalid --set key '" + key + "': " + e.getMessage());
      }
      path = key;
    }
    return base.withValue(path, parseValue(raw));
  }

  private static ConfigValue parseValue(String raw) {
    if (raw.equals("null")) {
      return ConfigValueFactory.fromAnyRef(null);
    }
    if (raw.startsWith("[")) {
      try {
        return ConfigFactory.parseString("v = " + raw).getValue("v");
      } catch (ConfigException e) {
        throw Errors.badUsage("Invalid --set list value '" + raw + "': " + e.getMessage());
      }
    }
    return ConfigValueFactory.fromAnyRef(raw);
  }

  static void rejectUnknownKeys(Config config) {
    List<String> unknown = new ArrayList<>();
    // Walk the tree rather than entrySet(): entrySet() leaves out null values and empty objects,
    // and a misspelt key set to null must not pass unnoticed.
    collectUnknown(config.root(), new ArrayList<>(), unknown);
    if (!unknown.isEmpty()) {
      unknown.sort(String::compareTo);
      throw Errors.unknownConfigKeys(unknown);
    }
  }

  private static void collectUnknown(ConfigObject obj, List<String> path, List<String> unknown) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      String key = ConfigUtil.joinPath(p);
      if (e.getValue() instanceof ConfigObject child) {
        if (p.equals(List.of("spark", "conf"))) {
          continue; // Spark's own settings, passed through as they are
        }
        if (child.isEmpty() && !isGroup(key)) {
          unknown.add(key);
        }
        collectUnknown(child, p, unknown);
      } else if (!isKnown(key)) {
        unknown.add(key);
      }
    }
  }

  /** An object-valued key (a column mapping, the economics): it may be empty. */
  private static boolean isGroup(String key) {
    return ConfigKeys.byName(key).map(k -> k.type().isGroup()).orElse(false);
  }

  private static boolean isKnown(String key) {
    Optional<ConfigKey<?>> exact = ConfigKeys.byName(key);
    if (exact.isPresent()) {
      return !exact.get().type().isGroup();
    }
    if (key.startsWith("spark.conf.")) {
      return true;
    }
    List<String> parts = ConfigUtil.splitPath(key);
    for (int i = parts.size() - 1; i > 0; i--) {
      Optional<ConfigKey<?>> group = ConfigKeys.byName(ConfigUtil.joinPath(parts.subList(0, i)));
      if (group.isPresent()) {
        return group.get().type().isKnownChild(parts.subList(i, parts.size()));
      }
    }
    return false;
  }
}
