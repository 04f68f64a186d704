package com.creditrisk.validation;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rank ordering: the bad rate per score band (10 exact quantile bands of the score, the same cut
 * rule as PSI and Hosmer-Lemeshow) must fall as the score gets safer. A break is a band whose bad
 * rate is above that of the next riskier band.
 */
public final class RankOrdering {
  public static final int BANDS = 10;

  private RankOrdering() {}

  /** One band, listed from the riskiest to the safest. */
  public record Band(int rank, String range, long n, long bads, double badRate) {}

  /** A band whose bad rate rose although its scores are safer than the band before it. */
  public record Break(int rank, String range, double badRate, double previousBadRate) {}

  public record Result(List<Band> bands, List<Break> breaks) {}

  /**
   * @param score the raw score column
   * @param higherIsSafe whether a higher score is safer (else riskier)
   */
  public static Result compute(Dataset<Row> rows, Column score, Column label, boolean higherIsSafe) {
    double[] cuts = QuantileCuts.cuts(rows, score, BANDS);
    long[] n = new long[cuts.length + 1];
    long[] bads = new long[cuts.length + 1];
    for (Row r : rows.groupBy(QuantileCuts.bin(score, cuts).as("bin"))
        .agg(count(lit(1)), sum(label.cast("long"))).collectAsList()) {
      n[r.getInt(0)] = r.getLong(1);
      bads[r.getInt(0)] = r.getLong(2);
    }
    return fromCounts(cuts, n, bads, higherIsSafe);
  }

  /** The same from distinct scores already counted on the driver (ascending, with bads and goods per score). */
  static Result fromGroups(double[] scores, long[] bads, long[] goods, boolean higherIsSafe) {
    long[] rows = new long[scores.length];
    for (int i = 0; i < scores.length; i++) {
      rows[i] = bads[i] + goods[i];
    }
    double[] cuts = QuantileCuts.cuts(scores, rows, BANDS);
    long[] n = new long[cuts.length + 1];
    long[] b = new long[cuts.length + 1];
    for (int i = 0; i < scores.length; i++) {
      int bin = QuantileCuts.binOf(scores[i], cuts);
      n[bin] += rows[i];
      b[bin] += bads[i];
    }
    return fromCounts(cuts, n, b, higherIsSafe);
  }

  static Result fromCounts(double[] cuts, long[] n, long[] bads, boolean higherIsSafe) {
    List<Band> bands = new ArrayList<>();
    for (int k = 0; k < n.length; k++) {
      // Riskiest first: the lowest scores when higher is safe, the highest when higher is risk.
      int bin = higherIsSafe ? k : n.length - 1 - k;
      if (n[bin] > 0) {
        bands.add(new Band(bands.size() + 1, QuantileCuts.label(cuts, bin), n[bin], bads[bin],
            (double) bads[bin] / n[bin]));
      }
    }
    List<Break> breaks = new ArrayList<>();
    for (int i = 1; i < bands.size(); i++) {
      if (bands.get(i).badRate() > bands.get(i - 1).badRate()) {
        breaks.add(new Break(bands.get(i).rank(), bands.get(i).range(), bands.get(i).badRate(),
            bands.get(i - 1).badRate()));
      }
    }
    return new Result(List.copyOf(bands), List.copyOf(breaks));
  }
}
