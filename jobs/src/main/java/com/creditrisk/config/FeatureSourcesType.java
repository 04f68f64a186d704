package com.creditrisk.config;

import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Function;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.contract.ColumnType;
import com.creditrisk.errors.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code feature_sources} object: one {@link FeatureSource} per child, each read and checked
 * field by field, so a bad value is exit 2 naming {@code feature_sources.<name>.<field>}.
 */
final class FeatureSourcesType implements ConfigType<Map<String, FeatureSource>> {
  /** A source name is a column-name prefix: lowercase, and never the separator itself. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  static final String PATH = "path";
  static final String FORMAT = "format";
  static final String COLUMNS = "columns";
  static final String ENTITY = "entity";
  static final String KIND = "kind";
  static final String ATTRIBUTES = "attributes";
  static final String MAX_AGE_DAYS = "max_age_days";
  static final String WINDOWS_DAYS = "windows_days";
  static final String AGGREGATES = "aggregates";
  static final String COST = "cost_per_application";
  static final String TYPES = "types";
  /** The fields of a source, in the order the configuration page lists them. */
  static final List<String> FIELDS = List.of(PATH, FORMAT, COLUMNS, ENTITY, KIND, ATTRIBUTES, MAX_AGE_DAYS,
      WINDOWS_DAYS, AGGREGATES, COST, TYPES);

  private static final ConfigType<InputFormat> FORMAT_TYPE =
      ConfigType.choice(InputFormat.class, true, "one of delta, parquet, csv");
  private static final ConfigType<Entity> ENTITY_TYPE =
      ConfigType.choice(Entity.class, true, "one of customer, application");
  private static final ConfigType<Kind> KIND_TYPE =
      ConfigType.choice(Kind.class, true, "one of snapshot, events, application");
  private static final ConfigType<Map<String, String>> TYPES_TYPE =
      ConfigType.stringMap("object: column = its type", c -> true, "a type name");
  private static final ConfigType<Map<String, String>> COLUMNS_TYPE =
      ConfigType.stringMap("object: column = the lender's column name", c -> true, "a column name");

  @Override
  public Map<String, FeatureSource> read(ConfigReader r, String key) {
    Set<String> names = new TreeSet<>();
    if (r.hasPath(key)) {
      for (String child : r.config().getConfig(key).root().keySet()) {
        names.add(child);
      }
    }
    Map<String, FeatureSource> out = new LinkedHashMap<>();
    for (String name : names) {
      out.put(name, readOne(r, key + "." + name, name));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static FeatureSource readOne(ConfigReader r, String base, String name) {
    if (!NAME.matcher(name).matches() || name.contains(FeatureSource.SEPARATOR)) {
      throw Errors.badConfigValue(base, name,
          "a source name of lowercase letters, digits and single underscores, starting with a letter");
    }
    String path = r.optionalString(base + "." + PATH)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> Errors.badConfigValue(base + "." + PATH, "null", "a path or catalog table name is required"));
    InputFormat format = r.hasPath(base + "." + FORMAT) ? FORMAT_TYPE.read(r, base + "." + FORMAT) : InputFormat.DELTA;
    Map<String, String> columns = COLUMNS_TYPE.read(r, base + "." + COLUMNS);
    Entity entity = required(r, base + "." + ENTITY, ENTITY_TYPE);
    Kind kind = required(r, base + "." + KIND, KIND_TYPE);
    if ((entity == Entity.APPLICATION) != (kind == Kind.APPLICATION)) {
      throw Errors.badConfigValue(base + "." + KIND, kind.configName(),
          "kind application for entity application, snapshot or events for entity customer");
    }
    List<String> attributes = r.hasPath(base + "." + ATTRIBUTES) ? r.stringList(base + "." + ATTRIBUTES) : List.of();
    for (String a : attributes) {
      if (a.equals(entity.column()) || a.equals(FeatureSource.EVENT_TIME)) {
        throw Errors.badConfigValue(base + "." + ATTRIBUTES, a, "attributes other than the key and the event time");
      }
    }
    if (kind != Kind.EVENTS && attributes.isEmpty()) {
      throw Errors.badConfigValue(base + "." + ATTRIBUTES, "[]", "at least one column for a " + kind.configName()
          + " source");
    }
    int maxAge = 0;
    if (kind == Kind.SNAPSHOT) {
      if (!r.hasPath(base + "." + MAX_AGE_DAYS)) {
        throw Errors.badConfigValue(base + "." + MAX_AGE_DAYS, "null", "a value is required for a snapshot source");
      }
      maxAge = r.intValue(base + "." + MAX_AGE_DAYS, 0, 100_000);
    }
    List<Integer> windows = new ArrayList<>();
    List<Aggregate> aggregates = new ArrayList<>();
    if (kind == Kind.EVENTS) {
      windows = windows(r, base + "." + WINDOWS_DAYS);
      aggregates = aggregates(r, base + "." + AGGREGATES);
    }
    double cost = r.hasPath(base + "." + COST) ? r.doubleValue(base + "." + COST, 0.0, Double.MAX_VALUE) : 0.0;
    Map<String, ColumnType> types = new TreeMap<>();
    for (Map.Entry<String, String> e : TYPES_TYPE.read(r, base + "." + TYPES).entrySet()) {
      String key = base + "." + TYPES + "." + e.getKey();
      ColumnType t = java.util.Arrays.stream(ColumnType.values()).filter(c -> c.label().equals(e.getValue()))
          .findFirst().orElseThrow(() -> Errors.badConfigValue(key, e.getValue(),
              "one of string, int, double, date, timestamp"));
      if (e.getKey().equals(entity.column()) || e.getKey().equals(FeatureSource.EVENT_TIME)) {
        throw Errors.badConfigValue(key, e.getValue(), "a type for a value column, not the key or the event time");
      }
      types.put(e.getKey(), t);
    }
    FeatureSource source = new FeatureSource(name, new InputSpec(Optional.of(path), format, columns), entity, kind,
        attributes, maxAge, windows, aggregates, cost, types);
    for (Aggregate a : aggregates) {
      if (a.function() != Function.DISTINCT && a.column().isPresent()
          && source.typeOf(a.column().get()).filter(t -> t == ColumnType.INT || t == ColumnType.DOUBLE).isEmpty()) {
        throw Errors.badConfigValue(base + "." + TYPES + "." + a.column().get(),
            source.typeOf(a.column().get()).map(ColumnType::label).orElse("null"),
            "int or double: " + a.function().configName() + " reads it");
      }
    }
    return source;
  }

  private static <E> E required(ConfigReader r, String key, ConfigType<E> type) {
    if (!r.hasPath(key)) {
      throw Errors.badConfigValue(key, "null", type.describe() + " is required");
    }
    return type.read(r, key);
  }

  private static List<Integer> windows(ConfigReader r, String key) {
    if (!r.hasPath(key)) {
      throw Errors.badConfigValue(key, "null", "a list of window lengths in days is required for an events source");
    }
    Set<Integer> out = new TreeSet<>();
    for (String s : r.stringList(key)) {
      int w;
      try {
        w = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(key, s, "whole numbers of days in [1, 36500]");
      }
      if (w < 1 || w > 36_500 || !out.add(w)) {
        throw Errors.badConfigValue(key, s, "distinct whole numbers of days in [1, 36500]");
      }
    }
    if (out.isEmpty()) {
      throw Errors.badConfigValue(key, "[]", "at least one window");
    }
    return List.copyOf(out);
  }

  private static List<Aggregate> aggregates(ConfigReader r, String key) {
    if (!r.hasPath(key)) {
      throw Errors.badConfigValue(key, "null", "a list of aggregates is required for an events source");
    }
    String rule = "count, or sum, min, max, mean or distinct of a column (e.g. sum:amount), each once";
    List<Aggregate> out = new ArrayList<>();
    for (String s : r.stringList(key)) {
      String[] p = s.split(":", -1);
      Function f;
      try {
        f = Function.valueOf(p[0].trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw Errors.badConfigValue(key, s, rule);
      }
      Optional<String> column = p.length == 2 && !p[1].isBlank() ? Optional.of(p[1].trim()) : Optional.empty();
      if (p.length > 2 || (f == Function.COUNT) != column.isEmpty()) {
        throw Errors.badConfigValue(key, s, rule);
      }
      Aggregate a = new Aggregate(f, column);
      if (out.contains(a)) {
        throw Errors.badConfigValue(key, s, rule);
      }
      out.add(a);
    }
    if (out.isEmpty()) {
      throw Errors.badConfigValue(key, "[]", "at least one aggregate");
    }
    return List.copyOf(out);
  }

  @Override
  public String describe() {
    return "object: <source name> { " + String.join(", ", FIELDS) + " }";
  }

  @Override
  public String render(Map<String, FeatureSource> value) {
    return value.isEmpty() ? "{}" : canonical(value);
  }

  @Override
  public String canonical(Map<String, FeatureSource> value) {
    Map<String, String> out = new TreeMap<>();
    value.forEach((name, s) -> out.put(name, "{path=" + s.input().path().orElse("") + ", format="
        + s.input().format().configName() + ", columns=" + new TreeMap<>(s.input().columnMapping())
        + ", entity=" + s.entity().configName() + ", kind=" + s.kind().configName() + ", attributes="
        + s.attributes() + ", max_age_days=" + s.maxAgeDays() + ", windows_days=" + s.windowsDays()
        + ", aggregates=" + s.aggregates().stream().map(a -> a.function().configName()
            + a.column().map(c -> ":" + c).orElse("")).toList()
        + ", cost_per_application=" + s.costPerApplication()
        + ", types=" + new TreeMap<>(s.types()) + "}"));
    return out.toString();
  }

  @Override
  public boolean isKnownChild(List<String> rest) {
    if (rest.size() == 2) {
      return FIELDS.contains(rest.get(1)) && !rest.get(1).equals(COLUMNS) && !rest.get(1).equals(TYPES);
    }
    return rest.size() == 3 && (rest.get(1).equals(COLUMNS) || rest.get(1).equals(TYPES));
  }

  @Override
  public boolean isGroup() {
    return true;
  }
}
