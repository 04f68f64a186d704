package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.run.RunFolder;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = {
        "Score every application of model_dataset as of a date, rejected ones included, with every "
            + "model of a train run. Writes the Delta table scored_applications (one row per "
            + "application and model: pd, model_score, risk_grade, reason_codes); a rerun with the "
            + "same as-of date and model run replaces its rows.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 no model_dataset or no models for the run, 1 anything else."})
public class ScoreCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "RUN_ID",
      description = "The train run whose models score (default: the run of this as-of date and config).")
  String model;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.loadWritingWarehouse();
    LocalDate date = asOf.asOf();
    String runId = model != null ? model : RunFolder.runId(date, conf);
    SparkSession spark = SparkSessions.getOrCreate(conf);
    ScoreApplications.Result r = ScoreApplications.run(spark, new ScoreApplications.Input(conf, date, runId));
    print(spec.commandLine().getOut(), runId, r);
    return 0;
  }

  static void print(PrintWriter out, String runId, ScoreApplications.Result r) {
    out.printf(Locale.ROOT, "Scored with the models of run %s into %s (Delta version %d):%n", runId, r.path(), r.version());
    r.rowsByModel().forEach((m, n) -> out.printf(Locale.ROOT, "  %-16s %,10d applications%n", m, n));
    out.flush();
  }
}
