package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.calibrate.CalibrateJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The approval rate that calibrate's chosen cutoffs give on a set of scored applications: the share
 * of them whose model score, in calibrate's whole points, is at least their segment's cutoff. The
 * figure monitor follows over as-of dates, recorded by {@code validate --as-of} in validation_metrics.
 */
final class ApprovalAtCutoff {
  /** validation_metrics' metric names of the figure and of the cutoff it was read at. */
  static final String RATE = "approval_rate";
  static final String CUTOFF = "approval_cutoff";
  static final String APPLICATIONS = "approval_n";

  private ApprovalAtCutoff() {}

  /**
   * One segment's figure.
   *
   * @param segment validation_metrics' segment: "all", or "SET=SEGMENT" (e.g. "product,channel=paylater/web")
   * @param cutoff the chosen cutoff applied (approve points >= cutoff)
   * @param applications scored applications of the segment
   * @param approved those at or above the cutoff
   */
  record Rate(String segment, double cutoff, long applications, long approved) {
    double rate() {
      return (double) approved / applications;
    }
  }

  /**
   * Every segment's approval rate at its chosen cutoff, in one aggregation: the applications are
   * grouped by their segment of every set at once (a few dozen groups), each group counting its
   * rows and its approvals under each set's cutoff; the driver adds the groups up per set.
   *
   * @param applications one model's scored applications: {@code model_score} and the sets' columns;
   *     rows without a score are left out
   * @param cutoffs the chosen cutoffs by segment set ("all" for the whole population) and segment,
   *     as {@code CutoffsFile.modelCutoffs} reads them
   * @param segmentSets the sets' columns by set name, "all" excepted
   * @return "all" first, then each set's segments in cutoffs' order; a segment without a cutoff or
   *     without applications has none
   */
  static List<Rate> of(Dataset<Row> applications, Map<String, Map<String, Double>> cutoffs,
      Map<String, List<String>> segmentSets) {
    Map<String, Double> ofAll = cutoffs.getOrDefault("all", Map.of());
    List<String> sets = segmentSets.keySet().stream().filter(cutoffs::containsKey).toList();
    if (!ofAll.containsKey("all") && sets.isEmpty()) {
      return List.of();
    }
    Column points = CalibrateJob.modelPoints(col("model_score"));
    List<Column> keys = new ArrayList<>();
    List<Column> counts = new ArrayList<>(List.of(count(lit(1)).as("n")));
    counts.add(approvals(points, lit(ofAll.getOrDefault("all", Double.NaN))).as("a_all"));
    for (int i = 0; i < sets.size(); i++) {
      Column segment = CalibrateJob.segmentOf(segmentSets.get(sets.get(i)));
      keys.add(segment.as("s" + i));
      counts.add(approvals(points, cutoffOf(segment, cutoffs.get(sets.get(i)))).as("a" + i));
    }
    List<Row> groups = applications.where(col("model_score").isNotNull())
        .groupBy(keys.toArray(new Column[0])).agg(counts.get(0), counts.subList(1, counts.size())
            .toArray(new Column[0]))
        .collectAsList();
    List<Rate> out = new ArrayList<>();
    long n = 0;
    long approvedAll = 0;
    List<Map<String, long[]>> bySet = new ArrayList<>();
    sets.forEach(s -> bySet.add(new LinkedHashMap<>()));
    for (Row g : groups) {
      long rows = g.getLong(sets.size());
      n += rows;
      approvedAll += g.getLong(sets.size() + 1);
      for (int i = 0; i < sets.size(); i++) {
        long[] c = bySet.get(i).computeIfAbsent(g.getString(i), k -> new long[2]);
        c[0] += rows;
        c[1] += g.getLong(sets.size() + 2 + i);
      }
    }
    if (ofAll.containsKey("all") && n > 0) {
      out.add(new Rate("all", ofAll.get("all"), n, approvedAll));
    }
    for (int i = 0; i < sets.size(); i++) {
      String set = sets.get(i);
      for (Map.Entry<String, Double> c : cutoffs.get(set).entrySet()) {
        long[] counted = bySet.get(i).get(c.getKey());
        if (counted != null && counted[0] > 0) {
          out.add(new Rate(set + "=" + c.getKey(), c.getValue(), counted[0], counted[1]));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Rows at or above the cutoff; a NaN or null cutoff (none chosen) approves none. */
  private static Column approvals(Column points, Column cutoff) {
    // A sum over no rows is null: the total of an empty sample, whose rate is left out anyway.
    return coalesce(sum(when(cutoff.isNotNull().and(points.geq(cutoff)), 1L).otherwise(0L)), lit(0L));
  }

  /** The segment's cutoff as a column: a CASE over the set's few dozen segments, null for the others. */
  private static Column cutoffOf(Column segment, Map<String, Double> cutoffs) {
    Column c = null;
    for (Map.Entry<String, Double> e : cutoffs.entrySet()) {
      c = c == null ? when(segment.equalTo(e.getKey()), e.getValue())
          : c.when(segment.equalTo(e.getKey()), e.getValue());
    }
    return c == null ? lit(null).cast("double") : c;
  }
}
