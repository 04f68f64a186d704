package com.creditrisk.config;

import com.creditrisk.contract.ColumnType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the lender's other data tables, declared under {@code feature_sources.<name>}
 * (DESIGN.md, "Feature sources"): where it lives, what it is keyed by, and which features it gives.
 * The features land in model_dataset as {@code <name>__<feature>}.
 *
 * @param name the source's name, the prefix of its feature columns
 * @param input where the table lives and how its columns are named (as for the inputs)
 * @param entity what a row is keyed by
 * @param kind how rows become features
 * @param attributes snapshot and application kinds: the columns copied as features
 * @param maxAgeDays snapshot kind: the oldest usable row, in calendar days before the application
 * @param windowsDays events kind: the look-back windows, in days ending at the application time
 * @param aggregates events kind: what each window computes
 * @param costPerApplication what the source costs per application scored, for its net value
 * @param types the type a value column is parsed to (a CSV cell is text otherwise); a column
 *     that a sum, min, max or mean reads is a double unless declared
 */
public record FeatureSource(String name, InputSpec input, Entity entity, Kind kind, List<String> attributes,
    int maxAgeDays, List<Integer> windowsDays, List<Aggregate> aggregates, double costPerApplication,
    Map<String, ColumnType> types) {

  /** The column, after mapping, that holds a customer source's event time. */
  public static final String EVENT_TIME = "event_time";
  /** A snapshot source's feature: the calendar days between its row and the application. */
  public static final String AGE_DAYS = "age_days";
  /** An events source's feature: calendar days since its latest row before the application. */
  public static final String DAYS_SINCE_LAST = "days_since_last";
  /** Between the source's name and a feature's name in model_dataset. */
  public static final String SEPARATOR = "__";

  public FeatureSource {
    Objects.requireNonNull(name);
    attributes = List.copyOf(attributes);
    windowsDays = List.copyOf(windowsDays);
    aggregates = List.copyOf(aggregates);
    types = Map.copyOf(types);
  }

  /** The source columns the features read besides the key and time, each once, in declaration order. */
  public List<String> valueColumns() {
    List<String> out = new java.util.ArrayList<>(attributes);
    for (Aggregate a : aggregates) {
      a.column().filter(c -> !out.contains(c)).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /** The type a value column is parsed to; empty keeps the stored type (text in a CSV file). */
  public Optional<ColumnType> typeOf(String column) {
    if (types.containsKey(column)) {
      return Optional.of(types.get(column));
    }
    boolean numeric = aggregates.stream().anyMatch(a -> a.column().equals(Optional.of(column))
        && a.function() != Function.DISTINCT);
    return numeric ? Optional.of(ColumnType.DOUBLE) : Optional.empty();
  }

  /** The key a source's rows are matched on. */
  public enum Entity implements ConfigEnum {
    CUSTOMER("customer_id"),
    APPLICATION("application_id");

    private final String column;

    Entity(String column) {
      this.column = column;
    }

    /** The key column, the same name as in the inputs. */
    public String column() {
      return column;
    }
  }

  /** How a source's rows become features of an application. */
  public enum Kind implements ConfigEnum {
    /** The latest row strictly before the application time, no older than max_age_days. */
    SNAPSHOT,
    /** Aggregates of the rows strictly before the application time over windows ending at it. */
    EVENTS,
    /** One row per application_id, no time. */
    APPLICATION
  }

  /** What an events window computes over its rows. */
  public enum Function implements ConfigEnum {
    COUNT, SUM, MIN, MAX, MEAN, DISTINCT
  }

  /**
   * One aggregate of an events source: {@code count}, or a function of a column
   * ({@code sum:amount}, {@code distinct:lender_id}).
   */
  public record Aggregate(Function function, Optional<String> column) {
    public Aggregate {
      if ((function == Function.COUNT) != column.isEmpty()) {
        throw new IllegalArgumentException(function == Function.COUNT
            ? "count takes no column" : function.name().toLowerCase() + " needs a column");
      }
    }

    /** The feature's name for a window, e.g. {@code count_30d} or {@code sum_amount_90d}. */
    public String featureName(int windowDays) {
      return function.name().toLowerCase() + column.map(c -> "_" + c).orElse("") + "_" + windowDays + "d";
    }
  }

  /** The feature columns this source adds to model_dataset, in output order, its missing reason last. */
  public List<String> featureColumns() {
    List<String> out = new java.util.ArrayList<>();
    switch (kind) {
      case SNAPSHOT -> {
        attributes.forEach(a -> out.add(column(a)));
        out.add(column(AGE_DAYS));
      }
      case EVENTS -> {
        for (int w : windowsDays) {
          aggregates.forEach(a -> out.add(column(a.featureName(w))));
        }
        out.add(column(DAYS_SINCE_LAST));
      }
      case APPLICATION -> attributes.forEach(a -> out.add(column(a)));
    }
    out.add(missingReasonColumn());
    return List.copyOf(out);
  }

  /** The model_dataset column of one of this source's features. */
  public String column(String feature) {
    return name + SEPARATOR + feature;
  }

  /** The column that says why an application has no data from this source (null when it has). */
  public String missingReasonColumn() {
    return column("missing_reason");
  }
}
