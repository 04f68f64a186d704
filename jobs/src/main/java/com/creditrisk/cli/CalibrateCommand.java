package com.creditrisk.cli;

import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.PolicyCutoff;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.run.RunFolder;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {
        "Calibrate the PD of every model of a train run (fitted on test, checked on oot) with a master "
            + "scale, compute the strategy curve of each segment (every distinct score as a cutoff, for "
            + "the model's score and for the consumer score alone, with and without reject inference) "
            + "into the Delta table cutoff_curve, choose each segment's cutoff by calibrate.policy, and "
            + "compare the model with the score-only policy at the same approval rate (swap sets). "
            + "Writes calibration.json and cutoffs.json to the run folder.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 no scored applications or models for the run, 1 anything else."})
public class CalibrateCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "RUN_ID",
      description = "The train run whose scored applications are used (default: the run of this as-of date and config).")
  String model;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.loadWritingWarehouse();
    LocalDate date = asOf.asOf();
    String runId = model != null ? model : RunFolder.runId(date, conf);
    SparkSession spark = SparkSessions.getOrCreate(conf);
    CalibrateJob.Result r = CalibrateJob.run(spark, new CalibrateJob.Input(conf, date, runId));
    print(spec.commandLine().getOut(), conf, r);
    return 0;
  }

  static void print(PrintWriter out, CreditRiskConfig conf, CalibrateJob.Result r) {
    var cc = conf.calibrate();
    out.printf(Locale.ROOT, "Cutoffs (approve score >= cutoff), policy %s, target bad rate %s, model %s:%n",
        cc.policy(), cc.targetBadRate(), cc.model());
    String ri = cc.rejectInference().configName();
    out.printf(Locale.ROOT, "  %-6s %-26s %8s %9s %9s   %8s %9s %9s  (with %s reject inference)%n",
        "score", "segment", "cutoff", "approval", "bad rate", "cutoff", "approval", "bad rate", ri);
    Map<List<String>, Map<String, CalibrateJob.Chosen>> rows = new LinkedHashMap<>();
    for (CalibrateJob.Choice c : r.choices()) {
      rows.computeIfAbsent(List.of(c.scoreSource(), c.segmentSet(), c.segment()), k -> new LinkedHashMap<>())
          .put(c.rejectInference(), c.chosen());
    }
    rows.forEach((k, byRi) -> {
      CalibrateJob.Chosen plain = byRi.get("none");
      CalibrateJob.Chosen inferred = byRi.getOrDefault(ri, plain);
      PolicyCutoff.Figures at = plain.cutoff().at();
      String flags = (!plain.decided() && plain.note() != null ? "  too small" : "")
          + (at != null && at.extrapolated() ? "  extrapolated" : "");
      out.printf(Locale.ROOT, "  %-6s %-26s %s   %s%s%n", k.get(0), k.get(2), cells(plain), cells(inferred), flags);
    });
    Map<String, Object> swap = r.swapSets();
    if (swap.get("cells") instanceof Map<?, ?> cells) {
      out.printf(Locale.ROOT, "Swap sets: consumer score >= %s vs %s >= %s (same approval rate):%n",
          fmt(swap.get("score_cutoff")), swap.get("model"), fmt(swap.get("model_cutoff")));
      cells.forEach((name, v) -> {
        Map<?, ?> cell = (Map<?, ?>) v;
        out.printf(Locale.ROOT, "  %-20s %8s applications, observed bad rate %s, inferred %s%n", name,
            cell.get("n"), pct(cell.get("observed_bad_rate")), pct(cell.get("inferred_bad_rate")));
      });
    }
    out.printf(Locale.ROOT, "Strategy curve: %s (Delta version %d, %,d rows); cutoffs: %s/cutoffs.json%n",
        r.curvePath(), r.curveVersion(), r.curveRows(), r.runDir());
    out.flush();
  }

  private static String cells(CalibrateJob.Chosen c) {
    PolicyCutoff.Figures at = c.cutoff().at();
    return String.format(Locale.ROOT, "%8s %9s %9s", fmt(c.cutoff().cutoff()), pct(at == null ? null : at.approvalRate()),
        pct(at == null ? null : at.badRate()));
  }

  private static String fmt(Object v) {
    return v == null ? "none" : String.format(Locale.ROOT, "%.0f", ((Number) v).doubleValue());
  }

  private static String pct(Object v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * ((Number) v).doubleValue());
  }
}
