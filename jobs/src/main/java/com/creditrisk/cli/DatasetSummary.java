package com.creditrisk.cli;

import com.creditrisk.dataset.BuildDataset;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The short summary of a build-dataset run a person reads after build-dataset, run or demo. */
final class DatasetSummary {
  private DatasetSummary() {}

  static void print(PrintWriter out, BuildDataset.Result r) {
    out.printf(Locale.ROOT, "Run %s (as of %s, extract date %s)%n", r.runId(), r.asOf(), r.extractDate());
    long total = r.statusCounts().values().stream().mapToLong(Long::longValue).sum();
    out.printf(Locale.ROOT, "Applications: %,d%n", total);
    for (Map.Entry<String, Long> e : r.statusCounts().entrySet()) {
      out.printf(Locale.ROOT, "  %-14s %,10d%n", e.getKey(), e.getValue());
    }
    var score = r.manifest().scoreAtApplication();
    if (total > 0) {
      out.printf(Locale.ROOT, "No usable score: %.2f%% (no_snapshot %.2f%%, stale %.2f%%, only_after_application %.2f%%)%n",
          100.0 * score.missing() / total, 100.0 * score.noSnapshot() / total, 100.0 * score.stale() / total,
          100.0 * score.onlyAfterApplication() / total);
    }
    for (String w : r.warnings()) {
      out.printf(Locale.ROOT, "Warning: %s%n", w);
    }
    double br = r.matureBadRate();
    out.printf(Locale.ROOT, "Bad rate of mature labelled loans: %s%n",
        Double.isNaN(br) ? "n/a (no mature labelled loans)" : String.format(Locale.ROOT, "%.2f%%", 100 * br));
    out.printf(Locale.ROOT, "Splits: train %,d  test %,d  oot %,d%n", r.splitCounts().get("train"),
        r.splitCounts().get("test"), r.splitCounts().get("oot"));
    out.printf(Locale.ROOT, "Tables:%n  %s%n  %s%nRun record: %s%n", r.loanPerformancePath(), r.modelDatasetPath(),
        r.runJson());
    out.flush();
  }
}
