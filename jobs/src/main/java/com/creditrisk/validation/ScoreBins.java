package com.creditrisk.validation;

import static com.creditrisk.validation.Profile.countIf;
import static com.creditrisk.validation.ScoreColumns.LABEL;
import static com.creditrisk.validation.ScoreColumns.SCORE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Equal-width bins of the score between its lowest and highest value, for the distribution chart:
 * goods and bads per bin, from distinct-value counts or as a distributed query, with the same
 * double arithmetic.
 */
record ScoreBins(double lo, double hi, double width, int k) implements java.io.Serializable {
  static ScoreBins of(double lo, double hi, int bins) {
    return hi > lo ? new ScoreBins(lo, hi, (hi - lo) / bins, bins) : new ScoreBins(lo, hi, 1, 1);
  }

  /** The bin of a score within [lo, hi]: the same double arithmetic as the distributed query's floor((score - lo) / width). */
  int binOf(double score) {
    return (int) Math.min(Math.floor((score - lo) / width), k - 1);
  }

  List<ValidationResult.DistributionBin> toList(long[] goods, long[] bads) {
    List<ValidationResult.DistributionBin> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      out.add(new ValidationResult.DistributionBin(lo + i * width, i == k - 1 ? hi : lo + (i + 1) * width,
          goods[i], bads[i]));
    }
    return List.copyOf(out);
  }

  /** The bins from the distinct scores' counts; empty when no score was seen ({@code lo} null). */
  static List<ValidationResult.DistributionBin> fromCounts(DistinctValueCounts.Groups scores, Double lo, Double hi,
      int bins) {
    if (lo == null) {
      return List.of();
    }
    ScoreBins b = of(lo, hi, bins);
    long[] goods = new long[b.k()];
    long[] bads = new long[b.k()];
    for (int i = 0; i < scores.values().length; i++) {
      int bin = b.binOf(scores.values()[i]);
      goods[bin] += scores.goods()[i];
      bads[bin] += scores.bads()[i];
    }
    return b.toList(goods, bads);
  }

  /** The bins of labelled rows under {@link ScoreColumns}' names, as one distributed query. */
  static List<ValidationResult.DistributionBin> compute(Dataset<Row> rows, Double lo, Double hi, int bins) {
    if (lo == null) {
      return List.of();
    }
    ScoreBins b = of(lo, hi, bins);
    long[] goods = new long[b.k()];
    long[] bads = new long[b.k()];
    for (Row r : rows.groupBy(least(floor(col(SCORE).minus(lo).divide(b.width())), lit(b.k() - 1)).cast("int")
        .as("bin")).agg(countIf(col(LABEL).equalTo(0)), countIf(col(LABEL).equalTo(1))).collectAsList()) {
      goods[r.getInt(0)] = r.getLong(1);
      bads[r.getInt(0)] = r.getLong(2);
    }
    return b.toList(goods, bads);
  }
}
