package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.models.SourceValue;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "evaluate-sources", mixinStandardHelpOptions = true,
    description = {
        "What each feature source (feature_sources.*) is worth, out of time on the mature loans of model_dataset "
            + "as of a date: coverage; AUC of the score with the source against the score alone, and of every "
            + "source against every source but this one, with the paired DeLong test; at today's approval rate "
            + "the bads avoided per 1,000 approvals, and at the bad rate that gives the extra approvals per 1,000; "
            + "net value per 1,000 applications after cost_per_application; a verdict (pays, does not pay, not "
            + "significant). Writes runs/<RUN_ID>/sources.json. Run build-dataset with the sources first.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config (no source declared), 3 no usable model_dataset rows or "
            + "source columns for the as-of date, 1 anything else."})
public class EvaluateSourcesCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.load();
    SparkSession spark = SparkSessions.getOrCreate(conf);
    SourceValue.Result r = SourceValue.run(spark, new SourceValue.Input(conf, asOf.asOf()));
    print(spec.commandLine().getOut(), r);
    return 0;
  }

  static void print(PrintWriter out, SourceValue.Result r) {
    out.printf(Locale.ROOT, "Run %s: value of each feature source, out of time on %,d mature loans "
        + "(today's approval rate %.2f%%)%n", r.runId(), r.rows(), 100 * r.approvalRate());
    out.printf(Locale.ROOT, "  %-16s %8s %9s %18s %9s %11s %11s %12s  %s%n", "source", "coverage", "AUC gain",
        "95% CI", "p", "bads/1000", "extra/1000", "value/1000", "verdict");
    for (SourceValue.Value v : r.values()) {
      var c = v.overOthers();
      out.printf(Locale.ROOT, "  %-16s %7.2f%% %+9.4f [%+.4f, %+.4f] %9.3g %11.2f %11.2f %12.2f  %s%n", v.source(),
          100 * v.coverage(), c.test().difference(), c.ciLow(), c.ciHigh(), c.test().pValue(),
          v.strategy().badsAvoidedPer1000Approvals(), v.strategy().extraApprovalsPer1000(), v.valuePer1000(),
          v.verdict());
    }
    out.printf(Locale.ROOT, "AUC gain: every source against every source but this one (the score alone with one "
        + "source); bads avoided per 1,000 approvals at today's approval rate; extra approvals per 1,000 at the "
        + "bad rate that rate gives; value: realised profit gained per 1,000 minus the source's cost.%n");
    out.printf(Locale.ROOT, "Details: %s%n", r.sourcesJson());
    out.flush();
  }
}
