package com.creditrisk.binning;

import java.util.List;
import java.util.Locale;

/**
 * One bin of a feature in a fitted {@link WoeBinningModel}: which values it holds, its training
 * counts, its weight of evidence and its share of the feature's information value.
 *
 * <p>Shares are over every labelled training row of the feature (missing and special bins
 * included). WoE = ln(share of goods / share of bads); a bin with no goods or no bads gets 0.5
 * added to both its counts before the shares are taken (totals unchanged). {@code iv} is this
 * bin's term (share good - share bad) * WoE, so a feature's IV is the sum over its bins.
 *
 * @param feature the input column
 * @param index position within the feature, 0..; missing first, then special values, then ranges
 *     (ascending) or levels, then "other"
 * @param kind what the bin holds
 * @param lower exclusive lower edge of a range bin; null = -infinity (and for other kinds)
 * @param upper inclusive upper edge of a range bin; null = +infinity (and for other kinds)
 * @param levels the categories of a levels bin; empty for other kinds, "other" included: the rare
 *     categories it groups are counted, never named, as a column of near-unique values (an
 *     identifier) would otherwise be written out whole (any unseen category also maps to "other")
 * @param levelCount the categories the bin holds: a levels bin's, or the rare ones grouped into
 *     "other"; 0 for numeric bins
 * @param specialValue the value of a special bin; null for other kinds
 * @param count labelled training rows in the bin
 * @param goods rows with label 0
 * @param bads rows with label 1
 * @param badRate bads / count
 * @param woe weight of evidence, ln(share good / share bad)
 * @param iv this bin's information value term
 */
public record WoeBin(String feature, int index, Kind kind, Double lower, Double upper, List<String> levels,
    int levelCount, Double specialValue, long count, long goods, long bads, double badRate, double woe, double iv) {

  /** What a bin holds. */
  public enum Kind {
    /** Null (or NaN) values. */
    MISSING,
    /** One configured special value of a numeric feature, never merged. */
    SPECIAL,
    /** A right-closed interval (lower, upper] of a numeric feature. */
    RANGE,
    /** Named categories of a categorical feature. */
    LEVELS,
    /** Rare categories of a categorical feature grouped together, and any unseen category. */
    OTHER;

    /** The lowercase name used in tables and JSON. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind of(String id) {
      return valueOf(id.toUpperCase(Locale.ROOT));
    }
  }

  public WoeBin {
    levels = levels == null ? List.of() : List.copyOf(levels);
    if (kind == Kind.OTHER && !levels.isEmpty()) {
      throw new IllegalArgumentException("Invalid WoeBin: an 'other' bin counts its categories, never names them");
    }
  }

  /** For display: "(540.0, 600.0]", "(-inf, 3.0]", "missing", "= -9.0", "{A, B}" or "other". */
  public String label() {
    return switch (kind) {
      case MISSING -> "missing";
      case SPECIAL -> "= " + num(specialValue);
      case RANGE -> "(" + (lower == null ? "-inf" : num(lower)) + ", " + (upper == null ? "+inf]" : num(upper) + "]");
      case LEVELS -> "{" + String.join(", ", levels) + "}";
      case OTHER -> "other";
    };
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
