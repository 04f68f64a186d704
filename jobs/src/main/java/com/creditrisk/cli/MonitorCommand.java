package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.monitoring.MonitorJob;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {
        "Monitoring across the scheduled runs of this config: reads validation_metrics (pinned to one Delta "
            + "version) over the as-of dates from --from to --to and follows, per model and segment, the "
            + "out-of-time AUC with its DeLong interval and KS against development, PSI of the score, CSI of "
            + "features, and the observed bad rate over the mean PD, each with a light from conf monitoring.* "
            + "(PSI and CSI: validation.psi.*). The verdict is the worst light of the latest as-of date.",
        "Writes the Delta table monitoring_metrics (one row per as-of date, model, segment and indicator; a rerun "
            + "over the same dates replaces them) and <warehouse>/monitoring/<to>/report.html and monitoring.json.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 no history (no validation_metrics rows of this config in the "
            + "range: run validate first; nothing written), 4 --gate red and the verdict is red (after "
            + "everything is written), 1 anything else."})
public class MonitorCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(names = "--from", paramLabel = "DATE", description = "First as-of date to read, yyyy-MM-dd "
      + "(default: the whole history).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last as-of date to read, yyyy-MM-dd, and the "
      + "report folder's name (default: the latest as-of date validated).")
  String to;

  @Option(names = "--gate", paramLabel = "red", description = "red: exit 4 when the verdict is red (after writing).")
  String gate;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.load();
    if (gate != null && !gate.equalsIgnoreCase("red")) {
      throw Errors.badUsage("Invalid --gate: '" + gate + "' (red)");
    }
    MonitorJob.Input in = new MonitorJob.Input(conf, AsOfOption.date("--from", from), AsOfOption.date("--to", to),
        gate != null);
    ConfigOptions.requireWritableWarehouse(conf);
    SparkSession spark = SparkSessions.getOrCreate(conf);
    MonitorJob.Result r = MonitorJob.run(spark, in);
    print(spec.commandLine().getOut(), r);
    if (r.gateFailed()) {
      throw Errors.monitoringGateFailed(r.reasons().stream().filter(s -> s.startsWith("red")).toList(),
          r.folder());
    }
    return 0;
  }

  static void print(PrintWriter w, MonitorJob.Result r) {
    w.printf(Locale.ROOT, "Monitored %d as-of dates from %s to %s (validation_metrics version %d)%n", r.asOfDates(),
        r.from(), r.to(), r.historyVersion());
    r.reasons().forEach(s -> w.println("  " + s));
    r.missing().forEach(s -> w.println("  not in the history: " + s));
    w.println("Verdict: " + r.verdict());
    w.printf(Locale.ROOT, "Table %s (Delta version %d, %d rows)%n", r.tablePath(), r.tableVersion(), r.rows());
    w.println("Report: " + r.reportPath());
    w.flush();
  }
}
